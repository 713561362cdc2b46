import type { AssetService } from '../assets/asset.service.js';
import type { Config } from '../config/config.js';
import type { CorrectionService } from '../corrections/correction.service.js';
import type { RenditionService } from '../effects/rendition.service.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { EvaluationService } from '../quality/evaluation.service.js';
import type { QualityService } from '../quality/quality.service.js';
import type { SegmentationService } from '../segmentations/segmentation.service.js';
import type { OwnerRecord } from '../storage/records.js';
import type { FileUrls } from './file-urls.js';

/** The services resolvers call; built once in main.ts. */
export interface Services {
  assets: AssetService;
  segmentations: SegmentationService;
  /** Model manifests (what may be requested); models run on workers. */
  registry: ModelRegistry;
  quality: QualityService;
  evaluations: EvaluationService;
  renditions: RenditionService;
  corrections: CorrectionService;
}

/** Per request: who is asking, the services, and how to make file URLs for this client. */
export interface GraphQLContext {
  owner: OwnerRecord;
  services: Services;
  fileUrls: FileUrls;
  config: Config;
  /** Follows work this request starts into the logs of whichever worker runs it. */
  requestId: string | undefined;
}
