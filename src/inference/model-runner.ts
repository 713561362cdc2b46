/**
 * Runs models with onnxruntime-node, inside an inference worker process (inference-worker.ts, driven by engine.ts):
 * `session.run` blocks its thread for the whole run, so it must never run on the event
 * loop. One InferenceSession per model, created on first use and reused. Only this module
 * imports onnxruntime-node.
 */
import ort from 'onnxruntime-node';
import { AppError } from '../errors.js';
import type { Family } from './families/family.js';
import { basnetFamily } from './families/basnet.js';
import { isnetFamily } from './families/isnet.js';
import { u2netFamily } from './families/u2net.js';
import type { ModelFamily, ModelManifest } from './manifest.js';
import type { ModelEntry } from './registry.js';

const FAMILIES: Record<ModelFamily, Family> = { isnet: isnetFamily, u2net: u2netFamily, basnet: basnetFamily };

/**
 * A prediction whose highest raw (sigmoid) value stays below this has no confident
 * foreground: the result says `subjectFound: false`. The mask itself is still what the
 * upstream scripts write (min–max stretched), so callers decide what to do with the flag.
 */
export const SUBJECT_THRESHOLD = 0.5;

export interface RunnerOptions {
  intraOpThreads: number;
  executionProvider: 'cpu' | 'cuda';
}

export interface StageTimings {
  /** Waiting for the model to load on this thread; absent when it was loaded already. */
  modelLoadMs?: number;
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

export interface SegmentationOutput {
  /** 8-bit mask, row-major, `width × height` (the photo's oriented size). */
  mask: Uint8Array;
  width: number;
  height: number;
  subjectFound: boolean;
  /** Highest raw value of the model's mask output. */
  rawMax: number;
  /** [height, width] of the model input. */
  inferenceSize: [number, number];
  timings: StageTimings;
}

/**
 * The 8-bit mask at model resolution, in one pass. 'min-max' (every published pipeline):
 * stretched to [0, 255] and truncated, as the reference scripts write it, whatever the
 * confidence; 'raw': the output ×255, clamped, for exports whose output is already a mask.
 * `subjectFound` flags a prediction whose highest raw value stays below SUBJECT_THRESHOLD.
 */
export function normalisePrediction(
  raw: Float32Array,
  postprocess: ModelManifest['postprocess'] = 'min-max',
): { mask: Uint8Array; subjectFound: boolean; rawMax: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < raw.length; i += 1) {
    const value = raw[i]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mask = new Uint8Array(raw.length);
  const subjectFound = max >= SUBJECT_THRESHOLD && max - min > 1e-12;
  if (postprocess === 'min-max' && max - min > 1e-12) {
    // (x − min) / (max − min) × 255 in the scripts' order, so the maximum lands on exactly
    // 255; a Uint8Array store truncates, as Pillow's F → L conversion does.
    const range = max - min;
    for (let i = 0; i < raw.length; i += 1) mask[i] = ((raw[i]! - min) / range) * 255;
  } else {
    for (let i = 0; i < raw.length; i += 1) mask[i] = Math.min(255, Math.max(0, raw[i]! * 255));
  }
  return { mask, subjectFound, rawMax: max };
}

export class ModelRunner {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();
  /** Models whose session has finished loading. */
  private readonly ready = new Set<string>();
  /** Runs in progress per model: a model is never released under a run. */
  private readonly running = new Map<string, number>();

  constructor(private readonly options: RunnerOptions) {}

  /** Releases a model's session unless a run is using it; true when it was released. */
  async unload(modelId: string): Promise<boolean> {
    const session = this.sessions.get(modelId);
    if (!session || (this.running.get(modelId) ?? 0) > 0) return false;
    this.sessions.delete(modelId);
    this.ready.delete(modelId);
    await (await session.catch(() => undefined))?.release();
    return true;
  }

  /** The session, and how long this call waited for it to load (undefined: it was loaded). */
  private async loaded(entry: ModelEntry): Promise<{ session: ort.InferenceSession; loadMs: number | undefined }> {
    const wasLoaded = this.ready.has(entry.manifest.id);
    const started = performance.now();
    const session = await this.session(entry);
    return { session, loadMs: wasLoaded ? undefined : performance.now() - started };
  }

