import type { UploadPromise } from '../upload.js';
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { AssetRecord, OwnerRecord, SegmentationRecord, GroundTruthRecord, QualityScoreRecord, EvaluationRecord, EvaluationItemRecord, WebhookRecord, WebhookAttemptRecord, UploadRuleRecord } from '../../storage/records.js';
import type { AssetPage } from '../../assets/asset.service.js';
import type { ModelEntry } from '../../inference/registry.js';
import type { RenditionResult } from '../../effects/rendition.service.js';
import type { MaskVersionView } from '../../corrections/correction.service.js';
import type { PresetSpec } from '../../images/preset.js';
import type { BatchView } from '../../batches/batch.service.js';
import type { BatchItemView } from '../../storage/repositories/batch.repository.js';
import type { DeliveryWithAttempts } from '../../storage/repositories/webhook.repository.js';
import type { GraphQLContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 timestamp in UTC, e.g. 2026-11-25T17:14:05.123Z. */
  DateTime: { input: Date; output: Date; }
  /** A file sent with the GraphQL multipart request spec (graphql-upload). */
  Upload: { input: UploadPromise; output: UploadPromise; }
};

/** An uploaded image with its metadata. The bytes are kept once per distinct content. */
export type Asset = Node & {
  __typename?: 'Asset';
  /** Size of the original file in bytes. */
  byteSize: Scalars['Int']['output'];
  /**
   * The photo's colours; `foreground` and `background` from the latest mask (null before one,
   * and for a moment after a new one while they are recomputed). Null for a moment after upload.
   */
  colors?: Maybe<AssetColors>;
  /** When the asset was uploaded. */
  createdAt: Scalars['DateTime']['output'];
  /**
   * Where crops centre when the subject does not fit: a person's point (`setFocalPoint`), else
   * the latest mask's centre (weighted by its mass), else the photo's centre.
   */
  focalPoint: FocalPoint;
  /** The ground-truth mask set with `setGroundTruth`; null when none. */
  groundTruth?: Maybe<GroundTruth>;
  /** Height in pixels after applying the EXIF orientation. */
  height: Scalars['Int']['output'];
  /** The asset's id (a UUID). */
  id: Scalars['ID']['output'];
  /**
   * The asset as a preset delivers it: a signed URL that never expires and whose bytes never
   * change (the photo's, the mask's and the preset's versions are in it), cacheable by any
   * CDN. Null when `width` is not one of the preset's widths. BAD_USER_INPUT for an unknown
   * preset. See docs/api/images.md.
   */
  image?: Maybe<Image>;
  /** MIME type sniffed from the bytes, e.g. image/jpeg. */
  mimeType: Scalars['String']['output'];
  /** Display name (defaults to the uploaded file's name). */
  name: Scalars['String']['output'];
  /** EXIF orientation tag of the stored bytes (1 to 8; 1 when absent). */
  orientation: Scalars['Int']['output'];
  /**
   * A blurred placeholder to show while the image loads (ThumbHash). Computed off the event
   * loop after upload; null for a moment after it.
   */
  placeholder?: Maybe<Placeholder>;
  /**
   * How much the asset's masks look like they need a person's correction, in rough clicks: the
   * highest estimate over its model masks (loose fragments and holes, soft area, disagreement
   * with another model's mask; 50 for an empty mask). 0 until a segmentation succeeds; each
   * mask's estimate lands a moment after its SUCCEEDED (`Segmentation.reviewPriorityPending`). Orders
   * `assets(orderBy: REVIEW_PRIORITY)`; an ordering, not a measurement.
   */
  reviewPriority: Scalars['Float']['output'];
  /** The asset's segmentations, newest first. */
  segmentations: Array<Segmentation>;
  /** SHA-256 of the original file, lower-case hex. */
  sha256: Scalars['String']['output'];
  /** Tags in the order given, without duplicates. */
  tags: Array<Scalars['String']['output']>;
  /**
   * Signed, expiring URL of a WebP thumbnail whose longest side is `size` pixels
   * (never larger than the original). Sizes: 64, 128, 256, 512, 1024.
   */
  thumbnail: Scalars['String']['output'];
  /** When the name or tags last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** Signed, expiring URL of the original file, usable in an <img src>. */
  url: Scalars['String']['output'];
  /** Width in pixels after applying the EXIF orientation (as the image displays). */
  width: Scalars['Int']['output'];
};


/** An uploaded image with its metadata. The bytes are kept once per distinct content. */
export type AssetImageArgs = {
  preset: Scalars['String']['input'];
  width?: InputMaybe<Scalars['Int']['input']>;
};


/** An uploaded image with its metadata. The bytes are kept once per distinct content. */
export type AssetThumbnailArgs = {
  size?: InputMaybe<Scalars['Int']['input']>;
};

/** An asset's colours, as hex (#rrggbb). */
export type AssetColors = {
  __typename?: 'AssetColors';
  /** The background's mean colour; null without a mask. */
  background?: Maybe<Scalars['String']['output']>;
  /** The photo's dominant colour. */
  dominant: Scalars['String']['output'];
  /** The subject's mean colour, weighted by the latest mask; null without one. */
  foreground?: Maybe<Scalars['String']['output']>;
};

/** One page of assets (Relay connection). */
export type AssetConnection = {
  __typename?: 'AssetConnection';
  /** The assets of this page, in the requested order. */
  edges: Array<AssetEdge>;
  /** Whether another page follows, and the cursor to ask for it. */
  pageInfo: PageInfo;
  /** Number of the viewer's assets matching the filter. */
  totalCount: Scalars['Int']['output'];
};

/** An asset with its position in the listing. */
export type AssetEdge = {
  __typename?: 'AssetEdge';
  /** Opaque cursor of this edge, for `assets(after:)`. */
  cursor: Scalars['String']['output'];
  /** The asset. */
  node: Asset;
};

/** Criteria for `assets`; all given criteria must hold. */
export type AssetFilter = {
  /** Assets of exactly this MIME type, e.g. image/png. */
  mimeType?: InputMaybe<Scalars['String']['input']>;
  /** Assets whose name contains this text, ignoring case. */
  nameContains?: InputMaybe<Scalars['String']['input']>;
  /**
   * true: assets with a succeeded segmentation that nobody has corrected, restored or
   * confirmed yet (the review queue), once every model mask's review priority is known (a
   * moment after SUCCEEDED; see `Segmentation.reviewPriorityPending`). false: all the others.
   */
  needsReview?: InputMaybe<Scalars['Boolean']['input']>;
  /** Assets that carry every one of these tags. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Sort orders for `assets`; ties are broken by id in the same direction. */
export type AssetOrder =
  /** Smallest file first. */
  | 'BYTE_SIZE_ASC'
  /** Largest file first. */
  | 'BYTE_SIZE_DESC'
  /** Oldest first. */
  | 'CREATED_AT_ASC'
  /** Newest first (the default). */
  | 'CREATED_AT_DESC'
  /** By name, A to Z (byte order of the UTF-8 text). */
  | 'NAME_ASC'
  /** By name, Z to A. */
  | 'NAME_DESC'
  /** Most likely to need a correction first (`Asset.reviewPriority`, highest first). */
  | 'REVIEW_PRIORITY';

/** Parameters of the BACKGROUND_BLUR effect. */
export type BackgroundBlurEffect = {
  /** Edge softening, 0 to 50; default 0. */
  featherPx?: InputMaybe<Scalars['Float']['input']>;
  /** 0 (none) to 1 (strongest); default 0.5. σ = strength × 3 % of the longer side, at most 120 px. */
  strength?: InputMaybe<Scalars['Float']['input']>;
};

/** How a background asset fills the frame. */
export type BackgroundFit =
  /** Show the whole background, letterboxed with color. */
  | 'CONTAIN'
  /** Fill the frame, cropping the background (centred). */
  | 'COVER';

/** Parameters of the BACKGROUND_REPLACE effect. */
export type BackgroundReplaceEffect = {
  /** One of your assets as the background (another owner's is BAD_USER_INPUT). */
  backgroundAssetId?: InputMaybe<Scalars['ID']['input']>;
  /** The background colour (hex such as "#1e90ff"); default white. Also the letterbox colour with fit CONTAIN. */
  color?: InputMaybe<Scalars['String']['input']>;
  /** Edge softening, 0 to 50; default 0. */
  featherPx?: InputMaybe<Scalars['Float']['input']>;
  /** With a background asset: COVER (default) or CONTAIN. */
  fit?: InputMaybe<BackgroundFit>;
  /** A gradient from color to another colour instead of a solid colour. */
  gradient?: InputMaybe<GradientInput>;
  /** A drop shadow of the subject on the new background; default none. */
  shadow?: InputMaybe<DropShadowInput>;
};

/** Work over many assets (`startBatch`). */
export type Batch = {
  __typename?: 'Batch';
  /** Items by state; they always add up to `total`. */
  counts: BatchCounts;
  /** When it was started. */
  createdAt: Scalars['DateTime']['output'];
  /** Seconds left at that pace; null while paused or before the first item finishes. */
  etaSeconds?: Maybe<Scalars['Int']['output']>;
  /** When its last item finished, or it was cancelled; null until then. */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Null for a dry run. */
  id?: Maybe<Scalars['ID']['output']>;
  /** Its items in order, with the error of each failed one. */
  items: Array<BatchItem>;
  /** What it does. */
  kind: BatchKind;
  /** A segment batch's mode. */
  mode?: Maybe<SegmentMode>;
  /** A segment batch's model. */
  model?: Maybe<Scalars['String']['output']>;
  /** A render batch's preset. */
  preset?: Maybe<Scalars['String']['output']>;
  /** Where it stands. */
  status: BatchStatus;
  /** A tag batch's tags added and removed. */
  tagsAdded?: Maybe<Array<Scalars['String']['output']>>;
  /** A tag batch's tags removed. */
  tagsRemoved?: Maybe<Array<Scalars['String']['output']>>;
  /** Items finished per second since it last started, resumed or was retried; null before the first. */
  throughput?: Maybe<Scalars['Float']['output']>;
};


/** Work over many assets (`startBatch`). */
export type BatchItemsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<BatchItemStatus>;
};

/** One action of a batch: give exactly one field. */
export type BatchAction =
  /** Delete each asset (as `deleteAsset`). */
  { delete: DeleteBatchAction; render?: never; segment?: never; tag?: never; }
  |  /** Render each asset's images of a preset ahead of their first request (warms `Asset.image` URLs). */
  { delete?: never; render: RenderBatchAction; segment?: never; tag?: never; }
  |  /** Segment each asset. */
  { delete?: never; render?: never; segment: SegmentBatchAction; tag?: never; }
  |  /** Add and remove tags. */
  { delete?: never; render?: never; segment?: never; tag: TagBatchAction; };

/** A batch's items by state. */
export type BatchCounts = {
  __typename?: 'BatchCounts';
  /** Failed (see `items(status: FAILED)` for why). */
  failed: Scalars['Int']['output'];
  /** Waiting to run (while paused too). */
  queued: Scalars['Int']['output'];
  /** Running now. */
  running: Scalars['Int']['output'];
  /** Not run: cancelled before they started, or their asset was deleted first. */
  skipped: Scalars['Int']['output'];
  /** Done. */
  succeeded: Scalars['Int']['output'];
  /** Every item (the assets it took). */
  total: Scalars['Int']['output'];
};

/** One asset of a batch. */
export type BatchItem = {
  __typename?: 'BatchItem';
  /** The asset's id (a delete batch's assets are gone once done). */
  assetId: Scalars['ID']['output'];
  /** Why it failed or was skipped: an error code (see docs/api/errors.md); null otherwise. */
  errorCode?: Maybe<Scalars['String']['output']>;
  /** Why it failed or was skipped, for people; null otherwise. */
  errorMessage?: Maybe<Scalars['String']['output']>;
  /** The item's id (for `after`). */
  id: Scalars['ID']['output'];
  /** A segment batch's run for this asset. */
  segmentation?: Maybe<Segmentation>;
  /** Where it stands. */
  status: BatchItemStatus;
};

/** Where an item of a batch stands. */
export type BatchItemStatus =
  /** Dropped with its batch before it ran. */
  | 'CANCELLED'
  /** Failed, with `errorCode` and `errorMessage`. */
  | 'FAILED'
  /** Waiting to run. */
  | 'QUEUED'
  /** Running now. */
  | 'RUNNING'
  /** Not run: its asset was gone (deleted meanwhile). */
  | 'SKIPPED'
  /** Done. */
  | 'SUCCEEDED';

/** What a batch does to each asset. */
export type BatchKind =
  /** Deletes it. */
  | 'DELETE'
  /** Renders its images of a preset. */
  | 'RENDER'
  /** Segments it. */
  | 'SEGMENT'
  /** Adds and removes tags. */
  | 'TAG';

/** Where a batch stands. */
export type BatchStatus =
  /** Its waiting items were dropped (`cancelBatch`). */
  | 'CANCELLED'
  /** The answer of `dryRun: true`: nothing was created. */
  | 'DRY_RUN'
  /** Every item finished, some failed (see `items(status: FAILED)`). */
  | 'FAILED'
  /** No new item starts until `resumeBatch`. */
  | 'PAUSED'
  /** Created, none of its items started yet: they wait behind single requests, other owners' batches or a paused queue (`maskgraph queue pause`). */
  | 'PENDING'
  /** Some of its items have started; the rest are queued or running. */
  | 'RUNNING'
  /** Every item finished, none failed. */
  | 'SUCCEEDED';

