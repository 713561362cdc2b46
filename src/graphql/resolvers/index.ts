import type { Resolvers } from '../generated/resolvers.js';
import { Asset, GroundTruth } from './asset.js';
import { Batch, BatchItem } from './batch.js';
import { Evaluation, EvaluationItem } from './evaluation.js';
import { AssetConnection } from './connection.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Node } from './node.js';
import { Preset } from './image.js';
import { DateTime, Upload } from './scalars.js';
import { Rendition } from './rendition.js';
import { MaskVersion, Model, QualityReport, Segmentation } from './segmentation.js';
import { Subscription } from './subscription.js';
import { Webhook, WebhookDelivery } from './webhook.js';
import { UploadRule } from './upload-rule.js';

export const resolvers: Resolvers = {
  Query,
  Node,
  Preset,
  Mutation,
  Subscription,
  Asset,
  AssetConnection,
  Segmentation,
  Model,
  GroundTruth,
  QualityReport,
  Evaluation,
  EvaluationItem,
  Batch,
  BatchItem,
  Webhook,
  WebhookDelivery,
  UploadRule,
  Rendition,
  MaskVersion,
  DateTime,
  Upload,
};
