/**
 * Subject-aware crops on the shared composites, whose exact ground truth says where every
 * subject pixel is: the built-in `thumbnail` (1:1) and `story` (9:16) presets, gravity
 * SUBJECT, cropped from the gateway's own IS-Net masks, keep at least 99 % of the true
 * foreground wherever the subject fits the ratio: the true subject, and the mask's subject
 * box (the crop can only follow the mask; where the model marks more than the subject, as
 * the dune's grass in c4, the box does not fit and the crop centres on the mask's centre).
 * A centred crop of the same size is measured beside them, to say what following the mask buys.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { cropRect, focalPoint, type Rect } from '../../src/images/crop.js';
import { Client, FIXTURES } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Composite {
  image: string;
  gt: string;
  width: number;
  height: number;
  gtStats: { bbox: [number, number, number, number] };
}

/** Share of the ground truth's foreground (its alpha, 0–255) inside `rect`. */
function kept(truth: { data: Buffer; width: number }, rect: Rect): number {
  let inside = 0;
  let total = 0;
  for (let index = 0; index < truth.data.length; index += 1) {
    const value = truth.data[index]!;
    if (value === 0) continue;
    total += value;
    const x = index % truth.width;
    const y = Math.floor(index / truth.width);
    if (x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height) inside += value;
  }
  return inside / total;
}

describe('subject-aware crops on the composites with exact ground truth', () => {
  let gateway: TestGateway;
  let client: Client;
  let composites: Composite[];

  before(async () => {
    gateway = await startTestGateway(DATABASE_TARGETS[0]!);
    client = new Client(gateway.url, (await gateway.newOwner('crops')).key);
    composites = JSON.parse(await readFile(join(FIXTURES, 'composites/composites.json'), 'utf8')) as Composite[];
  });
  after(() => gateway?.dispose());

  test('1:1 and 9:16 SUBJECT crops keep ≥ 99 % of the true foreground wherever it fits; centred crops lose more', async (t) => {
    let checked = 0;
    for (const composite of composites) {
      const uploaded = await client.upload(await readFile(join(FIXTURES, 'composites', composite.image)), { selection: 'id' });
      const assetId = uploaded.data!.uploadAsset.id as string;
      const segmented = await client.query(
        'mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true, waitTimeoutMs: 120000 }) { status mask { boundingBox { width height } } } }',
        { id: assetId },
      );
      assert.equal(segmented.data?.segmentAsset.status, 'SUCCEEDED', JSON.stringify(segmented));
      const { data, info } = await sharp(join(FIXTURES, 'composites', composite.gt))
        .toColourspace('b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const truth = { data, width: info.width };
      const [left, top, right, bottom] = composite.gtStats.bbox;
      for (const [preset, ratio] of [
        ['thumbnail', 1],
        ['story', 9 / 16],
      ] as const) {
        const answer = await client.query('query($id: ID!, $preset: String!) { asset(id: $id) { image(preset: $preset) { crop { x y width height } } } }', {
          id: assetId,
          preset,
        });
        const crop = answer.data.asset.image.crop as Rect;
        const centred = cropRect(composite, { aspectRatio: ratio, gravity: 'CENTER', paddingPercent: undefined }, null, focalPoint(composite, undefined, null));
        const [subjectShare, centreShare] = [kept(truth, crop), kept(truth, centred)];
        const maskBox = segmented.data.segmentAsset.mask.boundingBox as { width: number; height: number };
        const fits = right - left + 1 <= crop.width && bottom - top + 1 <= crop.height && maskBox.width <= crop.width && maskBox.height <= crop.height;
        t.diagnostic(
          `${composite.image} ${preset}: SUBJECT keeps ${(subjectShare * 100).toFixed(2)} %, CENTER ${(centreShare * 100).toFixed(2)} %${fits ? '' : ' (the subject or the mask does not fit)'}`,
        );
        if (!fits) continue;
        checked += 1;
        assert.ok(subjectShare >= 0.99, `${composite.image} ${preset}: ${subjectShare}`);
        assert.ok(subjectShare >= centreShare, `${composite.image} ${preset}: following the mask never keeps less than centring`);
      }
    }
    assert.ok(checked >= 5, `${checked} crops where the subject fits`);
  });
});
