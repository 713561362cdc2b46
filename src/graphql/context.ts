import type { AssetService } from '../assets/asset.service.js';
import type { BatchService } from '../batches/batch.service.js';
import type { ApiKeyService } from '../auth/api-keys.js';
import type { UrlSigner } from '../auth/url-signer.js';
import type { Config } from '../config/config.js';
import type { CorrectionService } from '../corrections/correction.service.js';
import type { RenditionService } from '../effects/rendition.service.js';
import { RenderBudget } from '../effects/render-budget.js';
import type { ImageService } from '../images/image.service.js';
import type { PresetService } from '../images/preset.service.js';
import type { SummaryService } from '../images/summary.service.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { EvaluationService } from '../quality/evaluation.service.js';
import type { QualityService } from '../quality/quality.service.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';
import type { OwnerRecord } from '../storage/records.js';
import type { UploadRuleService } from '../rules/upload-rule.service.js';
import type { WebhookService } from '../webhooks/webhook.service.js';
import { FileUrls } from './file-urls.js';
import { createLoaders, type RequestLoaders } from './loaders.js';

/** The services resolvers call; built once in src/composition/services.ts. */
export interface Services {
  assets: AssetService;
  segmentations: SegmentationService;
  /** Model manifests (what may be requested); models run on workers. */
  registry: ModelRegistry;
  quality: QualityService;
  evaluations: EvaluationService;
  renditions: RenditionService;
  corrections: CorrectionService;
  presets: PresetService;
  images: ImageService;
  summaries: SummaryService;
  batches: BatchService;
  webhooks: WebhookService;
  uploadRules: UploadRuleService;
}

/** Per request: who is asking, the services, and how to make file URLs for this client. */
export interface GraphQLContext {
  owner: OwnerRecord;
  services: Services;
  fileUrls: FileUrls;
  /** Batches this request's reads of related rows (see loaders.ts). */
  loaders: RequestLoaders;
  /** New renders this request may still start (src/effects/render-budget.ts). */
  renderBudget: RenderBudget;
  config: Config;
  /** Follows work this request starts into the logs of whichever worker runs it. */
  requestId: string | undefined;
}

/** What a transport knows of a request: the credentials it carried and where it came in. */
export interface RequestFacts {
  authorization: string | undefined;
  /** Scheme and host file URLs are made for (PUBLIC_URL, or the request's own). */
  baseUrl: string;
  requestId: string | undefined;
  /**
   * A WebSocket's context serves every event of its subscriptions: its loaders batch but keep
   * nothing, or a later event would see the rows of an earlier one.
   */
  longLived?: boolean;
}

/**
 * The one path from a request to its context, for HTTP and WebSockets alike: authenticate
 * (the single-user owner, or the bearer key), then bind the services and file URLs.
 * @throws AppError UNAUTHENTICATED for a missing, unknown or revoked key.
 */
export function createContextBuilder(deps: {
  services: Services;
  apiKeys: ApiKeyService;
  singleUser: OwnerRecord | undefined;
  signer: UrlSigner;
  config: Config;
}) {
  return async (request: RequestFacts): Promise<GraphQLContext> => {
    const owner = deps.singleUser ?? (await deps.apiKeys.authenticate(request.authorization));
    return {
      owner,
      services: deps.services,
      fileUrls: new FileUrls(deps.signer, request.baseUrl),
      loaders: createLoaders(deps.services, owner.id, { cache: !request.longLived }),
      renderBudget: new RenderBudget(),
      config: deps.config,
      requestId: request.requestId,
    };
  };
}