/** A rectangle in pixels of the oriented image. */
export type BoundingBox = {
  __typename?: 'BoundingBox';
  /** Height. */
  height: Scalars['Int']['output'];
  /** Width. */
  width: Scalars['Int']['output'];
  /** Left edge. */
  x: Scalars['Int']['output'];
  /** Top edge. */
  y: Scalars['Int']['output'];
};

/** Whether a rendition came from the cache. */
export type CacheStatus =
  /** Served from an earlier identical render; no image work was done. */
  | 'HIT'
  /** Rendered for this request. */
  | 'MISS';

/** Parameters of the COLOR_SPLASH effect. */
export type ColorSplashEffect = {
  /** Edge softening, 0 to 50; default 0. */
  featherPx?: InputMaybe<Scalars['Float']['input']>;
};

/** A correction: exactly one of `mask` and `strokes`. */
export type CorrectMaskInput = {
  /** A whole new mask: a grey or alpha PNG (or WebP, JPEG) at the asset's oriented size. */
  mask?: InputMaybe<Scalars['Upload']['input']>;
  /** The segmentation to correct (it must be SUCCEEDED). */
  segmentationId: Scalars['ID']['input'];
  /** Brush strokes painted in order onto the latest version; at most 200 strokes and 20000 points. */
  strokes?: InputMaybe<Array<StrokeInput>>;
};

/**
 * The human correction effort a version embodies: HCE (the DIS paper's estimated clicks; the
 * official script's variant) of the model's mask against this version, with its parts, and the
 * pixels changed from the parent version. Always exact: a mask larger than METRICS_MAX_PIXELS
 * cannot be corrected (PAYLOAD_TOO_LARGE), so no version lacks its effort.
 */
export type CorrectionEffort = {
  __typename?: 'CorrectionEffort';
  /** Independent false-negative regions. */
  fnIndep: Scalars['Int']['output'];
  /** Control points to fix false-negative boundaries. */
  fnPoints: Scalars['Int']['output'];
  /** Independent false-positive regions. */
  fpIndep: Scalars['Int']['output'];
  /** Control points to fix false-positive boundaries. */
  fpPoints: Scalars['Int']['output'];
  /** fpPoints + fpIndep + fnPoints + fnIndep. */
  hce: Scalars['Int']['output'];
  /** Pixels whose value differs from the parent version. */
  pixelsChanged: Scalars['Int']['output'];
};

/** A new webhook. */
export type CreateWebhookInput = {
  /** A note for people, at most 500 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** What it receives (at least one). */
  events: Array<WebhookEvent>;
  /** Where deliveries are POSTed: http(s), no credentials, a public address (see WEBHOOK_ALLOWED_HOSTS). */
  url: Scalars['String']['input'];
};

/** A preset's crop. */
export type Crop = {
  __typename?: 'Crop';
  /** Width / height of the crop. */
  aspectRatio: Scalars['Float']['output'];
  /** What the crop keeps in frame. */
  gravity: Gravity;
  /** Null: the largest crop of the ratio. A number: the tightest crop around the subject with this margin, in percent of its size. */
  paddingPercent?: Maybe<Scalars['Float']['output']>;
};

/** A crop for a preset. */
export type CropInput = {
  /** Width / height, 0.1 to 10 (1 square, 0.5625 for 9:16). */
  aspectRatio: Scalars['Float']['input'];
  /** What the crop keeps in frame; default SUBJECT. */
  gravity?: InputMaybe<Gravity>;
  /** Zoom to the subject with this margin (0 to 100 % of its size); default: the largest crop. */
  paddingPercent?: InputMaybe<Scalars['Float']['input']>;
};

/** Parameters of the CUTOUT effect. */
export type CutoutEffect = {
  /** Crop to the subject's bounding box plus this many pixels (0 to 10000); default: no crop. */
  cropMarginPx?: InputMaybe<Scalars['Int']['input']>;
  /**
   * Give semi-transparent edge pixels the subject's own colour instead of the photo's mix with the
   * old background: the foreground F of I = α·F + (1 − α)·B, estimated by fast multi-level
   * foreground estimation (Germer et al. 2020); default true.
   */
  decontaminate?: InputMaybe<Scalars['Boolean']['input']>;
  /** Edge softening, 0 to 50; default 0. */
  featherPx?: InputMaybe<Scalars['Float']['input']>;
};

/** The result of `deleteAsset`. */
export type DeleteAssetPayload = {
  __typename?: 'DeleteAssetPayload';
  /** Id of the deleted asset. */
  id: Scalars['ID']['output'];
};

/** A delete batch. */
export type DeleteBatchAction = {
  /** Must be true: deleting is not undone. */
  confirm: Scalars['Boolean']['input'];
};

/** The result of `deletePreset`. */
export type DeletePresetPayload = {
  __typename?: 'DeletePresetPayload';
  /** The deleted preset's name. */
  name: Scalars['String']['output'];
};

/** Parameters of the DEPTH_OF_FIELD effect. */
export type DepthOfFieldEffect = {
  /** Distance from the subject, 1 to 10000 px, at which the blur reaches its strongest; default 200. */
  falloffPx?: InputMaybe<Scalars['Float']['input']>;
  /** Edge softening, 0 to 50; default 0. */
  featherPx?: InputMaybe<Scalars['Float']['input']>;
  /** How much bright background highlights bloom, 0 to 1; default 0.5 (DISC only). */
  highlights?: InputMaybe<Scalars['Float']['input']>;
  /** DISC (default): a lens's bokeh, where bright points bloom into discs. GAUSSIAN: a soft blur. */
  lens?: InputMaybe<Lens>;
  /** The strongest blur, 0 to 1; default 0.5 (σ or disc radius = strength × 4 % of the longer side, capped). */
  strength?: InputMaybe<Scalars['Float']['input']>;
};

/** A drop shadow: the subject's silhouette, offset, softened and darkening the background. */
export type DropShadowInput = {
  /** Softness, 0 to 200; default 16. */
  blurPx?: InputMaybe<Scalars['Float']['input']>;
  /** Offset to the right, −500 to 500; default 12. */
  offsetX?: InputMaybe<Scalars['Float']['input']>;
  /** Offset downwards, −500 to 500; default 18. */
  offsetY?: InputMaybe<Scalars['Float']['input']>;
  /** 0 to 1; default 0.5. */
  opacity?: InputMaybe<Scalars['Float']['input']>;
};

/**
 * Which effect to render, with its own parameters: exactly one member (a `@oneOf` input), so
 * the schema says what each kind takes. For example `{ backgroundBlur: { strength: 0.6 } }`,
 * `{ cutout: {} }` or `{ depthOfField: { lens: DISC, highlights: 0.8 } }`. Pixel parameters are
 * in pixels of the full-size photo and scale with the output.
 */
export type EffectInput =
  /** Subject sharp, background blurred without halo. */
  { backgroundBlur: BackgroundBlurEffect; backgroundReplace?: never; colorSplash?: never; cutout?: never; depthOfField?: never; hcePoints?: never; mask?: never; maskOverlay?: never; outline?: never; }
  |  /** Subject over a colour, a gradient or another of your assets, with an optional drop shadow. */
  { backgroundBlur?: never; backgroundReplace: BackgroundReplaceEffect; colorSplash?: never; cutout?: never; depthOfField?: never; hcePoints?: never; mask?: never; maskOverlay?: never; outline?: never; }
  |  /** Background in grey, subject in colour. */
  { backgroundBlur?: never; backgroundReplace?: never; colorSplash: ColorSplashEffect; cutout?: never; depthOfField?: never; hcePoints?: never; mask?: never; maskOverlay?: never; outline?: never; }
  |  /** RGBA image whose alpha is the mask. */
  { backgroundBlur?: never; backgroundReplace?: never; colorSplash?: never; cutout: CutoutEffect; depthOfField?: never; hcePoints?: never; mask?: never; maskOverlay?: never; outline?: never; }
  |  /** A lens-like blur that grows with distance from the subject (the depth proxy). */
  { backgroundBlur?: never; backgroundReplace?: never; colorSplash?: never; cutout?: never; depthOfField: DepthOfFieldEffect; hcePoints?: never; mask?: never; maskOverlay?: never; outline?: never; }
  |  /**
   * Where HCE says a person's clicks go, over the photo: HCE of the rendered mask version
   * against the asset's ground truth (FAILED_PRECONDITION without one). Red: false positive,
   * blue: false negative; dots are boundary control points, rings whole regions.
   */
  { backgroundBlur?: never; backgroundReplace?: never; colorSplash?: never; cutout?: never; depthOfField?: never; hcePoints: HcePointsEffect; mask?: never; maskOverlay?: never; outline?: never; }
  |  /** The mask itself, as a grey image. */
  { backgroundBlur?: never; backgroundReplace?: never; colorSplash?: never; cutout?: never; depthOfField?: never; hcePoints?: never; mask: MaskEffect; maskOverlay?: never; outline?: never; }
  |  /** The photo with the mask tinted over it and its contour drawn. */
  { backgroundBlur?: never; backgroundReplace?: never; colorSplash?: never; cutout?: never; depthOfField?: never; hcePoints?: never; mask?: never; maskOverlay: MaskOverlayEffect; outline?: never; }
  |  /** A sticker-like stroke around the subject. */
  { backgroundBlur?: never; backgroundReplace?: never; colorSplash?: never; cutout?: never; depthOfField?: never; hcePoints?: never; mask?: never; maskOverlay?: never; outline: OutlineEffect; };

/** Arguments of `evaluateModels`. */
export type EvaluateModelsInput = {
  /** Only assets matching this filter (and having ground truth). */
  filter?: InputMaybe<AssetFilter>;
  /** Model ids from `models`, 1 to 8. */
  models: Array<Scalars['String']['input']>;
  /** Answer only when finished (or after `waitTimeoutMs`). */
  wait?: InputMaybe<Scalars['Boolean']['input']>;
  /** Longest wait in milliseconds, 1 to 120000. */
  waitTimeoutMs?: InputMaybe<Scalars['Int']['input']>;
};

/** A comparison of models over assets with ground truth. */
export type Evaluation = Node & {
  __typename?: 'Evaluation';
  /** Assets with ground truth that matched the filter. */
  assetCount: Scalars['Int']['output'];
  /** When it was started. */
  createdAt: Scalars['DateTime']['output'];
  /** Error code when FAILED. */
  errorCode?: Maybe<Scalars['String']['output']>;
  /** Readable reason when FAILED. */
  errorMessage?: Maybe<Scalars['String']['output']>;
  /** When it finished. */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The evaluation's id (a UUID). */
  id: Scalars['ID']['output'];
  /** Per asset and model, worst first by default, so a reviewer opens the worst masks first. */
  items: Array<EvaluationItem>;
  /** The models compared. */
  models: Array<Scalars['String']['output']>;
  /** 0 to 1: the share of (asset, model) pairs scored. */
  progress: Scalars['Float']['output'];
  /** Where the job stands (same states as a segmentation). */
  status: SegmentationStatus;
  /** One row per model, best maxF first; empty until SUCCEEDED. */
  table: Array<ModelScore>;
};


/** A comparison of models over assets with ground truth. */
export type EvaluationItemsArgs = {
  model?: InputMaybe<Scalars['String']['input']>;
  orderBy?: InputMaybe<EvaluationItemOrder>;
};

/** One asset scored with one model. */
export type EvaluationItem = {
  __typename?: 'EvaluationItem';
  /** The asset. */
  asset: Asset;
  /** HCE (official DIS definition). */
  hce: Scalars['Int']['output'];
  /** Model run time in milliseconds; null when the mask was reused. */
  inferenceMs?: Maybe<Scalars['Float']['output']>;
  /** MAE. */
  mae: Scalars['Float']['output'];
  /** Maximum of this image's F-measure curve. */
  maxF: Scalars['Float']['output'];
  /** Mean of this image's E-measure curve. */
  meanE: Scalars['Float']['output'];
  /** The model id. */
  model: Scalars['String']['output'];
  /** The segmentation whose mask was scored. */
  segmentation: Segmentation;
  /** S-measure; null where undefined. */
  sm?: Maybe<Scalars['Float']['output']>;
  /** Weighted F-measure. */
  wfm: Scalars['Float']['output'];
};

/** Sort orders of evaluation items. */
export type EvaluationItemOrder =
  /** Lowest HCE first. */
  | 'HCE_ASC'
  /** Highest HCE (most correction needed) first. */
  | 'HCE_DESC'
  /** Highest MAE first. */
  | 'MAE_DESC';

/** A point crops centre on. */
export type FocalPoint = {
  __typename?: 'FocalPoint';
  /** Where it comes from. */
  source: FocalPointSource;
  /** 0 (left) to 1 (right). */
  x: Scalars['Float']['output'];
  /** 0 (top) to 1 (bottom). */
  y: Scalars['Float']['output'];
};

/** A point for `setFocalPoint`. */
export type FocalPointInput = {
  /** 0 (left) to 1 (right). */
  x: Scalars['Float']['input'];
  /** 0 (top) to 1 (bottom). */
  y: Scalars['Float']['input'];
};

/** Where a focal point comes from. */
export type FocalPointSource =
  /** The photo's centre: no subject was found (or no mask yet). */
  | 'CENTER'
  /** The latest mask's centre, weighted by its mass (a stray fragment hardly moves it). */
  | 'MASK'
  /** Set by a person (`setFocalPoint`). */
  | 'USER';

/** A two-colour gradient. */
export type GradientInput = {
  /** LINEAR (default) or RADIAL. */
  shape?: InputMaybe<GradientShape>;
  /** The second colour (hex). */
  to: Scalars['String']['input'];
};

