/** What repositories return; GraphQL resolvers map these to schema types (codegen `mappers`). */
export type {
  Asset as AssetRecord,
  Owner as OwnerRecord,
  ApiKey as ApiKeyRecord,
  Thumbnail as ThumbnailRecord,
  Segmentation as SegmentationRecord,
  GroundTruth as GroundTruthRecord,
  QualityScore as QualityScoreRecord,
  Evaluation as EvaluationRecord,
  EvaluationItem as EvaluationItemRecord,
  Rendition as RenditionRecord,
  MaskVersion as MaskVersionRecord,
  Preset as PresetRecord,
  ImageVariant as ImageVariantRecord,
  AssetSummary as AssetSummaryRecord,
  Batch as BatchRecord,
  BatchItem as BatchItemRecord,
  Webhook as WebhookRecord,
  WebhookDelivery as WebhookDeliveryRecord,
  WebhookAttempt as WebhookAttemptRecord,
  ImageProxy as ImageProxyRecord,
} from './generated/prisma/client.js';
export type { SegmentationStatus, BatchStatus, BatchItemStatus, WebhookDeliveryStatus, WebhookAttemptStatus } from './generated/prisma/enums.js';