  private session(entry: ModelEntry): Promise<ort.InferenceSession> {
    let session = this.sessions.get(entry.manifest.id);
    if (!session) {
      session = ort.InferenceSession.create(entry.weightsPath, {
        executionProviders: [this.options.executionProvider],
        intraOpNumThreads: this.options.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // Measured on IS-Net at 1024²: the memory pattern planner kept ~0.9 GB more per
        // session (2.4 → 1.5 GB RSS) for no speed gain; the arena stays on (without it
        // runs were 25 % slower).
        enableMemPattern: false,
      });
      // A failed load is not cached: the next request tries again (e.g. after a fix).
      session.then(
        () => this.ready.add(entry.manifest.id),
        () => this.sessions.delete(entry.manifest.id),
      );
      this.sessions.set(entry.manifest.id, session);
    }
    return session.catch((cause: unknown) => {
      throw new AppError('INFERENCE_FAILED', `Model ${entry.manifest.id} could not be loaded`, { cause });
    });
  }

  /** Loads a model and runs it twice on a blank input (the first runs after loading are slow); returns the load's time when it loaded. */
  async warmUp(entry: ModelEntry): Promise<number | undefined> {
    const { session, loadMs } = await this.loaded(entry);
    const [height, width] = entry.manifest.input.size;
    const input = new ort.Tensor('float32', new Float32Array(3 * height * width), [1, 3, height, width]);
    for (let i = 0; i < 2; i += 1) await this.runOutput(session, entry, input);
    return loadMs;
  }

  private async runOutput(session: ort.InferenceSession, entry: ModelEntry, input: ort.Tensor): Promise<ort.Tensor> {
    const inputName = entry.manifest.input.name ?? session.inputNames[0]!;
    const outputName = entry.manifest.output.name ?? session.outputNames[entry.manifest.output.index];
    if (!outputName) throw new AppError('INFERENCE_FAILED', `Model ${entry.manifest.id} has no output ${entry.manifest.output.index}`);
    // Fetch only the output we use: asking for all of IS-Net's twelve costs a third more time.
    const results = await session.run({ [inputName]: input }, [outputName]);
    return results[outputName]!;
  }

  /** Segments a photo (encoded bytes): prepare, run, normalise, resize to the photo. */
  async segment(entry: ModelEntry, photo: Buffer): Promise<SegmentationOutput> {
    const modelId = entry.manifest.id;
    this.running.set(modelId, (this.running.get(modelId) ?? 0) + 1);
    try {
      return await this.segmentLoaded(entry, photo);
    } finally {
      this.running.set(modelId, this.running.get(modelId)! - 1);
    }
  }

  private async segmentLoaded(entry: ModelEntry, photo: Buffer): Promise<SegmentationOutput> {
    const { session, loadMs } = await this.loaded(entry);
    const family = FAMILIES[entry.manifest.family];
    const modelId = entry.manifest.id;
    const [height, width] = entry.manifest.input.size;
    const started = performance.now();
    const prepared = await family.prepare(photo, entry.manifest);
    const preparedAt = performance.now();
    let output: ort.Tensor;
    try {
      output = await this.runOutput(session, entry, new ort.Tensor('float32', prepared.tensor, [1, 3, height, width]));
    } catch (cause) {
      throw new AppError('INFERENCE_FAILED', `Model ${modelId} failed to run: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    const inferredAt = performance.now();
    const raw = output.data as Float32Array;
    if (raw.length !== height * width) {
      throw new AppError('INFERENCE_FAILED', `Model ${modelId} output ${entry.manifest.output.index} has ${raw.length} values, expected ${height}×${width}`);
    }
    const normalised = normalisePrediction(raw, entry.manifest.postprocess);
    const mask = await family.toMask(normalised.mask, entry.manifest, prepared.width, prepared.height);
    output.dispose();
    return {
      mask,
      width: prepared.width,
      height: prepared.height,
      subjectFound: normalised.subjectFound,
      rawMax: normalised.rawMax,
      inferenceSize: [height, width],
      timings: {
        ...(loadMs === undefined ? {} : { modelLoadMs: loadMs }),
        preprocessMs: preparedAt - started,
        inferenceMs: inferredAt - preparedAt,
        postprocessMs: performance.now() - inferredAt,
      },
    };
  }

  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    this.ready.clear();
    await Promise.all(sessions.map(async (session) => (await session.catch(() => undefined))?.release()));
  }
}