/** Linear (top to bottom) or radial (centre outwards) gradient. */
export type GradientShape =
  /** From color at the top to gradient.to at the bottom. */
  | 'LINEAR'
  /** From color at the centre to gradient.to at the corners. */
  | 'RADIAL';

/** What a crop keeps in frame. */
export type Gravity =
  /** Centred on the photo. */
  | 'CENTER'
  /** Centred on the focal point (`Asset.focalPoint`). */
  | 'FOCAL_POINT'
  /**
   * The whole subject box of the latest mask whenever it fits at the aspect ratio (centred on
   * it as far as the photo's edges allow); otherwise centred on the focal point.
   */
  | 'SUBJECT';

/** A ground-truth mask (0 or 255 per pixel) at the asset's oriented size. */
export type GroundTruth = {
  __typename?: 'GroundTruth';
  /** Fraction of foreground pixels. */
  foregroundRatio: Scalars['Float']['output'];
  /** Height in pixels. */
  height: Scalars['Int']['output'];
  /** When it was last set. */
  updatedAt: Scalars['DateTime']['output'];
  /** Signed, expiring URL of the mask as a grey PNG. */
  url: Scalars['String']['output'];
  /** Width in pixels. */
  width: Scalars['Int']['output'];
};

/** The parts of HCE: boundary points to fix and independent regions to add or delete. */
export type HceParts = {
  __typename?: 'HceParts';
  /** False-negative regions to add with one click each. */
  fnIndep: Scalars['Int']['output'];
  /** Polygon points along false-negative boundaries. */
  fnPoints: Scalars['Int']['output'];
  /** False-positive regions to delete with one click each. */
  fpIndep: Scalars['Int']['output'];
  /** Polygon points along false-positive boundaries. */
  fpPoints: Scalars['Int']['output'];
};

/** HCE's correction points, each [x, y] in mask pixels. */
export type HcePoints = {
  __typename?: 'HcePoints';
  /** Control points fixing false-negative boundaries (fnPoints of them). */
  falseNegative: Array<Array<Scalars['Int']['output']>>;
  /** One pixel of each independent false-negative region (fnIndep of them). */
  falseNegativeRegions: Array<Array<Scalars['Int']['output']>>;
  /** Control points fixing false-positive boundaries (fpPoints of them). */
  falsePositive: Array<Array<Scalars['Int']['output']>>;
  /** One pixel of each independent false-positive region (fpIndep of them). */
  falsePositiveRegions: Array<Array<Scalars['Int']['output']>>;
};

/** Parameters of the HCE_POINTS effect. */
export type HcePointsEffect = {
  /** Dot radius in pixels of the full-size photo, 1 to 100; default 1/150 of the longer side (at least 3). */
  markerPx?: InputMaybe<Scalars['Float']['input']>;
};

/** An asset delivered by a preset. */
export type Image = {
  __typename?: 'Image';
  /** A URL without the content version, for e-mail and static HTML: redirects to the current `url` (cached for a minute). */
  aliasUrl: Scalars['String']['output'];
  /** The rectangle taken from the original, in its pixels. */
  crop: BoundingBox;
  /** Height of the delivered image in pixels. */
  height: Scalars['Int']['output'];
  /** Every width of the preset as `url width` pairs, for `<img srcset>`. */
  srcset: Scalars['String']['output'];
  /** Signed URL that never expires; its bytes never change. Cache it anywhere. */
  url: Scalars['String']['output'];
  /** Width of the delivered image in pixels. */
  width: Scalars['Int']['output'];
};

/** Output image formats. */
export type ImageFormat =
  /**
   * Presets only: chosen per request from the Accept header, AVIF when the browser accepts it,
   * else WebP, else JPEG (PNG when the result is transparent). Answers carry `Vary: Accept`.
   */
  | 'AUTO'
  /** AVIF. */
  | 'AVIF'
  /** JPEG; the default for opaque results, refused for transparent ones. */
  | 'JPEG'
  /** Lossless; the default for transparent results. */
  | 'PNG'
  /** WebP. */
  | 'WEBP';

/** The blur kernel of DEPTH_OF_FIELD. */
export type Lens =
  /** A uniform disc: out-of-focus highlights become discs, as with a real lens. */
  | 'DISC'
  /** A Gaussian: smooth, without bokeh. */
  | 'GAUSSIAN';

/** Limits enforced by this gateway, so a client can check before sending. */
export type Limits = {
  __typename?: 'Limits';
  /** MIME types accepted by uploadAsset. */
  acceptedMimeTypes: Array<Scalars['String']['output']>;
  /** Largest accepted width × height. */
  maxInputPixels: Scalars['Int']['output'];
  /** Most aliases one operation may use. */
  maxQueryAliases: Scalars['Int']['output'];
  /** Deepest selection a query may have. */
  maxQueryDepth: Scalars['Int']['output'];
  /** Largest accepted upload, in bytes. */
  maxUploadBytes: Scalars['Int']['output'];
  /** Sizes accepted by `Asset.thumbnail(size:)`. */
  thumbnailSizes: Array<Scalars['Int']['output']>;
};

/** An 8-bit grey mask at the asset's oriented size (255 = foreground); a draft's at its preview proxy's size. */
export type Mask = {
  __typename?: 'Mask';
  /** Tight box around the pixels at 128 or above, in the photo's pixels (a draft's scaled up from its mask's, outwards); null when there are none. */
  boundingBox?: Maybe<BoundingBox>;
  /** Fraction of pixels at 128 or above. */
  foregroundRatio: Scalars['Float']['output'];
  /** Height in pixels (the asset's oriented height; a draft's: its preview proxy's). */
  height: Scalars['Int']['output'];
  /**
   * False when the model found no confident foreground (its highest raw output stayed below
   * 0.5). Only a flag: the mask is still min–max stretched, exactly as the upstream pipeline
   * writes it, so a client decides what "no subject" means for it. For a corrected version:
   * whether any pixel is at 128 or above.
   */
  subjectFound: Scalars['Boolean']['output'];
  /** Signed, expiring URL of the mask as a grey PNG. */
  url: Scalars['String']['output'];
  /** Width in pixels (the asset's oriented width; a draft's: its preview proxy's, at most PROXY_MAX_SIDE). */
  width: Scalars['Int']['output'];
};

/** Parameters of the MASK effect. */
export type MaskEffect = {
  /** Edge softening, 0 to 50; default 0. */
  featherPx?: InputMaybe<Scalars['Float']['input']>;
  /** Swap foreground and background; default false. */
  invert?: InputMaybe<Scalars['Boolean']['input']>;
  /** Binarise at this value (1–255) instead of keeping the soft mask. */
  threshold?: InputMaybe<Scalars['Int']['input']>;
};

/** Parameters of the MASK_OVERLAY effect. */
export type MaskOverlayEffect = {
  /** The tint (hex); default "#ff2d55". */
  color?: InputMaybe<Scalars['String']['input']>;
  /** Tint opacity, 0 to 1; default 0.45. */
  opacity?: InputMaybe<Scalars['Float']['input']>;
};

/** One version of a segmentation's mask. Immutable; a change is a new version. */
export type MaskVersion = {
  __typename?: 'MaskVersion';
  /** What it cost over the model's mask, in HCE; null for the model's version. */
  correction?: Maybe<CorrectionEffort>;
  /** When it was made. */
  createdAt: Scalars['DateTime']['output'];
  /** The mask. */
  mask: Mask;
  /** The version it was made from; null for the model's. */
  parentVersion?: Maybe<Scalars['Int']['output']>;
  /** Where it came from. */
  source: MaskVersionSource;
  /** 1 for the model's mask, then 2, 3, … in order. */
  version: Scalars['Int']['output'];
};

/** A mask version of a segmentation. */
export type MaskVersionInput = {
  /** The segmentation. */
  segmentationId: Scalars['ID']['input'];
  /** The version; default the latest. */
  version?: InputMaybe<Scalars['Int']['input']>;
};

/** Where a mask version came from. */
export type MaskVersionSource =
  /** The latest version confirmed as right (`confirmMask`). */
  | 'CONFIRMATION'
  /** A person's correction (`correctMask`). */
  | 'CORRECTION'
  /** The model's output (version 1). */
  | 'MODEL'
  /** An older version made the latest again (`restoreMaskVersion`). */
  | 'RESTORE';

/** A segmentation model from the registry (models/<id>/model.json). */
export type Model = {
  __typename?: 'Model';
  /** Whether its weights are in place and verified. */
  available: Scalars['Boolean']['output'];
  /** Human-readable name. */
  displayName: Scalars['String']['output'];
  /** The onnxruntime execution provider runs use (cpu or cuda). */
  executionProvider: Scalars['String']['output'];
  /** The family whose conventions it follows. */
  family: ModelFamily;
  /** The id to pass as `segmentAsset(input: { model })`. */
  id: Scalars['String']['output'];
  /** Model input height in pixels. */
  inputHeight: Scalars['Int']['output'];
  /** Model input width in pixels. */
  inputWidth: Scalars['Int']['output'];
  /** True for the model used when `segmentAsset` names none. */
  isDefault: Scalars['Boolean']['output'];
  /** Licence of the weights. */
  licence: Scalars['String']['output'];
  /** Where the weights come from. */
  source: Scalars['String']['output'];
  /** Why it is unavailable and how to make it available; null when available. */
  unavailableReason?: Maybe<Scalars['String']['output']>;
  /** SHA-256 of the weights in use; null when unavailable. */
  weightsSha256?: Maybe<Scalars['String']['output']>;
};

/** How much correcting one model's masks has cost (see `correctionStats`). */
export type ModelCorrectionStats = {
  __typename?: 'ModelCorrectionStats';
  /** Of those, the ones whose latest version differs from the model's mask (HCE above 0). */
  corrected: Scalars['Int']['output'];
  /** Mean HCE of the latest versions against the model's masks, over the reviewed. */
  meanHce: Scalars['Float']['output'];
  /** Median of the same. */
  medianHce: Scalars['Float']['output'];
  /** The model id. */
  model: Scalars['String']['output'];
  /** Share of the reviewed that needed no correction (HCE 0), 0 to 1. */
  neededNoneRatio: Scalars['Float']['output'];
  /** Segmentations of this model a person reviewed: corrected or confirmed at least once. */
  reviewed: Scalars['Int']['output'];
};

/** The model family, i.e. the pipeline conventions a model follows. */
export type ModelFamily =
  /** BASNet (2019): 256×256, conventions of U²-Net, first of eight outputs. */
  | 'BASNET'
  /** IS-Net (DIS, ECCV 2022): 1024×1024, x/255 − 0.5. */
  | 'ISNET'
  /** U²-Net (2020): 320×320, divide by max, ImageNet mean/std, first of seven outputs. */
  | 'U2NET';

/** A model's row of an evaluation, reduced as the DIS evaluators do. */
export type ModelScore = {
  __typename?: 'ModelScore';
  /** Assets scored. */
  count: Scalars['Int']['output'];
  /** Mean MAE. */
  mae: Scalars['Float']['output'];
  /** Maximum of the image-averaged F-measure curve (β² 0.3). */
  maxF: Scalars['Float']['output'];
  /** Mean of the image-averaged E-measure curve. */
  meanE: Scalars['Float']['output'];
  /** Mean HCE (official DIS definition). */
  meanHce: Scalars['Float']['output'];
  /** Mean model run time in milliseconds over the masks computed for this evaluation or earlier; null when all were reused without timings. */
  meanInferenceMs?: Maybe<Scalars['Float']['output']>;
  /** The model id. */
  model: Scalars['String']['output'];
  /** Mean S-measure; null when some image's S-measure is undefined (NaN in the reference). */
  sm?: Maybe<Scalars['Float']['output']>;
  /** Mean weighted F-measure. */
  wfm: Scalars['Float']['output'];
};

