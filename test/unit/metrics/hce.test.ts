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
