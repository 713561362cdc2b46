import type { AssetConnectionResolvers } from '../generated/resolvers.js';

export const AssetConnection: AssetConnectionResolvers = {
  edges: (page) => page.edges,
  pageInfo: (page) => ({ hasNextPage: page.hasNextPage, hasPreviousPage: page.hasPreviousPage, startCursor: page.startCursor, endCursor: page.endCursor }),
  // A COUNT query runs only when a client selects totalCount.
  totalCount: (page) => page.totalCount(),
};
