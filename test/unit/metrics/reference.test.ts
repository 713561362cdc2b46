/**
 * Every pair in test/fixtures/metrics against the values the reference implementations
 * computed (reference.json; tolerances from its README): exact counts, 1e-9 for floats,
 * NaN where the reference gives NaN. Pairs added to the folder are tested without changes here.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { evaluatePair } from '../../../src/metrics/evaluate-pair.js';
import { FIXTURES } from '../../helpers/client.js';

type Value = number | string | null;
interface ReferencePair {
  id: string;
  gt: string;
  pred: string;
  width: number;
  height: number;
  pysod: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the fixture's nested JSON
}

const DIR = `${FIXTURES}/metrics`;
const reference = JSON.parse(await readFile(`${DIR}/reference.json`, 'utf8')) as { pairs: ReferencePair[] };
const TOLERANCE = 1e-9;

const toNumber = (value: Value) => (value === 'NaN' ? Number.NaN : value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : (value as number));

function close(actual: number, expected: Value, label: string): void {
  const want = toNumber(expected);
  if (Number.isNaN(want)) return assert.ok(Number.isNaN(actual), `${label}: expected NaN, got ${actual}`);
  assert.ok(Math.abs(actual - want) <= TOLERANCE, `${label}: expected ${want}, got ${actual} (Δ ${Math.abs(actual - want)})`);
}

function closeCurve(actual: ArrayLike<number>, expected: Value[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let k = 0; k < expected.length; k += 1) close(actual[k]!, expected[k]!, `${label}[${k}]`);
}

async function grey(path: string): Promise<Uint8Array> {
  const data = await sharp(`${DIR}/${path}`).toColourspace('b-w').raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

describe('saliency metrics against the reference values', () => {
  for (const pair of reference.pairs) {
    test(pair.id, async () => {
      const metrics = evaluatePair(await grey(pair.gt), await grey(pair.pred), pair.width, pair.height);
      const ref = pair.pysod;
      assert.deepEqual([...metrics.counts.tp], ref.threshold_counts.tp, 'threshold tp');
      assert.deepEqual([...metrics.counts.fp], ref.threshold_counts.fp, 'threshold fp');
      close(metrics.mae, ref.mae, 'mae');
      close(metrics.sm, ref.sm, 'sm');
      close(metrics.wfm, ref.wfm, 'wfm');
      close(metrics.fm.adp, ref.fm.adp, 'fm.adp');
      closeCurve(metrics.fm.curve, ref.fm.curve, 'fm.curve');
      close(metrics.fm.max, ref.fm.max, 'fm.max');
      close(metrics.fm.mean, ref.fm.mean, 'fm.mean');
      closeCurve(metrics.pr.precision, ref.pr.precision, 'precision');
      closeCurve(metrics.pr.recall, ref.pr.recall, 'recall');
      close(metrics.em.adp, ref.em.adp, 'em.adp');
      closeCurve(metrics.em.curve, ref.em.curve, 'em.curve');
      close(metrics.em.max, ref.em.max, 'em.max');
      close(metrics.em.mean, ref.em.mean, 'em.mean');
      for (const [name, values] of Object.entries(metrics.fmv2)) {
        close(values.adaptive, ref.fmv2[name].adaptive, `fmv2.${name}.adaptive`);
        close(values.binary, ref.fmv2[name].binary, `fmv2.${name}.binary`);
        closeCurve(values.dynamic, ref.fmv2[name].dynamic, `fmv2.${name}.dynamic`);
      }
    });
  }
});
