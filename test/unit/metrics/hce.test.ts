/**
 * HCE against the official DIS script's values (exact) and PySODMetrics' port (exact) on
 * every fixture pair, with the skeleton computed (not read from gt_ske/).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { computeHce } from '../../../src/metrics/hce.js';
import { FIXTURES } from '../../helpers/client.js';

const DIR = `${FIXTURES}/metrics`;
interface Pair {
  id: string;
  gt: string;
  pred: string;
  width: number;
  height: number;
  dis_hce: { fp_points: number; fp_indep: number; fn_points: number; fn_indep: number; hce: number };
  pysod: { hce: number; hce_parts: { fp_points?: number; fp_indep?: number; fn_points?: number; fn_indep?: number } };
}
const { pairs } = JSON.parse(await readFile(`${DIR}/reference.json`, 'utf8')) as { pairs: Pair[] };

async function grey(path: string): Promise<Uint8Array> {
  const data = await sharp(`${DIR}/${path}`).toColourspace('b-w').raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

describe('HCE against the references', () => {
  for (const pair of pairs) {
    test(pair.id, async () => {
      const [gt, pred] = await Promise.all([grey(pair.gt), grey(pair.pred)]);
      const dis = await computeHce(gt, pred, pair.width, pair.height, { variant: 'dis' });
      assert.deepEqual(
        [dis.fpPoints, dis.fpIndep, dis.fnPoints, dis.fnIndep, dis.hce],
        [pair.dis_hce.fp_points, pair.dis_hce.fp_indep, pair.dis_hce.fn_points, pair.dis_hce.fn_indep, pair.dis_hce.hce],
        'official DIS HCE parts',
      );
      const pysod = await computeHce(gt, pred, pair.width, pair.height, { variant: 'pysod' });
      assert.equal(pysod.hce, pair.pysod.hce, 'PySODMetrics HCE');
    });
  }
});

describe('where HCE says the clicks go', () => {
  test('one located point per counted control point and independent region, each on a pixel it concerns; the counts are unchanged', async () => {
    let located = 0;
    for (const pair of pairs) {
      const [gt, pred] = await Promise.all([grey(pair.gt), grey(pair.pred)]);
      const { points, ...parts } = await computeHce(gt, pred, pair.width, pair.height, { variant: 'dis', locate: true });
      assert.deepEqual(
        [parts.fpPoints, parts.fpIndep, parts.fnPoints, parts.fnIndep, parts.hce],
        [pair.dis_hce.fp_points, pair.dis_hce.fp_indep, pair.dis_hce.fn_points, pair.dis_hce.fn_indep, pair.dis_hce.hce],
        pair.id,
      );
      assert.deepEqual(
        [points!.fp.length, points!.fpRegions.length, points!.fn.length, points!.fnRegions.length],
        [parts.fpPoints, parts.fpIndep, parts.fnPoints, parts.fnIndep],
        pair.id,
      );
      const inside = ([x, y]: [number, number]) => x >= 0 && y >= 0 && x < pair.width && y < pair.height;
      for (const point of [...points!.fp, ...points!.fn, ...points!.fpRegions, ...points!.fnRegions]) assert.ok(inside(point), `${pair.id}: ${point}`);
      // An independent false-positive region is predicted foreground the truth does not have.
      for (const [x, y] of points!.fpRegions)
        assert.ok(pred[y * pair.width + x]! > 128 && gt[y * pair.width + x]! <= 128, `${pair.id}: fp region at ${x},${y}`);
      for (const [x, y] of points!.fnRegions) assert.ok(gt[y * pair.width + x]! > 128, `${pair.id}: fn region at ${x},${y}`);
      located += points!.fp.length + points!.fn.length + points!.fpRegions.length + points!.fnRegions.length;
    }
    assert.ok(located > 50, `${located} points located`);
  });
});