/** Writes. Every field acts on the authenticated owner's assets only. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Runs an upload rule over the assets that match it now, as batches (see `startBatch`): a
   * segment batch (mode MISSING, the rule's model and threshold) when it segments, and a render
   * batch per preset. A render batch skips an asset whose mask is still being made; its images
   * follow that mask when it succeeds. With `dryRun` the batches are only counted.
   */
  applyUploadRule: Array<Batch>;
  /** Drops the waiting items (CANCELLED); running ones finish. FAILED_PRECONDITION once finished. */
  cancelBatch: Batch;
  /** Records that the latest mask is right: a version with the latest mask (HCE 0 when that is the model's). */
  confirmMask: MaskVersion;
  /**
   * Corrects a segmentation's mask: a whole new mask (`mask`, a grey or alpha PNG at the
   * asset's size, as for `setGroundTruth` but kept soft) or brush strokes (`strokes`, painted
   * by the server onto the latest version, antialiased). Appends a version with what the
   * correction cost in HCE. Exactly one of the two. FAILED_PRECONDITION before SUCCEEDED.
   */
  correctMask: MaskVersion;
  /**
   * Creates a preset: a named way to deliver assets as images (`Asset.image`). Fails with
   * BAD_USER_INPUT for a taken or built-in name or an invalid part, BUSY past 50 presets.
   */
  createPreset: Preset;
  /**
   * Creates an upload rule: every later upload that matches `when` gets `then` (a segmentation,
   * preset images stored ahead, a review threshold). BAD_USER_INPUT naming the field for a rule
   * with no action, an unknown preset or type, a threshold without `segment`, or past 20 rules;
   * MODEL_UNAVAILABLE for a model that is not installed.
   */
  createUploadRule: UploadRule;
  /**
   * Registers an endpoint for events, signed as Standard Webhooks says. The secret is in the
   * answer only this once. Fails with BAD_USER_INPUT for a URL that is not http(s), carries
   * credentials, or resolves to a private, loopback, link-local or reserved address (unless its
   * host is in WEBHOOK_ALLOWED_HOSTS), for no events, or past MAX_WEBHOOKS_PER_OWNER.
   */
  createWebhook: WebhookWithSecret;
  /**
   * Deletes one of the viewer's assets with its thumbnails; stored files no longer used
   * by any asset are removed too.
   */
  deleteAsset: DeleteAssetPayload;
  /** Deletes one of the viewer's presets and the images rendered for it: their URLs answer 404. */
  deletePreset: DeletePresetPayload;
  /** Deletes an upload rule; uploads from then on are not touched by it. True when done, NOT_FOUND for another owner's. */
  deleteUploadRule: Scalars['Boolean']['output'];
  /** Deletes a webhook with its deliveries; attempts already scheduled are not made. True when done. */
  deleteWebhook: Scalars['Boolean']['output'];
  /** Turns a webhook disabled after repeated failures back on (its failure count reset). */
  enableWebhook: Webhook;
  /**
   * Compares models over the viewer's assets that have ground truth (and match the filter):
   * runs whatever segmentations are missing (identical ones are reused), scores every mask
   * and builds a DIS-style table per model. Returns at once (QUEUED); follow it with
   * `evaluationUpdated` or `evaluation(id)`, or pass `wait: true`.
   */
  evaluateModels: Evaluation;
  /** No new item of the batch starts; running ones finish. FAILED_PRECONDITION unless RUNNING. */
  pauseBatch: Batch;
  /**
   * Starts rendering an effect that is too heavy to wait for (a full-size render of a large
   * photo) and answers at once: READY with the rendition when it is already cached, else
   * RENDERING while a worker renders it (a queued job; BUSY when MAX_QUEUED_RENDERS wait).
   * Ask again, on any gateway (this mutation or `Segmentation.effect` with the same input),
   * to get it from the cache once done. Renders the latest mask version, or `version`; a larger
   * output than MAX_OUTPUT_PIXELS is BAD_USER_INPUT on `output.maxWidth`.
   */
  renderEffect: RenderJob;
  /** Makes an older mask version the latest again, as a new version (history is never rewritten). */
  restoreMaskVersion: MaskVersion;
  /** Queues a paused batch's waiting items again. FAILED_PRECONDITION unless PAUSED. */
  resumeBatch: Batch;
  /**
   * Runs a finished batch's failed items again (with `failedOnly: false` also its cancelled
   * ones); FAILED_PRECONDITION while it runs or is paused.
   */
  retryBatch: Batch;
  /**
   * A new signing secret, shown this once. The old one keeps signing beside it (two
   * signatures per message) for `graceSeconds`, so receivers can switch without a gap.
   */
  rotateWebhookSecret: WebhookWithSecret;
  /**
   * Segments one of the viewer's assets with a model. Returns at once with status QUEUED
   * (watch it with `segmentationUpdated` or poll `segmentation`), or SUCCEEDED when the same
   * image bytes, weights and options were segmented before (`reused: true`). With
   * `wait: true` the answer comes when the job is finished or after `waitTimeoutMs`,
   * whichever is first. Fails with NOT_FOUND (asset), BAD_USER_INPUT (unknown model),
   * MODEL_UNAVAILABLE (weights missing), BUSY (the queue, or this owner's share of it, is full: retry later).
   */
  segmentAsset: Segmentation;
  /**
   * Sets the point crops centre on when the subject does not fit (gravity SUBJECT) or always
   * (FOCAL_POINT); null goes back to the one from the mask. Image URLs change with it.
   */
  setFocalPoint: Asset;
  /**
   * Stores a ground-truth (or human-corrected) mask for one of the viewer's assets: an 8-bit
   * grey PNG, or an image whose alpha channel is the mask, at the asset's oriented size;
   * binarised as the reference does (> 128). Replaces any earlier one; quality reports
   * computed against the old mask are recomputed on their next read. Fails with NOT_FOUND,
   * UNSUPPORTED_MEDIA_TYPE, or BAD_USER_INPUT naming both sizes when they differ.
   * Send it like `uploadAsset` (multipart, with the CSRF header).
   */
  setGroundTruth: Asset;
  /**
   * One action over many assets: those matching `filter`, or `assetIds` (give one of the two).
   * Created in a few statements whatever its size and answered at once (RUNNING); its work
   * runs behind every single request. With `dryRun: true` nothing is stored or changed: the
   * answer (`DRY_RUN`, no id) says how many assets it would take. Fails with BAD_USER_INPUT
   * (both or neither selection, more than BATCH_MAX_ASSETS assets), NOT_FOUND (an id that is not
   * the viewer's asset), MODEL_UNAVAILABLE, BUSY (MAX_OPEN_BATCHES_PER_OWNER batches already
   * running or paused).
   */
  startBatch: Batch;
  /** Renames or re-tags one of the viewer's assets. Omitted fields stay as they are. */
  updateAsset: Asset;
  /**
   * Replaces one of the viewer's presets (by `input.name`). Its revision goes up, so every URL
   * of it changes; old URLs redirect to the new ones.
   */
  updatePreset: Preset;
  /**
   * Uploads an image (JPEG, PNG, WebP, AVIF, TIFF, GIF first frame; HEIC where the
   * image library supports it). The type is sniffed from the bytes; the client's
   * filename extension and content type are ignored. Fails with PAYLOAD_TOO_LARGE
   * (bytes or pixels over the limit), UNSUPPORTED_MEDIA_TYPE (not an accepted image,
   * or corrupt/truncated data), BAD_USER_INPUT (name or tags invalid).
   */
  uploadAsset: Asset;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationApplyUploadRuleArgs = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationCancelBatchArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationConfirmMaskArgs = {
  segmentationId: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationCorrectMaskArgs = {
  input: CorrectMaskInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationCreatePresetArgs = {
  input: PresetInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationCreateUploadRuleArgs = {
  input: UploadRuleInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationCreateWebhookArgs = {
  input: CreateWebhookInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationDeleteAssetArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationDeletePresetArgs = {
  name: Scalars['String']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationDeleteUploadRuleArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationDeleteWebhookArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationEnableWebhookArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationEvaluateModelsArgs = {
  input: EvaluateModelsInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationPauseBatchArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationRenderEffectArgs = {
  input: EffectInput;
  output?: InputMaybe<OutputInput>;
  segmentationId: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationRestoreMaskVersionArgs = {
  segmentationId: Scalars['ID']['input'];
  version: Scalars['Int']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationResumeBatchArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationRetryBatchArgs = {
  failedOnly?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationRotateWebhookSecretArgs = {
  graceSeconds?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationSegmentAssetArgs = {
  input: SegmentAssetInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationSetFocalPointArgs = {
  assetId: Scalars['ID']['input'];
  point?: InputMaybe<FocalPointInput>;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationSetGroundTruthArgs = {
  assetId: Scalars['ID']['input'];
  fromVersion?: InputMaybe<MaskVersionInput>;
  mask?: InputMaybe<Scalars['Upload']['input']>;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationStartBatchArgs = {
  input: StartBatchInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationUpdateAssetArgs = {
  id: Scalars['ID']['input'];
  input: UpdateAssetInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationUpdatePresetArgs = {
  input: PresetInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationUploadAssetArgs = {
  file: Scalars['Upload']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

/**
 * An object with a globally unique id, refetchable by `node(id:)` (the Relay convention). Ids
 * are UUIDs, unique across every type.
 */
export type Node = {
  /** The object's id (a UUID). */
  id: Scalars['ID']['output'];
};

/** Parameters of the OUTLINE effect. */
export type OutlineEffect = {
  /** Stroke colour (hex); default white. */
  color?: InputMaybe<Scalars['String']['input']>;
  /** Draw on the photo instead of on a transparent background; default false. */
  onPhoto?: InputMaybe<Scalars['Boolean']['input']>;
  /** Stroke width, 1 to 200; default 12. */
  widthPx?: InputMaybe<Scalars['Float']['input']>;
};

/** How an effect is encoded and how large it is. */
export type OutputInput = {
  /** Default PNG for transparent results (CUTOUT, OUTLINE off the photo), JPEG otherwise. */
  format?: InputMaybe<ImageFormat>;
  /** Largest output height in pixels (never enlarged). */
  maxHeight?: InputMaybe<Scalars['Int']['input']>;
  /** Largest output width in pixels (never enlarged). */
  maxWidth?: InputMaybe<Scalars['Int']['input']>;
  /** Encoder quality 1–100 for WEBP, AVIF and JPEG; default 82. */
  quality?: InputMaybe<Scalars['Int']['input']>;
};

/** Whoever owns assets; API keys authenticate as an owner. */
export type Owner = Node & {
  __typename?: 'Owner';
  /** When the owner was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The owner's id (a UUID). */
  id: Scalars['ID']['output'];
  /** Display name given when the owner was created. */
  name: Scalars['String']['output'];
};

/** Pagination state of a connection page (Relay's PageInfo). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when more items follow this page (paging backward: true when `before` was given). */
  hasNextPage: Scalars['Boolean']['output'];
  /** True when items precede this page (paging forward: true when `after` was given). */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first edge; null on an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A placeholder to show while an image loads. */
export type Placeholder = {
  __typename?: 'Placeholder';
  /** The same decoded to a tiny PNG, as a data: URL for `<img src>` or a CSS background. */
  dataUrl: Scalars['String']['output'];
  /** ThumbHash of the photo, base64 (decode it with the thumbhash package). */
  thumbhash: Scalars['String']['output'];
};

/** A named way to deliver an asset as an image (`Asset.image`). */
export type Preset = {
  __typename?: 'Preset';
  /** True for the presets every owner has (thumbnail, card, story, photo, cutout). */
  builtIn: Scalars['Boolean']['output'];
  /** How the photo is cropped; null for the whole frame. */
  crop?: Maybe<Crop>;
  /** The effect's kind (an `EffectInput` member, e.g. backgroundBlur); null for the photo itself. */
  effect?: Maybe<Scalars['String']['output']>;
  /** The effect's parameters with every default applied, as JSON; null without an effect. */
  effectParameters?: Maybe<Scalars['String']['output']>;
  /** The delivered format (AUTO negotiates by Accept). */
  format: ImageFormat;
  /** Its name, used in URLs: lower-case letters, digits and dashes. */
  name: Scalars['String']['output'];
  /** Encoder quality, 1 to 100. */
  quality: Scalars['Int']['output'];
  /** Goes up with every change; part of every URL of the preset. */
  revision: Scalars['Int']['output'];
  /** The widths its URLs may name, ascending. */
  widths: Array<Scalars['Int']['output']>;
};

/** Arguments of `createPreset` and `updatePreset`. */
export type PresetInput = {
  /** The crop; none for the whole frame. */
  crop?: InputMaybe<CropInput>;
  /** The effect; none for the photo itself. Not HCE_POINTS, a background asset or cutout's cropMarginPx. */
  effect?: InputMaybe<EffectInput>;
  /** Lower-case letters, digits and dashes, 1 to 40; not a built-in preset's name. */
  name: Scalars['String']['input'];
  /** Format (default AUTO) and quality (default 75); the size comes from `widths`. */
  output?: InputMaybe<OutputInput>;
  /** 1 to 12 widths in pixels, 16 to 4096 (never enlarged beyond the crop). */
  widths: Array<Scalars['Int']['input']>;
};

/** What can be said about a mask without ground truth. None of these is HCE. */
export type QualityEstimate = {
  __typename?: 'QualityEstimate';
  /** perimeter² / (4π·area) of the foreground: 1 for a disc, larger for ragged or many-part masks; 0 when empty. */
  boundaryComplexity: Scalars['Float']['output'];
  /** The model whose mask `estimatedHce` compares against. */
  comparedWithModel?: Maybe<Scalars['String']['output']>;
  /**
   * An estimated HCE: HCE of this mask against the latest mask another model made of the same
   * asset (their disagreement, not an error against truth). Null when no other model has
   * segmented the asset.
   */
  estimatedHce?: Maybe<Scalars['Int']['output']>;
  /** Number of separate foreground regions (8-connected, mask ≥ 128). */
  fragments: Scalars['Int']['output'];
  /** Number of background regions enclosed by foreground (4-connected, not touching the border). */
  holes: Scalars['Int']['output'];
  /** Fraction of pixels neither clearly foreground nor background (mask values 26 to 229). */
  uncertainFraction: Scalars['Float']['output'];
};

/**
 * A segmentation's mask scored against its asset's ground truth. HCE is the DIS paper's
 * human correction effort (official script: mask > 128, relax 5, ε 2); the others follow
 * PySODMetrics (mask divided by 255 and min–max stretched). Lower HCE and MAE are better;
 * for the rest higher is better.
 */
export type QualityReport = {
  __typename?: 'QualityReport';
  /** E-measure at the adaptive threshold. */
  adpE: Scalars['Float']['output'];
  /** F-measure (β² 0.3) at the adaptive threshold 2·mean. */
  adpF: Scalars['Float']['output'];
  /** Balanced error rate of that binary mask. */
  ber: Scalars['Float']['output'];
  /** When it was computed. */
  computedAt: Scalars['DateTime']['output'];
  /** Milliseconds the computation took. */
  computedMs: Scalars['Float']['output'];
  /** Dice coefficient of that binary mask. */
  dice: Scalars['Float']['output'];
  /** Human correction effort: estimated clicks to fix the mask (fpPoints + fpIndep + fnPoints + fnIndep). Computed exactly, on a mask of at most METRICS_MAX_PIXELS pixels; a larger mask has no report (PAYLOAD_TOO_LARGE). */
  hce: Scalars['Int']['output'];
  /** The four parts of HCE. */
  hceParts: HceParts;
  /**
   * Where HCE says the clicks go, in mask pixels [x, y]: its control points (the polygon
   * vertices of the wrong boundaries) and one pixel of each independent region, as the HCE
   * computation finds them. Computed on first read, off the event loop.
   */
  hcePoints: HcePoints;
  /** IoU of the mask binarised at 0.5 (after min–max). */
  iou: Scalars['Float']['output'];
  /** Mean absolute error, 0 to 1. */
  mae: Scalars['Float']['output'];
  /** Maximum of the E-measure curve. */
  maxE: Scalars['Float']['output'];
  /** Maximum of the 256-threshold F-measure curve. */
  maxF: Scalars['Float']['output'];
  /** Mean of the E-measure curve. */
  meanE: Scalars['Float']['output'];
  /** Mean of the 256-threshold F-measure curve. */
  meanF: Scalars['Float']['output'];
  /** S-measure (α 0.5); null where the reference gives NaN (ground-truth centroid on the last row or column). */
  sm?: Maybe<Scalars['Float']['output']>;
  /** Weighted F-measure (β 1). */
  wfm: Scalars['Float']['output'];
};

/** Reads. Every field answers for the authenticated owner only. */
export type Query = {
  __typename?: 'Query';
  /** One of the viewer's assets. Fails with NOT_FOUND for an unknown id or another owner's asset. */
  asset: Asset;
  /**
   * The viewer's assets as a Relay connection. Page forward with `first` and the `endCursor`
   * of the previous page, or backward with `last` and its `startCursor`; a cursor is only
   * valid with the same `orderBy`. `first` is 20 when neither is given.
   */
  assets: AssetConnection;
  /** One of the viewer's batches. Fails with NOT_FOUND for an unknown id or another owner's. */
  batch: Batch;
  /** The viewer's batches, newest first. */
  batches: Array<Batch>;
  /**
   * Per model, what correcting its masks has cost over the viewer's library: every
   * segmentation a person corrected or confirmed, measured by its latest version's HCE against
   * the model's mask. Answers "which model saves my team the most work on our images".
   */
  correctionStats: Array<ModelCorrectionStats>;
  /** One of the viewer's evaluations. Fails with NOT_FOUND for an unknown id or another owner's. */
  evaluation: Evaluation;
  /** The viewer's evaluations, newest first. */
  evaluations: Array<Evaluation>;
  /** The limits this gateway enforces on uploads and queries. */
  limits: Limits;
  /** Every segmentation model the gateway knows, available or not (with the reason and the fix). */
  models: Array<Model>;
  /**
   * Any of the viewer's objects by id: an asset, segmentation, evaluation, rendition, preset or
   * the viewer. Null for an unknown id and for another owner's, alike.
   */
  node?: Maybe<Node>;
  /** `node` for many ids at once, in their order (null where `node` would be). */
  nodes: Array<Maybe<Node>>;
  /** The built-in presets, then the viewer's own by name (see `Asset.image`). */
  presets: Array<Preset>;
  /** One of the viewer's segmentations. Fails with NOT_FOUND for an unknown id or another owner's. */
  segmentation: Segmentation;
  /** The viewer's upload rules, oldest first (the order they run in). */
  uploadRules: Array<UploadRule>;
  /** The owner the request authenticates as (the API key's owner, or the single user). */
  viewer: Owner;
  /** A webhook's deliveries, newest first, each with its attempts. NOT_FOUND for another owner's webhook. */
  webhookDeliveries: Array<WebhookDelivery>;
  /** The viewer's webhooks, oldest first. */
  webhooks: Array<Webhook>;
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryAssetArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryAssetsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AssetFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<AssetOrder>;
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryBatchArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryBatchesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<BatchStatus>;
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryCorrectionStatsArgs = {
  filter?: InputMaybe<AssetFilter>;
  model?: InputMaybe<Scalars['String']['input']>;
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryEvaluationArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryEvaluationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/** Reads. Every field answers for the authenticated owner only. */
export type QuerySegmentationArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  webhookId: Scalars['ID']['input'];
};

/**
 * A render batch: each asset's images of one preset are rendered and stored, so the first
 * request of each URL (a CDN filling its cache) answers at once. An asset whose preset needs a
 * mask it does not have yet is SKIPPED (segment it first).
 */
export type RenderBatchAction = {
  /** Which formats; default the preset's own, or for AUTO what a current browser negotiates (AVIF). */
  formats?: InputMaybe<Array<ImageFormat>>;
  /** The preset's name (built-in or one of the viewer's). */
  preset: Scalars['String']['input'];
  /** Which of the preset's widths; default all of them. */
  widths?: InputMaybe<Array<Scalars['Int']['input']>>;
};

/** The answer of `renderEffect`. */
export type RenderJob = {
  __typename?: 'RenderJob';
  /** The rendition when READY. */
  rendition?: Maybe<Rendition>;
  /** READY: `rendition` is set. RENDERING: ask again shortly. */
  status: RenderStatus;
};

/** Where a background render stands. */
export type RenderStatus =
  /** Rendered and cached. */
  | 'READY'
  /** Being rendered. */
  | 'RENDERING';

/** A rendered effect. */
export type Rendition = Node & {
  __typename?: 'Rendition';
  /** Size in bytes. */
  byteSize: Scalars['Int']['output'];
  /** HIT when no image work was done for this request. */
  cacheStatus: CacheStatus;
  /** The image inline as a data: URL when it is at most 64 KiB (a small preview), else null. */
  dataUrl?: Maybe<Scalars['String']['output']>;
  /** Image format. */
  format: ImageFormat;
  /** Height in pixels. */
  height: Scalars['Int']['output'];
  /** The rendition's id. */
  id: Scalars['ID']['output'];
  /** Milliseconds the render took (when it was rendered). */
  renderMs: Scalars['Float']['output'];
  /** Signed, expiring URL of the image (cacheable: its content never changes). */
  url: Scalars['String']['output'];
  /** Width in pixels. */
  width: Scalars['Int']['output'];
};

/** Arguments of `segmentAsset`. */
export type SegmentAssetInput = {
  /** The asset to segment. */
  assetId: Scalars['ID']['input'];
  /**
   * Also make a quick draft with U²-Net-p, queued ahead of this run, and answer once the draft
   * is finished (within `waitTimeoutMs`): `draft` on the answer is that draft run, a
   * segmentation of its own whose mask and effects can stand in until this run's mask arrives.
   * No draft when the model is U²-Net-p itself, an identical run answers at once, or the queue
   * is full.
   */
  draft?: InputMaybe<Scalars['Boolean']['input']>;
  /** A model id from `models`; the default model when omitted. */
  model?: InputMaybe<Scalars['String']['input']>;
  /**
   * Refine the mask's edges at the photo's full resolution after the model (a colour guided
   * filter inside the band the enlargement blurred; `Segmentation.refined`). Off by default:
   * the unrefined mask is the model's upstream-exact output. A refined run has its own reuse key.
   */
  refine?: InputMaybe<Scalars['Boolean']['input']>;
  /** Answer only when the job is finished (or `waitTimeoutMs` passed). */
  wait?: InputMaybe<Scalars['Boolean']['input']>;
  /** Longest wait in milliseconds, 1 to 120000. */
  waitTimeoutMs?: InputMaybe<Scalars['Int']['input']>;
};

/** A segment batch. */
export type SegmentBatchAction = {
  /** Which assets of the selection to segment. */
  mode?: InputMaybe<SegmentMode>;
  /** The model; default the default model. */
  model?: InputMaybe<Scalars['String']['input']>;
  /** Refine the edges at full resolution (as `segmentAsset`). */
  refine?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Which assets a segment batch takes, for its model's current weights. */
export type SegmentMode =
  /** All of them. */
  | 'ALL'
  /** Those with no succeeded segmentation of this model and weights. */
  | 'MISSING'
  /** Those whose masks of this model all came from other weights (and none from these). */
  | 'STALE';

/** A request to segment an asset, its job state and, when finished, its mask. */
export type Segmentation = Node & {
  __typename?: 'Segmentation';
  /** The segmented asset. */
  asset: Asset;
  /** When it was requested. */
  createdAt: Scalars['DateTime']['output'];
  /** The quick U²-Net-p draft asked with this run (`segmentAsset(input: { draft: true })`); null when none. */
  draft?: Maybe<Segmentation>;
  /**
   * An effect rendered from the photo and this mask's latest version, or `version` (the
   * segmentation must be SUCCEEDED, else FAILED_PRECONDITION; an unknown version is NOT_FOUND;
   * larger than MAX_OUTPUT_PIXELS is BAD_USER_INPUT on `output.maxWidth`). Cached: the same effect, parameters and output are rendered
   * once. Use aliases for several variants in one query, e.g.
   * `preview: effect(input: { backgroundBlur: { strength: 0.6 } }, output: { format: WEBP, maxWidth: 512 }) { url }`.
   * Null, with its error at this path, when this one render cannot be had (past the request's
   * render budget QUERY_TOO_COMPLEX, BUSY, a bad input): the rest of the answer, the renders
   * that did start included, is kept.
   */
  effect?: Maybe<Rendition>;
  /** Error code when FAILED (same codes as GraphQL errors, e.g. INFERENCE_FAILED; INTERRUPTED when its worker died or lost its lease JOB_MAX_ATTEMPTS times). */
  errorCode?: Maybe<Scalars['String']['output']>;
  /** Readable reason when FAILED. */
  errorMessage?: Maybe<Scalars['String']['output']>;
  /** When it finished. */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The segmentation's id (a UUID). */
  id: Scalars['ID']['output'];
  /** The model input height the photo was resized to. */
  inferenceHeight: Scalars['Int']['output'];
  /** The model input width the photo was resized to. */
  inferenceWidth: Scalars['Int']['output'];
  /** Whether this run is another run's draft (it is never reviewed). */
  isDraft: Scalars['Boolean']['output'];
  /** The mask: the latest version, or the one asked for; null until SUCCEEDED. */
  mask?: Maybe<Mask>;
  /** The model id used. */
  model: Scalars['String']['output'];
  /** 0 to 1: 0 queued, 0.1 running, 0.9 inferred, 1 finished. */
  progress: Scalars['Float']['output'];
  /**
   * The mask scored against the asset's ground truth: computed once (off the event loop) and
   * stored, recomputed when the ground truth changes. Null while not SUCCEEDED or when the
   * asset has no ground truth.
   */
  quality?: Maybe<QualityReport>;
  /**
   * Quality signals that need no ground truth (null until SUCCEEDED). Estimates, not
   * measurements; computed on each read, off the event loop.
   */
  qualityEstimate?: Maybe<QualityEstimate>;
  /** True when the edges were refined at full resolution after the model (`segmentAsset(input: { refine: true })`). */
  refined: Scalars['Boolean']['output'];
  /** True when answered from an identical earlier run without running the model again. */
  reused: Scalars['Boolean']['output'];
  /**
   * How much this mask looks like it needs a person's correction, in rough clicks (see
   * `Asset.reviewPriority`). Estimated after SUCCEEDED, off the answer's path: null while
   * `reviewPriorityPending`, and null when it could not be estimated.
   */
  reviewPriority?: Maybe<Scalars['Float']['output']>;
  /**
   * True from SUCCEEDED until the review priority is estimated (usually under a second). The
   * asset stays out of the review queue meanwhile; `segmentationUpdated` sends the change.
   */
  reviewPriorityPending: Scalars['Boolean']['output'];
  /** When a worker started it. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where the job stands. */
  status: SegmentationStatus;
  /** Time spent per stage; fields are null until the stage ran (all null when reused). */
  timings: SegmentationTimings;
  /** Every version of the mask, oldest first: 1 is the model's, then each correction; empty until SUCCEEDED. */
  versions: Array<MaskVersion>;
  /** SHA-256 of the model weights used. */
  weightsSha256: Scalars['String']['output'];
};


/** A request to segment an asset, its job state and, when finished, its mask. */
export type SegmentationEffectArgs = {
  input: EffectInput;
  output?: InputMaybe<OutputInput>;
  version?: InputMaybe<Scalars['Int']['input']>;
};


/** A request to segment an asset, its job state and, when finished, its mask. */
export type SegmentationMaskArgs = {
  version?: InputMaybe<Scalars['Int']['input']>;
};

/** Where a segmentation stands. */
export type SegmentationStatus =
  /** Finished without a mask; `errorCode` and `errorMessage` say why. */
  | 'FAILED'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** The model is running. */
  | 'RUNNING'
  /** Finished; `mask` is set. */
  | 'SUCCEEDED';

/** Milliseconds per stage of a segmentation job. */
export type SegmentationTimings = {
  __typename?: 'SegmentationTimings';
  /** The model run (onnxruntime session.run). */
  inferenceMs?: Maybe<Scalars['Float']['output']>;
  /** Loading the model in the worker's inference process, when this job had to (the first use, or after MODEL_IDLE_UNLOAD_SECONDS idle); null when it was loaded. */
  modelLoadMs?: Maybe<Scalars['Float']['output']>;
  /** Normalising the output and resizing the mask to the photo. */
  postprocessMs?: Maybe<Scalars['Float']['output']>;
  /** Decoding and resizing the photo into the input tensor. */
  preprocessMs?: Maybe<Scalars['Float']['output']>;
  /** From the request to a worker taking the job. */
  queueWaitMs?: Maybe<Scalars['Float']['output']>;
  /**
   * Refining the edges at full resolution (`refine: true` only): the job's wait for it after the
   * model. The photo's decode for it runs during the model run and is not counted here.
   */
  refineMs?: Maybe<Scalars['Float']['output']>;
  /** Encoding the PNG and storing it. */
  storeMs?: Maybe<Scalars['Float']['output']>;
};

/** Arguments of `startBatch`. */
export type StartBatchInput = {
  /** What to do to each. */
  action: BatchAction;
  /** These assets (at most BATCH_MAX_ASSETS). */
  assetIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Only count what it would take: nothing is stored or changed. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** The viewer's assets matching this filter (as `assets` takes it). */
  filter?: InputMaybe<AssetFilter>;
};

/** One brush stroke, in image pixels from the top-left corner of the image. */
export type StrokeInput = {
  /** What the brush paints. */
  mode: StrokeMode;
  /** Points [x, y] along the stroke; one point is a dab. */
  points: Array<Array<Scalars['Float']['input']>>;
  /** Brush radius, 0.5 to 500 pixels. */
  radiusPx: Scalars['Float']['input'];
};

/** What a brush stroke paints. */
export type StrokeMode =
  /** Foreground (255), with an antialiased edge. */
  | 'ADD'
  /** Background (0), with an antialiased edge. */
  | 'ERASE'
  /** Foreground with a feathered edge: solid to 2/3 of the radius, fading beyond. */
  | 'SOFT';

/** Pushes over graphql-ws (the `graphql-transport-ws` protocol) at the same /graphql path. */
export type Subscription = {
  __typename?: 'Subscription';
  /** The batch's state at once, then its counts as they change (at most twice a second), ending when it finishes. */
  batchUpdated: Batch;
  /** The evaluation's current state at once, then every progress change, ending when it finishes. */
  evaluationUpdated: Evaluation;
  /**
   * The segmentation's current state at once, then every change. SUCCEEDED comes as soon as
   * the mask is stored, with `reviewPriorityPending: true`; one more event brings the review
   * priority, and the subscription ends there (or after FAILED). Authenticate with
   * `connectionParams: { authorization: "Bearer mg_…" }`.
   */
  segmentationUpdated: Segmentation;
};


/** Pushes over graphql-ws (the `graphql-transport-ws` protocol) at the same /graphql path. */
export type SubscriptionBatchUpdatedArgs = {
  id: Scalars['ID']['input'];
};


/** Pushes over graphql-ws (the `graphql-transport-ws` protocol) at the same /graphql path. */
export type SubscriptionEvaluationUpdatedArgs = {
  id: Scalars['ID']['input'];
};


/** Pushes over graphql-ws (the `graphql-transport-ws` protocol) at the same /graphql path. */
export type SubscriptionSegmentationUpdatedArgs = {
  id: Scalars['ID']['input'];
};

/** A tag batch: tags added, then tags removed (same rules as on upload). */
export type TagBatchAction = {
  /** Tags each asset gets. */
  add?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Tags each asset loses. */
  remove?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Changes for `updateAsset`; omitted fields stay as they are. */
export type UpdateAssetInput = {
  /** New name, 1 to 200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the tags (same rules as on upload). */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** An owner's rule for uploads (`createUploadRule`). */
export type UploadRule = {
  __typename?: 'UploadRule';
  /** Created then. */
  createdAt: Scalars['DateTime']['output'];
  /** The note given at creation. */
  description?: Maybe<Scalars['String']['output']>;
  /** Its id. */
  id: Scalars['ID']['output'];
  /** What happens to them. */
  then: UploadRuleThen;
  /** Which uploads it applies to. */
  when: UploadRuleWhen;
};

/** What an upload rule does with each upload that matches it. */
export type UploadRuleInput = {
  /** A note for people, at most 500 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** What happens to them (at least `segment` or `render`). */
  then: UploadRuleThenInput;
  /** Which uploads it applies to. */
  when: UploadRuleWhenInput;
};

/** How an upload rule segments. */
export type UploadRuleSegment = {
  __typename?: 'UploadRuleSegment';
  /** The model's id; null: the default model at the time of each upload. */
  model?: Maybe<Scalars['String']['output']>;
  /** Whether the edges are refined. */
  refine: Scalars['Boolean']['output'];
};

/** How an upload rule segments. */
export type UploadRuleSegmentInput = {
  /** The model's id (see `models`); the default model when left out. */
  model?: InputMaybe<Scalars['String']['input']>;
  /** Refine the mask's edges at full resolution. */
  refine?: InputMaybe<Scalars['Boolean']['input']>;
};

/** An upload rule's actions. */
export type UploadRuleThen = {
  __typename?: 'UploadRuleThen';
  /** Presets whose images it stores ahead. */
  render: Array<Scalars['String']['output']>;
  /** Its review threshold; null: every mask it asks for goes to the review queue. */
  reviewIfPriorityAbove?: Maybe<Scalars['Float']['output']>;
  /** How it segments; null when it does not. */
  segment?: Maybe<UploadRuleSegment>;
};

/** An upload rule's actions. */
export type UploadRuleThenInput = {
  /** Presets (built-in or yours) whose images are stored ahead of their first request, once the mask exists when a preset needs one. */
  render?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The masks this rule asks for go to the review queue only when their review priority comes out above this; needs `segment`. */
  reviewIfPriorityAbove?: InputMaybe<Scalars['Float']['input']>;
  /** Segment each matching upload right after it is stored. */
  segment?: InputMaybe<UploadRuleSegmentInput>;
};

/** An upload rule's conditions. */
export type UploadRuleWhen = {
  __typename?: 'UploadRuleWhen';
  /** Types of which the upload must have one (none: any). */
  mimeTypes: Array<Scalars['String']['output']>;
  /** Tags the upload must all have (none: any). */
  tags: Array<Scalars['String']['output']>;
};

/** Which uploads a rule applies to: all of the conditions given (none given: every upload). */
export type UploadRuleWhenInput = {
  /** The upload's type is one of these (e.g. image/png). */
  mimeTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The upload has every one of these tags. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** An endpoint told of events. */
export type Webhook = {
  __typename?: 'Webhook';
  /** Failed attempts in a row (a success resets it). */
  consecutiveFailures: Scalars['Int']['output'];
  /** Created then. */
  createdAt: Scalars['DateTime']['output'];
  /** The note given at creation. */
  description?: Maybe<Scalars['String']['output']>;
  /** Set when it was disabled after WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row; nothing is sent until `enableWebhook`. */
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why it was disabled. */
  disabledReason?: Maybe<Scalars['String']['output']>;
  /** What it receives. */
  events: Array<WebhookEvent>;
  /** Its id. */
  id: Scalars['ID']['output'];
  /** Until then the secret before the last rotation also signs. */
  previousSecretExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where deliveries go. */
  url: Scalars['String']['output'];
};

/** One try of a delivery. */
export type WebhookAttempt = {
  __typename?: 'WebhookAttempt';
  /** When it was made. */
  attemptedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Milliseconds from the start of the request to the status line (or the failure). */
  durationMs?: Maybe<Scalars['Int']['output']>;
  /** Why it failed, in words. */
  error?: Maybe<Scalars['String']['output']>;
  /** 1 for the first. */
  number: Scalars['Int']['output'];
  /** The receiver's HTTP status, when it answered. */
  responseStatus?: Maybe<Scalars['Int']['output']>;
  /** When it is or was due. */
  scheduledAt: Scalars['DateTime']['output'];
  /** How it went. */
  status: WebhookAttemptStatus;
};

/** How one attempt went. */
export type WebhookAttemptStatus =
  /** No 2xx answer (see `responseStatus` and `error`). */
  | 'FAILED'
  /** Not made yet: `scheduledAt` is when it will be. */
  | 'SCHEDULED'
  /** Not made: the webhook was disabled. */
  | 'SKIPPED'
  /** A 2xx answer. */
  | 'SUCCEEDED';

/** One event for one webhook; its id is the `webhook-id` header of every attempt. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** Every attempt so far, first first. */
  attempts: Array<WebhookAttempt>;
  /** When the event happened. */
  createdAt: Scalars['DateTime']['output'];
  /** Its id, sent as `webhook-id` (the same on every retry, for de-duplication). */
  id: Scalars['ID']['output'];
  /** When the next attempt is due, while one is scheduled. */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where it stands. */
  status: WebhookDeliveryStatus;
  /** The event, as the body's `type` (`segmentation.succeeded`, …). */
  type: Scalars['String']['output'];
};

/** Where a delivery stands. */
export type WebhookDeliveryStatus =
  /** An attempt got a 2xx answer. */
  | 'DELIVERED'
  /** Given up: an answer that is not retried (4xx other than 408 and 429, a redirect, a refused destination), the attempts used up, or the webhook disabled. */
  | 'FAILED'
  /** Its next attempt is scheduled (or running). */
  | 'PENDING';

/** What a webhook receives; each delivery's body has `type` as the lower-case dotted name (`asset.created`, …). */
export type WebhookEvent =
  /** An asset was uploaded (`asset.created`). */
  | 'ASSET_CREATED'
  /** A batch ended: SUCCEEDED, FAILED or CANCELLED (`batch.finished`). */
  | 'BATCH_FINISHED'
  /** A person stored a new mask version: a correction, a restore or a confirmation (`mask.corrected`). */
  | 'MASK_CORRECTED'
  /** A full-size render asked for with `renderEffect` is ready (`rendition.ready`). */
  | 'RENDITION_READY'
  /** A segmentation ended without one (`segmentation.failed`), with its error code. */
  | 'SEGMENTATION_FAILED'
  /** A segmentation ended with a mask (`segmentation.succeeded`). */
  | 'SEGMENTATION_SUCCEEDED';

/** A webhook and its signing secret, which is shown only in this answer. */
export type WebhookWithSecret = {
  __typename?: 'WebhookWithSecret';
  /** The signing secret, `whsec_` and base64, as Standard Webhooks libraries take it. */
  secret: Scalars['String']['output'];
  /** The webhook. */
  webhook: Webhook;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;




/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = {
  Node:
    | ( AssetRecord )
    | ( EvaluationRecord )
    | ( OwnerRecord )
    | ( RenditionResult )
    | ( SegmentationRecord )
  ;
};

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Asset: ResolverTypeWrapper<AssetRecord>;
  AssetColors: ResolverTypeWrapper<AssetColors>;
  AssetConnection: ResolverTypeWrapper<AssetPage>;
  AssetEdge: ResolverTypeWrapper<Omit<AssetEdge, 'node'> & { node: ResolversTypes['Asset'] }>;
  AssetFilter: AssetFilter;
  AssetOrder: AssetOrder;
  BackgroundBlurEffect: BackgroundBlurEffect;
  BackgroundFit: BackgroundFit;
  BackgroundReplaceEffect: BackgroundReplaceEffect;
  Batch: ResolverTypeWrapper<BatchView>;
  BatchAction: BatchAction;
  BatchCounts: ResolverTypeWrapper<BatchCounts>;
  BatchItem: ResolverTypeWrapper<BatchItemView>;
  BatchItemStatus: BatchItemStatus;
  BatchKind: BatchKind;
  BatchStatus: BatchStatus;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  BoundingBox: ResolverTypeWrapper<BoundingBox>;
  CacheStatus: CacheStatus;
  ColorSplashEffect: ColorSplashEffect;
  CorrectMaskInput: CorrectMaskInput;
  CorrectionEffort: ResolverTypeWrapper<CorrectionEffort>;
  CreateWebhookInput: CreateWebhookInput;
  Crop: ResolverTypeWrapper<Crop>;
  CropInput: CropInput;
  CutoutEffect: CutoutEffect;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeleteAssetPayload: ResolverTypeWrapper<DeleteAssetPayload>;
  DeleteBatchAction: DeleteBatchAction;
  DeletePresetPayload: ResolverTypeWrapper<DeletePresetPayload>;
  DepthOfFieldEffect: DepthOfFieldEffect;
  DropShadowInput: DropShadowInput;
  EffectInput: EffectInput;
  EvaluateModelsInput: EvaluateModelsInput;
  Evaluation: ResolverTypeWrapper<EvaluationRecord>;
  EvaluationItem: ResolverTypeWrapper<EvaluationItemRecord>;
  EvaluationItemOrder: EvaluationItemOrder;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  FocalPoint: ResolverTypeWrapper<FocalPoint>;
  FocalPointInput: FocalPointInput;
  FocalPointSource: FocalPointSource;
  GradientInput: GradientInput;
  GradientShape: GradientShape;
  Gravity: Gravity;
  GroundTruth: ResolverTypeWrapper<GroundTruthRecord>;
  HceParts: ResolverTypeWrapper<HceParts>;
  HcePoints: ResolverTypeWrapper<HcePoints>;
  HcePointsEffect: HcePointsEffect;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Image: ResolverTypeWrapper<Image>;
  ImageFormat: ImageFormat;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Lens: Lens;
  Limits: ResolverTypeWrapper<Limits>;
  Mask: ResolverTypeWrapper<Mask>;
  MaskEffect: MaskEffect;
  MaskOverlayEffect: MaskOverlayEffect;
  MaskVersion: ResolverTypeWrapper<MaskVersionView>;
  MaskVersionInput: MaskVersionInput;
  MaskVersionSource: MaskVersionSource;
  Model: ResolverTypeWrapper<ModelEntry>;
  ModelCorrectionStats: ResolverTypeWrapper<ModelCorrectionStats>;
  ModelFamily: ModelFamily;
  ModelScore: ResolverTypeWrapper<ModelScore>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Node: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['Node']>;
  OutlineEffect: OutlineEffect;
  OutputInput: OutputInput;
  Owner: ResolverTypeWrapper<OwnerRecord>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Placeholder: ResolverTypeWrapper<Placeholder>;
  Preset: ResolverTypeWrapper<PresetSpec>;
  PresetInput: PresetInput;
  QualityEstimate: ResolverTypeWrapper<QualityEstimate>;
  QualityReport: ResolverTypeWrapper<QualityScoreRecord>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RenderBatchAction: RenderBatchAction;
  RenderJob: ResolverTypeWrapper<Omit<RenderJob, 'rendition'> & { rendition?: Maybe<ResolversTypes['Rendition']> }>;
  RenderStatus: RenderStatus;
  Rendition: ResolverTypeWrapper<RenditionResult>;
  SegmentAssetInput: SegmentAssetInput;
  SegmentBatchAction: SegmentBatchAction;
  SegmentMode: SegmentMode;
  Segmentation: ResolverTypeWrapper<SegmentationRecord>;
  SegmentationStatus: SegmentationStatus;
  SegmentationTimings: ResolverTypeWrapper<SegmentationTimings>;
  StartBatchInput: StartBatchInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  StrokeInput: StrokeInput;
  StrokeMode: StrokeMode;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TagBatchAction: TagBatchAction;
  UpdateAssetInput: UpdateAssetInput;
  Upload: ResolverTypeWrapper<Scalars['Upload']['output']>;
  UploadRule: ResolverTypeWrapper<UploadRuleRecord>;
  UploadRuleInput: UploadRuleInput;
  UploadRuleSegment: ResolverTypeWrapper<UploadRuleSegment>;
  UploadRuleSegmentInput: UploadRuleSegmentInput;
  UploadRuleThen: ResolverTypeWrapper<UploadRuleThen>;
  UploadRuleThenInput: UploadRuleThenInput;
  UploadRuleWhen: ResolverTypeWrapper<UploadRuleWhen>;
  UploadRuleWhenInput: UploadRuleWhenInput;
  Webhook: ResolverTypeWrapper<WebhookRecord>;
  WebhookAttempt: ResolverTypeWrapper<WebhookAttemptRecord>;
  WebhookAttemptStatus: WebhookAttemptStatus;
  WebhookDelivery: ResolverTypeWrapper<DeliveryWithAttempts>;
  WebhookDeliveryStatus: WebhookDeliveryStatus;
  WebhookEvent: WebhookEvent;
  WebhookWithSecret: ResolverTypeWrapper<Omit<WebhookWithSecret, 'webhook'> & { webhook: ResolversTypes['Webhook'] }>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Asset: AssetRecord;
  AssetColors: AssetColors;
  AssetConnection: AssetPage;
  AssetEdge: Omit<AssetEdge, 'node'> & { node: ResolversParentTypes['Asset'] };
  AssetFilter: AssetFilter;
  BackgroundBlurEffect: BackgroundBlurEffect;
  BackgroundReplaceEffect: BackgroundReplaceEffect;
  Batch: BatchView;
  BatchAction: BatchAction;
  BatchCounts: BatchCounts;
  BatchItem: BatchItemView;
  Boolean: Scalars['Boolean']['output'];
  BoundingBox: BoundingBox;
  ColorSplashEffect: ColorSplashEffect;
  CorrectMaskInput: CorrectMaskInput;
  CorrectionEffort: CorrectionEffort;
  CreateWebhookInput: CreateWebhookInput;
  Crop: Crop;
  CropInput: CropInput;
  CutoutEffect: CutoutEffect;
  DateTime: Scalars['DateTime']['output'];
  DeleteAssetPayload: DeleteAssetPayload;
  DeleteBatchAction: DeleteBatchAction;
  DeletePresetPayload: DeletePresetPayload;
  DepthOfFieldEffect: DepthOfFieldEffect;
  DropShadowInput: DropShadowInput;
  EffectInput: EffectInput;
  EvaluateModelsInput: EvaluateModelsInput;
  Evaluation: EvaluationRecord;
  EvaluationItem: EvaluationItemRecord;
  Float: Scalars['Float']['output'];
  FocalPoint: FocalPoint;
  FocalPointInput: FocalPointInput;
  GradientInput: GradientInput;
  GroundTruth: GroundTruthRecord;
  HceParts: HceParts;
  HcePoints: HcePoints;
  HcePointsEffect: HcePointsEffect;
  ID: Scalars['ID']['output'];
  Image: Image;
  Int: Scalars['Int']['output'];
  Limits: Limits;
  Mask: Mask;
  MaskEffect: MaskEffect;
  MaskOverlayEffect: MaskOverlayEffect;
  MaskVersion: MaskVersionView;
  MaskVersionInput: MaskVersionInput;
  Model: ModelEntry;
  ModelCorrectionStats: ModelCorrectionStats;
  ModelScore: ModelScore;
  Mutation: Record<PropertyKey, never>;
  Node: ResolversInterfaceTypes<ResolversParentTypes>['Node'];
  OutlineEffect: OutlineEffect;
  OutputInput: OutputInput;
  Owner: OwnerRecord;
  PageInfo: PageInfo;
  Placeholder: Placeholder;
  Preset: PresetSpec;
  PresetInput: PresetInput;
  QualityEstimate: QualityEstimate;
  QualityReport: QualityScoreRecord;
  Query: Record<PropertyKey, never>;
  RenderBatchAction: RenderBatchAction;
  RenderJob: Omit<RenderJob, 'rendition'> & { rendition?: Maybe<ResolversParentTypes['Rendition']> };
  Rendition: RenditionResult;
  SegmentAssetInput: SegmentAssetInput;
  SegmentBatchAction: SegmentBatchAction;
  Segmentation: SegmentationRecord;
  SegmentationTimings: SegmentationTimings;
  StartBatchInput: StartBatchInput;
  String: Scalars['String']['output'];
  StrokeInput: StrokeInput;
  Subscription: Record<PropertyKey, never>;
  TagBatchAction: TagBatchAction;
  UpdateAssetInput: UpdateAssetInput;
  Upload: Scalars['Upload']['output'];
  UploadRule: UploadRuleRecord;
  UploadRuleInput: UploadRuleInput;
  UploadRuleSegment: UploadRuleSegment;
  UploadRuleSegmentInput: UploadRuleSegmentInput;
  UploadRuleThen: UploadRuleThen;
  UploadRuleThenInput: UploadRuleThenInput;
  UploadRuleWhen: UploadRuleWhen;
  UploadRuleWhenInput: UploadRuleWhenInput;
  Webhook: WebhookRecord;
  WebhookAttempt: WebhookAttemptRecord;
  WebhookDelivery: DeliveryWithAttempts;
  WebhookWithSecret: Omit<WebhookWithSecret, 'webhook'> & { webhook: ResolversParentTypes['Webhook'] };
};

export type AssetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Asset'] = ResolversParentTypes['Asset']> = {
  byteSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  colors?: Resolver<Maybe<ResolversTypes['AssetColors']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  focalPoint?: Resolver<ResolversTypes['FocalPoint'], ParentType, ContextType>;
  groundTruth?: Resolver<Maybe<ResolversTypes['GroundTruth']>, ParentType, ContextType>;
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  image?: Resolver<Maybe<ResolversTypes['Image']>, ParentType, ContextType, RequireFields<AssetImageArgs, 'preset'>>;
  mimeType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orientation?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  placeholder?: Resolver<Maybe<ResolversTypes['Placeholder']>, ParentType, ContextType>;
  reviewPriority?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  segmentations?: Resolver<Array<ResolversTypes['Segmentation']>, ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  thumbnail?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<AssetThumbnailArgs, 'size'>>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type AssetColorsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AssetColors'] = ResolversParentTypes['AssetColors']> = {
  background?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  dominant?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  foreground?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type AssetConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AssetConnection'] = ResolversParentTypes['AssetConnection']> = {
  edges?: Resolver<Array<ResolversTypes['AssetEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AssetEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AssetEdge'] = ResolversParentTypes['AssetEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Asset'], ParentType, ContextType>;
};

export type BatchResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Batch'] = ResolversParentTypes['Batch']> = {
  counts?: Resolver<ResolversTypes['BatchCounts'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  etaSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['BatchItem']>, ParentType, ContextType, RequireFields<BatchItemsArgs, 'first'>>;
  kind?: Resolver<ResolversTypes['BatchKind'], ParentType, ContextType>;
  mode?: Resolver<Maybe<ResolversTypes['SegmentMode']>, ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  preset?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['BatchStatus'], ParentType, ContextType>;
  tagsAdded?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  tagsRemoved?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  throughput?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type BatchCountsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['BatchCounts'] = ResolversParentTypes['BatchCounts']> = {
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  queued?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  running?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  skipped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  succeeded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type BatchItemResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['BatchItem'] = ResolversParentTypes['BatchItem']> = {
  assetId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  errorCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  segmentation?: Resolver<Maybe<ResolversTypes['Segmentation']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['BatchItemStatus'], ParentType, ContextType>;
};

export type BoundingBoxResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['BoundingBox'] = ResolversParentTypes['BoundingBox']> = {
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  x?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  y?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CorrectionEffortResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['CorrectionEffort'] = ResolversParentTypes['CorrectionEffort']> = {
  fnIndep?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  fnPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  fpIndep?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  fpPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  hce?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pixelsChanged?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CropResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Crop'] = ResolversParentTypes['Crop']> = {
  aspectRatio?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  gravity?: Resolver<ResolversTypes['Gravity'], ParentType, ContextType>;
  paddingPercent?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeleteAssetPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DeleteAssetPayload'] = ResolversParentTypes['DeleteAssetPayload']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type DeletePresetPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DeletePresetPayload'] = ResolversParentTypes['DeletePresetPayload']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type EvaluationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Evaluation'] = ResolversParentTypes['Evaluation']> = {
  assetCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  errorCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['EvaluationItem']>, ParentType, ContextType, RequireFields<EvaluationItemsArgs, 'orderBy'>>;
  models?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SegmentationStatus'], ParentType, ContextType>;
  table?: Resolver<Array<ResolversTypes['ModelScore']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type EvaluationItemResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['EvaluationItem'] = ResolversParentTypes['EvaluationItem']> = {
  asset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType>;
  hce?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inferenceMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  mae?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  maxF?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanE?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  segmentation?: Resolver<ResolversTypes['Segmentation'], ParentType, ContextType>;
  sm?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  wfm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type FocalPointResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['FocalPoint'] = ResolversParentTypes['FocalPoint']> = {
  source?: Resolver<ResolversTypes['FocalPointSource'], ParentType, ContextType>;
  x?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  y?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type GroundTruthResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['GroundTruth'] = ResolversParentTypes['GroundTruth']> = {
  foregroundRatio?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type HcePartsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['HceParts'] = ResolversParentTypes['HceParts']> = {
  fnIndep?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  fnPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  fpIndep?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  fpPoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type HcePointsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['HcePoints'] = ResolversParentTypes['HcePoints']> = {
  falseNegative?: Resolver<Array<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  falseNegativeRegions?: Resolver<Array<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  falsePositive?: Resolver<Array<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  falsePositiveRegions?: Resolver<Array<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
};

export type ImageResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Image'] = ResolversParentTypes['Image']> = {
  aliasUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  crop?: Resolver<ResolversTypes['BoundingBox'], ParentType, ContextType>;
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  srcset?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LimitsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Limits'] = ResolversParentTypes['Limits']> = {
  acceptedMimeTypes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  maxInputPixels?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxQueryAliases?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxQueryDepth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxUploadBytes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  thumbnailSizes?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type MaskResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mask'] = ResolversParentTypes['Mask']> = {
  boundingBox?: Resolver<Maybe<ResolversTypes['BoundingBox']>, ParentType, ContextType>;
  foregroundRatio?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  subjectFound?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MaskVersionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['MaskVersion'] = ResolversParentTypes['MaskVersion']> = {
  correction?: Resolver<Maybe<ResolversTypes['CorrectionEffort']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  mask?: Resolver<ResolversTypes['Mask'], ParentType, ContextType>;
  parentVersion?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['MaskVersionSource'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ModelResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Model'] = ResolversParentTypes['Model']> = {
  available?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  executionProvider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  family?: Resolver<ResolversTypes['ModelFamily'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  inputHeight?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inputWidth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  isDefault?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  licence?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unavailableReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  weightsSha256?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ModelCorrectionStatsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ModelCorrectionStats'] = ResolversParentTypes['ModelCorrectionStats']> = {
  corrected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  meanHce?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  medianHce?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  neededNoneRatio?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  reviewed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ModelScoreResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ModelScore'] = ResolversParentTypes['ModelScore']> = {
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  mae?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  maxF?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanE?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanHce?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanInferenceMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sm?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  wfm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  applyUploadRule?: Resolver<Array<ResolversTypes['Batch']>, ParentType, ContextType, RequireFields<MutationApplyUploadRuleArgs, 'dryRun' | 'id'>>;
  cancelBatch?: Resolver<ResolversTypes['Batch'], ParentType, ContextType, RequireFields<MutationCancelBatchArgs, 'id'>>;
  confirmMask?: Resolver<ResolversTypes['MaskVersion'], ParentType, ContextType, RequireFields<MutationConfirmMaskArgs, 'segmentationId'>>;
  correctMask?: Resolver<ResolversTypes['MaskVersion'], ParentType, ContextType, RequireFields<MutationCorrectMaskArgs, 'input'>>;
  createPreset?: Resolver<ResolversTypes['Preset'], ParentType, ContextType, RequireFields<MutationCreatePresetArgs, 'input'>>;
  createUploadRule?: Resolver<ResolversTypes['UploadRule'], ParentType, ContextType, RequireFields<MutationCreateUploadRuleArgs, 'input'>>;
  createWebhook?: Resolver<ResolversTypes['WebhookWithSecret'], ParentType, ContextType, RequireFields<MutationCreateWebhookArgs, 'input'>>;
  deleteAsset?: Resolver<ResolversTypes['DeleteAssetPayload'], ParentType, ContextType, RequireFields<MutationDeleteAssetArgs, 'id'>>;
  deletePreset?: Resolver<ResolversTypes['DeletePresetPayload'], ParentType, ContextType, RequireFields<MutationDeletePresetArgs, 'name'>>;
  deleteUploadRule?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteUploadRuleArgs, 'id'>>;
  deleteWebhook?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteWebhookArgs, 'id'>>;
  enableWebhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType, RequireFields<MutationEnableWebhookArgs, 'id'>>;
  evaluateModels?: Resolver<ResolversTypes['Evaluation'], ParentType, ContextType, RequireFields<MutationEvaluateModelsArgs, 'input'>>;
  pauseBatch?: Resolver<ResolversTypes['Batch'], ParentType, ContextType, RequireFields<MutationPauseBatchArgs, 'id'>>;
  renderEffect?: Resolver<ResolversTypes['RenderJob'], ParentType, ContextType, RequireFields<MutationRenderEffectArgs, 'input' | 'segmentationId'>>;
  restoreMaskVersion?: Resolver<ResolversTypes['MaskVersion'], ParentType, ContextType, RequireFields<MutationRestoreMaskVersionArgs, 'segmentationId' | 'version'>>;
  resumeBatch?: Resolver<ResolversTypes['Batch'], ParentType, ContextType, RequireFields<MutationResumeBatchArgs, 'id'>>;
  retryBatch?: Resolver<ResolversTypes['Batch'], ParentType, ContextType, RequireFields<MutationRetryBatchArgs, 'failedOnly' | 'id'>>;
  rotateWebhookSecret?: Resolver<ResolversTypes['WebhookWithSecret'], ParentType, ContextType, RequireFields<MutationRotateWebhookSecretArgs, 'graceSeconds' | 'id'>>;
  segmentAsset?: Resolver<ResolversTypes['Segmentation'], ParentType, ContextType, RequireFields<MutationSegmentAssetArgs, 'input'>>;
  setFocalPoint?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<MutationSetFocalPointArgs, 'assetId'>>;
  setGroundTruth?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<MutationSetGroundTruthArgs, 'assetId'>>;
  startBatch?: Resolver<ResolversTypes['Batch'], ParentType, ContextType, RequireFields<MutationStartBatchArgs, 'input'>>;
  updateAsset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<MutationUpdateAssetArgs, 'id' | 'input'>>;
  updatePreset?: Resolver<ResolversTypes['Preset'], ParentType, ContextType, RequireFields<MutationUpdatePresetArgs, 'input'>>;
  uploadAsset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<MutationUploadAssetArgs, 'file'>>;
};

export type NodeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Node'] = ResolversParentTypes['Node']> = {
  __resolveType: TypeResolveFn<'Asset' | 'Evaluation' | 'Owner' | 'Rendition' | 'Segmentation', ParentType, ContextType>;
};

export type OwnerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Owner'] = ResolversParentTypes['Owner']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PlaceholderResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Placeholder'] = ResolversParentTypes['Placeholder']> = {
  dataUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  thumbhash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PresetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Preset'] = ResolversParentTypes['Preset']> = {
  builtIn?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  crop?: Resolver<Maybe<ResolversTypes['Crop']>, ParentType, ContextType>;
  effect?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  effectParameters?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  format?: Resolver<ResolversTypes['ImageFormat'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  quality?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revision?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  widths?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type QualityEstimateResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['QualityEstimate'] = ResolversParentTypes['QualityEstimate']> = {
  boundaryComplexity?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  comparedWithModel?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  estimatedHce?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  fragments?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  holes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  uncertainFraction?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type QualityReportResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['QualityReport'] = ResolversParentTypes['QualityReport']> = {
  adpE?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  adpF?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  ber?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  computedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  computedMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  dice?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  hce?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  hceParts?: Resolver<ResolversTypes['HceParts'], ParentType, ContextType>;
  hcePoints?: Resolver<ResolversTypes['HcePoints'], ParentType, ContextType>;
  iou?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  mae?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  maxE?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  maxF?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanE?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanF?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  sm?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  wfm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  asset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<QueryAssetArgs, 'id'>>;
  assets?: Resolver<ResolversTypes['AssetConnection'], ParentType, ContextType, RequireFields<QueryAssetsArgs, 'orderBy'>>;
  batch?: Resolver<ResolversTypes['Batch'], ParentType, ContextType, RequireFields<QueryBatchArgs, 'id'>>;
  batches?: Resolver<Array<ResolversTypes['Batch']>, ParentType, ContextType, RequireFields<QueryBatchesArgs, 'first'>>;
  correctionStats?: Resolver<Array<ResolversTypes['ModelCorrectionStats']>, ParentType, ContextType, Partial<QueryCorrectionStatsArgs>>;
  evaluation?: Resolver<ResolversTypes['Evaluation'], ParentType, ContextType, RequireFields<QueryEvaluationArgs, 'id'>>;
  evaluations?: Resolver<Array<ResolversTypes['Evaluation']>, ParentType, ContextType, RequireFields<QueryEvaluationsArgs, 'first'>>;
  limits?: Resolver<ResolversTypes['Limits'], ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType, RequireFields<QueryNodeArgs, 'id'>>;
  nodes?: Resolver<Array<Maybe<ResolversTypes['Node']>>, ParentType, ContextType, RequireFields<QueryNodesArgs, 'ids'>>;
  presets?: Resolver<Array<ResolversTypes['Preset']>, ParentType, ContextType>;
  segmentation?: Resolver<ResolversTypes['Segmentation'], ParentType, ContextType, RequireFields<QuerySegmentationArgs, 'id'>>;
  uploadRules?: Resolver<Array<ResolversTypes['UploadRule']>, ParentType, ContextType>;
  viewer?: Resolver<ResolversTypes['Owner'], ParentType, ContextType>;
  webhookDeliveries?: Resolver<Array<ResolversTypes['WebhookDelivery']>, ParentType, ContextType, RequireFields<QueryWebhookDeliveriesArgs, 'first' | 'webhookId'>>;
  webhooks?: Resolver<Array<ResolversTypes['Webhook']>, ParentType, ContextType>;
};

export type RenderJobResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['RenderJob'] = ResolversParentTypes['RenderJob']> = {
  rendition?: Resolver<Maybe<ResolversTypes['Rendition']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RenderStatus'], ParentType, ContextType>;
};

export type RenditionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Rendition'] = ResolversParentTypes['Rendition']> = {
  byteSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cacheStatus?: Resolver<ResolversTypes['CacheStatus'], ParentType, ContextType>;
  dataUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  format?: Resolver<ResolversTypes['ImageFormat'], ParentType, ContextType>;
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  renderMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SegmentationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Segmentation'] = ResolversParentTypes['Segmentation']> = {
  asset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  draft?: Resolver<Maybe<ResolversTypes['Segmentation']>, ParentType, ContextType>;
  effect?: Resolver<Maybe<ResolversTypes['Rendition']>, ParentType, ContextType, RequireFields<SegmentationEffectArgs, 'input'>>;
  errorCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inferenceHeight?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  inferenceWidth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  isDraft?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  mask?: Resolver<Maybe<ResolversTypes['Mask']>, ParentType, ContextType, Partial<SegmentationMaskArgs>>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  quality?: Resolver<Maybe<ResolversTypes['QualityReport']>, ParentType, ContextType>;
  qualityEstimate?: Resolver<Maybe<ResolversTypes['QualityEstimate']>, ParentType, ContextType>;
  refined?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reused?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reviewPriority?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reviewPriorityPending?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SegmentationStatus'], ParentType, ContextType>;
  timings?: Resolver<ResolversTypes['SegmentationTimings'], ParentType, ContextType>;
  versions?: Resolver<Array<ResolversTypes['MaskVersion']>, ParentType, ContextType>;
  weightsSha256?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SegmentationTimingsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SegmentationTimings'] = ResolversParentTypes['SegmentationTimings']> = {
  inferenceMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  modelLoadMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  postprocessMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  preprocessMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  queueWaitMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  refineMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  storeMs?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  batchUpdated?: SubscriptionResolver<ResolversTypes['Batch'], "batchUpdated", ParentType, ContextType, RequireFields<SubscriptionBatchUpdatedArgs, 'id'>>;
  evaluationUpdated?: SubscriptionResolver<ResolversTypes['Evaluation'], "evaluationUpdated", ParentType, ContextType, RequireFields<SubscriptionEvaluationUpdatedArgs, 'id'>>;
  segmentationUpdated?: SubscriptionResolver<ResolversTypes['Segmentation'], "segmentationUpdated", ParentType, ContextType, RequireFields<SubscriptionSegmentationUpdatedArgs, 'id'>>;
};

export interface UploadScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Upload'], any> {
  name: 'Upload';
}

export type UploadRuleResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UploadRule'] = ResolversParentTypes['UploadRule']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  then?: Resolver<ResolversTypes['UploadRuleThen'], ParentType, ContextType>;
  when?: Resolver<ResolversTypes['UploadRuleWhen'], ParentType, ContextType>;
};

export type UploadRuleSegmentResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UploadRuleSegment'] = ResolversParentTypes['UploadRuleSegment']> = {
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  refine?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type UploadRuleThenResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UploadRuleThen'] = ResolversParentTypes['UploadRuleThen']> = {
  render?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  reviewIfPriorityAbove?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  segment?: Resolver<Maybe<ResolversTypes['UploadRuleSegment']>, ParentType, ContextType>;
};

export type UploadRuleWhenResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['UploadRuleWhen'] = ResolversParentTypes['UploadRuleWhen']> = {
  mimeTypes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type WebhookResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Webhook'] = ResolversParentTypes['Webhook']> = {
  consecutiveFailures?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  disabledReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  events?: Resolver<Array<ResolversTypes['WebhookEvent']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  previousSecretExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type WebhookAttemptResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WebhookAttempt'] = ResolversParentTypes['WebhookAttempt']> = {
  attemptedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  durationMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  number?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  responseStatus?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  scheduledAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookAttemptStatus'], ParentType, ContextType>;
};

export type WebhookDeliveryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WebhookDelivery'] = ResolversParentTypes['WebhookDelivery']> = {
  attempts?: Resolver<Array<ResolversTypes['WebhookAttempt']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookDeliveryStatus'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type WebhookWithSecretResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WebhookWithSecret'] = ResolversParentTypes['WebhookWithSecret']> = {
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  webhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType>;
};

export type Resolvers<ContextType = GraphQLContext> = {
  Asset?: AssetResolvers<ContextType>;
  AssetColors?: AssetColorsResolvers<ContextType>;
  AssetConnection?: AssetConnectionResolvers<ContextType>;
  AssetEdge?: AssetEdgeResolvers<ContextType>;
  Batch?: BatchResolvers<ContextType>;
  BatchCounts?: BatchCountsResolvers<ContextType>;
  BatchItem?: BatchItemResolvers<ContextType>;
  BoundingBox?: BoundingBoxResolvers<ContextType>;
  CorrectionEffort?: CorrectionEffortResolvers<ContextType>;
  Crop?: CropResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeleteAssetPayload?: DeleteAssetPayloadResolvers<ContextType>;
  DeletePresetPayload?: DeletePresetPayloadResolvers<ContextType>;
  Evaluation?: EvaluationResolvers<ContextType>;
  EvaluationItem?: EvaluationItemResolvers<ContextType>;
  FocalPoint?: FocalPointResolvers<ContextType>;
  GroundTruth?: GroundTruthResolvers<ContextType>;
  HceParts?: HcePartsResolvers<ContextType>;
  HcePoints?: HcePointsResolvers<ContextType>;
  Image?: ImageResolvers<ContextType>;
  Limits?: LimitsResolvers<ContextType>;
  Mask?: MaskResolvers<ContextType>;
  MaskVersion?: MaskVersionResolvers<ContextType>;
  Model?: ModelResolvers<ContextType>;
  ModelCorrectionStats?: ModelCorrectionStatsResolvers<ContextType>;
  ModelScore?: ModelScoreResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Node?: NodeResolvers<ContextType>;
  Owner?: OwnerResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Placeholder?: PlaceholderResolvers<ContextType>;
  Preset?: PresetResolvers<ContextType>;
  QualityEstimate?: QualityEstimateResolvers<ContextType>;
  QualityReport?: QualityReportResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RenderJob?: RenderJobResolvers<ContextType>;
  Rendition?: RenditionResolvers<ContextType>;
  Segmentation?: SegmentationResolvers<ContextType>;
  SegmentationTimings?: SegmentationTimingsResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Upload?: GraphQLScalarType;
  UploadRule?: UploadRuleResolvers<ContextType>;
  UploadRuleSegment?: UploadRuleSegmentResolvers<ContextType>;
  UploadRuleThen?: UploadRuleThenResolvers<ContextType>;
  UploadRuleWhen?: UploadRuleWhenResolvers<ContextType>;
  Webhook?: WebhookResolvers<ContextType>;
  WebhookAttempt?: WebhookAttemptResolvers<ContextType>;
  WebhookDelivery?: WebhookDeliveryResolvers<ContextType>;
  WebhookWithSecret?: WebhookWithSecretResolvers<ContextType>;
};

