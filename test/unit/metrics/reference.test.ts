/**
 * Every pair in test/fixtures/metrics against the values the reference implementations
 * computed (reference.json; tolerances from its README): exact counts, 1e-9 for floats,
 * NaN where the reference gives NaN. Pairs added to the folder are tested without changes here.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { aggregateMetrics } from '../../../src/metrics/aggregate.js';
import { evaluatePair, type PairMetrics } from '../../../src/metrics/evaluate-pair.js';
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
interface ReferenceAggregate {
  pair_ids: string[];
  pysod: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the fixture's nested JSON
  fmv2: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the fixture's nested JSON
}
const reference = JSON.parse(await readFile(`${DIR}/reference.json`, 'utf8')) as {
  pairs: ReferencePair[];
  aggregates: { all_pairs: ReferenceAggregate; finite_pairs: ReferenceAggregate };
};
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

const computed = new Map<string, PairMetrics>();

describe('saliency metrics against the reference values', () => {
  for (const pair of reference.pairs) {
    test(pair.id, async () => {
      const metrics = evaluatePair(await grey(pair.gt), await grey(pair.pred), pair.width, pair.height);
      computed.set(pair.id, metrics);
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

describe('dataset-level values against the reference aggregates', () => {
  for (const set of ['all_pairs', 'finite_pairs'] as const) {
    test(set, async () => {
      const expected = reference.aggregates[set];
      const missing = expected.pair_ids.filter((id) => !computed.has(id));
      for (const id of missing) {
        const pair = reference.pairs.find((candidate) => candidate.id === id)!;
        computed.set(id, evaluatePair(await grey(pair.gt), await grey(pair.pred), pair.width, pair.height));
      }
      const actual = aggregateMetrics(expected.pair_ids.map((id) => computed.get(id)!));
      const ref = expected.pysod;
      for (const key of ['mae', 'sm', 'wfm', 'adpF', 'meanF', 'maxF', 'adpE', 'meanE', 'maxE'] as const) close(actual[key], ref[key], key);
      closeCurve(actual.fmCurve, ref.fm_curve, 'fm_curve');
      closeCurve(actual.emCurve, ref.em_curve, 'em_curve');
      closeCurve(actual.precisionCurve, ref.precision_curve, 'precision_curve');
      closeCurve(actual.recallCurve, ref.recall_curve, 'recall_curve');
      for (const [name, values] of Object.entries(actual.fmv2)) {
        const want = expected.fmv2[name];
        close(values.adaptive, want.adaptive, `${name}.adaptive`);
        closeCurve(values.dynamicMeanCurve, want.dynamic_mean_curve, `${name}.dynamic_mean_curve`);
        close(values.max, want.max, `${name}.max`);
        close(values.mean, want.mean, `${name}.mean`);
        close(values.sampleBinary, want.sample_binary, `${name}.sample_binary`);
        close(values.overallBinary, want.overall_binary, `${name}.overall_binary`);
      }
    });
  }
});
