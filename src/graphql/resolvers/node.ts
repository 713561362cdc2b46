/**
 * Relay's object identification: `node(id:)` and `nodes(ids:)` find any of the viewer's
 * objects by its UUID. Another owner's id answers null, exactly as an unknown one does.
 */
import { inputError } from '../../errors.js';
import type { GraphQLContext } from '../context.js';
import type { NodeResolvers, QueryResolvers } from '../generated/resolvers.js';

type NodeType = ReturnType<NodeResolvers['__resolveType']> extends infer T ? Exclude<Awaited<T>, null> : never;

/** Which type each object `findNode` returned is: records carry no type name of their own. */
const typeOf = new WeakMap<object, NodeType>();

function tagged<T extends object>(type: NodeType, object: T | null): T | null {
  if (object) typeOf.set(object, type);
  return object;
}

/** Looks in each kind of row in turn; assets and segmentations are batched per request. */
async function findNode(id: string, { owner, loaders, services }: GraphQLContext): Promise<object | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const uuid = id.toLowerCase();
  if (uuid === owner.id) return tagged('Owner', owner);
  const asset = await loaders.asset.load(uuid);
  if (asset) return tagged('Asset', asset);
  const segmentation = await loaders.segmentation.load(uuid);
  if (segmentation) return tagged('Segmentation', segmentation);
  const evaluation = await services.evaluations.get(owner.id, uuid).catch(() => null);
  if (evaluation) return tagged('Evaluation', evaluation);
  const rendition = await services.renditions.findById(uuid);
  if (rendition && (await loaders.segmentation.load(rendition.segmentationId))) return tagged('Rendition', { record: rendition, cacheStatus: 'HIT' as const });
  return null;
}

const MAX_IDS = 100;

export const nodeQueries: Pick<QueryResolvers, 'node' | 'nodes'> = {
  node: (_parent, { id }, context) => findNode(id, context) as never,
  nodes: (_parent, { ids }, context) => {
    if (ids.length > MAX_IDS) throw inputError('ids', `at most ${MAX_IDS} ids`, { described: `${ids.length} ids` });
    return Promise.all(ids.map((id) => findNode(id, context))) as never;
  },
};

export const Node: NodeResolvers = {
  __resolveType: (object) => typeOf.get(object) ?? null,
};
