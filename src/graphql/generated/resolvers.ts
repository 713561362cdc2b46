import type { UploadPromise } from '../upload.js';
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { AssetRecord, OwnerRecord } from '../../storage/records.js';
import type { AssetPage } from '../../assets/asset.service.js';
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
export type Asset = {
  __typename?: 'Asset';
  /** Size of the original file in bytes. */
  byteSize: Scalars['Int']['output'];
  /** When the asset was uploaded. */
  createdAt: Scalars['DateTime']['output'];
  /** Height in pixels after applying the EXIF orientation. */
  height: Scalars['Int']['output'];
  /** The asset's id (a UUID). */
  id: Scalars['ID']['output'];
  /** MIME type sniffed from the bytes, e.g. image/jpeg. */
  mimeType: Scalars['String']['output'];
  /** Display name (defaults to the uploaded file's name). */
  name: Scalars['String']['output'];
  /** EXIF orientation tag of the stored bytes (1 to 8; 1 when absent). */
  orientation: Scalars['Int']['output'];
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
export type AssetThumbnailArgs = {
  size?: InputMaybe<Scalars['Int']['input']>;
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
  | 'NAME_DESC';

/** The result of `deleteAsset`. */
export type DeleteAssetPayload = {
  __typename?: 'DeleteAssetPayload';
  /** Id of the deleted asset. */
  id: Scalars['ID']['output'];
};

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

/** Writes. Every field acts on the authenticated owner's assets only. */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Deletes one of the viewer's assets with its thumbnails; stored files no longer used
   * by any asset are removed too.
   */
  deleteAsset: DeleteAssetPayload;
  /** Renames or re-tags one of the viewer's assets. Omitted fields stay as they are. */
  updateAsset: Asset;
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
export type MutationDeleteAssetArgs = {
  id: Scalars['ID']['input'];
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationUpdateAssetArgs = {
  id: Scalars['ID']['input'];
  input: UpdateAssetInput;
};


/** Writes. Every field acts on the authenticated owner's assets only. */
export type MutationUploadAssetArgs = {
  file: Scalars['Upload']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Whoever owns assets; API keys authenticate as an owner. */
export type Owner = {
  __typename?: 'Owner';
  /** When the owner was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The owner's id (a UUID). */
  id: Scalars['ID']['output'];
  /** Display name given when the owner was created. */
  name: Scalars['String']['output'];
};

/** Pagination state of a connection page. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last edge; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** Reads. Every field answers for the authenticated owner only. */
export type Query = {
  __typename?: 'Query';
  /** One of the viewer's assets. Fails with NOT_FOUND for an unknown id or another owner's asset. */
  asset: Asset;
  /**
   * The viewer's assets as a Relay-style connection. Page forward with `first` and the
   * `endCursor` of the previous page; a cursor is only valid with the same `orderBy`.
   */
  assets: AssetConnection;
  /** The limits this gateway enforces on uploads and queries. */
  limits: Limits;
  /** The owner the request authenticates as (the API key's owner, or the single user). */
  viewer: Owner;
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryAssetArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field answers for the authenticated owner only. */
export type QueryAssetsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AssetFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<AssetOrder>;
};

/** Changes for `updateAsset`; omitted fields stay as they are. */
export type UpdateAssetInput = {
  /** New name, 1 to 200 characters. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the tags (same rules as on upload). */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
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





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Asset: ResolverTypeWrapper<AssetRecord>;
  AssetConnection: ResolverTypeWrapper<AssetPage>;
  AssetEdge: ResolverTypeWrapper<Omit<AssetEdge, 'node'> & { node: ResolversTypes['Asset'] }>;
  AssetFilter: AssetFilter;
  AssetOrder: AssetOrder;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeleteAssetPayload: ResolverTypeWrapper<DeleteAssetPayload>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Limits: ResolverTypeWrapper<Limits>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Owner: ResolverTypeWrapper<OwnerRecord>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  UpdateAssetInput: UpdateAssetInput;
  Upload: ResolverTypeWrapper<Scalars['Upload']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Asset: AssetRecord;
  AssetConnection: AssetPage;
  AssetEdge: Omit<AssetEdge, 'node'> & { node: ResolversParentTypes['Asset'] };
  AssetFilter: AssetFilter;
  Boolean: Scalars['Boolean']['output'];
  DateTime: Scalars['DateTime']['output'];
  DeleteAssetPayload: DeleteAssetPayload;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Limits: Limits;
  Mutation: Record<PropertyKey, never>;
  Owner: OwnerRecord;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  String: Scalars['String']['output'];
  UpdateAssetInput: UpdateAssetInput;
  Upload: Scalars['Upload']['output'];
};

export type AssetResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Asset'] = ResolversParentTypes['Asset']> = {
  byteSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  height?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mimeType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orientation?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sha256?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  thumbnail?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<AssetThumbnailArgs, 'size'>>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  width?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
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

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeleteAssetPayloadResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['DeleteAssetPayload'] = ResolversParentTypes['DeleteAssetPayload']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type LimitsResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Limits'] = ResolversParentTypes['Limits']> = {
  acceptedMimeTypes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  maxInputPixels?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxQueryAliases?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxQueryDepth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  maxUploadBytes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  thumbnailSizes?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  deleteAsset?: Resolver<ResolversTypes['DeleteAssetPayload'], ParentType, ContextType, RequireFields<MutationDeleteAssetArgs, 'id'>>;
  updateAsset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<MutationUpdateAssetArgs, 'id' | 'input'>>;
  uploadAsset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<MutationUploadAssetArgs, 'file'>>;
};

export type OwnerResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Owner'] = ResolversParentTypes['Owner']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  asset?: Resolver<ResolversTypes['Asset'], ParentType, ContextType, RequireFields<QueryAssetArgs, 'id'>>;
  assets?: Resolver<ResolversTypes['AssetConnection'], ParentType, ContextType, RequireFields<QueryAssetsArgs, 'first' | 'orderBy'>>;
  limits?: Resolver<ResolversTypes['Limits'], ParentType, ContextType>;
  viewer?: Resolver<ResolversTypes['Owner'], ParentType, ContextType>;
};

export interface UploadScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Upload'], any> {
  name: 'Upload';
}

export type Resolvers<ContextType = GraphQLContext> = {
  Asset?: AssetResolvers<ContextType>;
  AssetConnection?: AssetConnectionResolvers<ContextType>;
  AssetEdge?: AssetEdgeResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeleteAssetPayload?: DeleteAssetPayloadResolvers<ContextType>;
  Limits?: LimitsResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Owner?: OwnerResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Upload?: GraphQLScalarType;
};

