import type { Resolvers } from '../generated/resolvers.js';
import { Asset } from './asset.js';
import { AssetConnection } from './connection.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { DateTime, Upload } from './scalars.js';

export const resolvers: Resolvers = { Query, Mutation, Asset, AssetConnection, DateTime, Upload };
