/** What repositories return; GraphQL resolvers map these to schema types (codegen `mappers`). */
export type { Asset as AssetRecord, Owner as OwnerRecord, ApiKey as ApiKeyRecord, Thumbnail as ThumbnailRecord } from './generated/prisma/client.js';
