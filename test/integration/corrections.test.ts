/**
 * Human corrections of masks through GraphQL: brush strokes and whole masks become new,
 * immutable versions, each with the HCE of the model's mask against it (the metric library's
 * value, exactly) and the pixels it changed; restores and confirmations append too; effects
 * render the latest version, and the rendition cache keeps versions apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { computeHce } from '../../src/metrics/hce.js';
import { Client, errorCode, FIXTURES, sendFile } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const VERSION = 'version source parentVersion mask { url width height foregroundRatio } correction { hce fpPoints fpIndep fnPoints fnIndep pixelsChanged }';

interface VersionView {
  version: number;
  source: string;
  parentVersion: number | null;
  mask: { url: string; width: number; height: number; foregroundRatio: number };
  correction: { hce: number; fpPoints: number; fpIndep: number; fnPoints: number; fnIndep: number; pixelsChanged: number } | null;
}

async function pixels(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return new Uint8Array(
    await sharp(Buffer.from(await response.arrayBuffer()))
      .toColourspace('b-w')
      .raw()
      .toBuffer(),
  );
}

const differing = (a: Uint8Array, b: Uint8Array) => a.reduce((count, value, i) => count + (value === b[i] ? 0 : 1), 0);

for (const target of DATABASE_TARGETS) {
  describe(`mask corrections on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    let segmentationId: string;
    let assetId: string;
    let model: Uint8Array;
    let width: number;
    let height: number;

    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('editor')).key);
      assetId = (await client.upload(`${FIXTURES}/composites/c1-bear-meadow.jpg`, { selection: 'id' })).data!.uploadAsset.id;
      const segmented = await client.query(
        `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { id status mask { url width height } } }`,
        { id: assetId },
      );
      assert.equal(segmented.data.segmentAsset.status, 'SUCCEEDED');
      segmentationId = segmented.data.segmentAsset.id;
      ({ width, height } = segmented.data.segmentAsset.mask);
      model = await pixels(segmented.data.segmentAsset.mask.url);
    });
    after(() => gateway?.dispose());

    const versions = async () =>
      (await client.query(`query($id: ID!) { segmentation(id: $id) { versions { ${VERSION} } } }`, { id: segmentationId })).data.segmentation
        .versions as VersionView[];
    const strokes = (input: unknown) => client.query(`mutation($input: CorrectMaskInput!) { correctMask(input: $input) { ${VERSION} } }`, { input });

    test("the model's mask is version 1", async () => {
      const [first, ...rest] = await versions();
      assert.deepEqual(rest, []);
      assert.deepEqual([first!.version, first!.source, first!.parentVersion, first!.correction], [1, 'MODEL', null, null]);
      assert.deepEqual(await pixels(first!.mask.url), model);
    });

    test('brush strokes make version 2: painted where they went, with the HCE the metric library gives, and the pixels changed', async () => {
      // An ADD stroke through the background above the bear and an ERASE dab in its middle.
      const response = await strokes({
        segmentationId,
        strokes: [
          {
            mode: 'ADD',
            radiusPx: 12,
            points: [
              [100, 60.5],
              [300, 60.5],
            ],
          },
          { mode: 'ERASE', radiusPx: 20, points: [[510, 480]] },
        ],
      });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      const version = response.data.correctMask as VersionView;
      assert.deepEqual([version.version, version.source, version.parentVersion], [2, 'CORRECTION', 1]);
      const corrected = await pixels(version.mask.url);
      const at = (x: number, y: number) => corrected[y * width + x];
      assert.deepEqual([at(200, 60), at(200, 71), at(510, 480), at(525, 480)], [255, 255, 0, 0], 'inside the strokes');
      assert.equal(at(200, 80), model[80 * width + 200], "outside them, the model's mask");
      // The stroke spans y 48.5 to 72.5: row 72 is half covered.
      assert.ok(at(200, 72)! > 64 && at(200, 72)! < 192, `an antialiased edge: ${at(200, 72)}`);
      const expected = await computeHce(corrected, model, width, height, { variant: 'dis' });
      assert.deepEqual(version.correction, { ...expected, pixelsChanged: differing(corrected, model) });
      assert.ok(version.correction!.hce > 0, 'expected: version.correction!.hce > 0');
      assert.equal(version.mask.foregroundRatio, corrected.filter((value) => value >= 128).length / corrected.length, "the version's own foreground");
    });

    test('Segmentation.mask is the latest version unless one is asked for', async () => {
      const response = await client.query(
        `query($id: ID!) { segmentation(id: $id) { latest: mask { url } first: mask(version: 1) { url } none: mask(version: 99) { url } } }`,
        { id: segmentationId },
      );
      assert.equal(errorCode(response), 'NOT_FOUND');
      const again = await client.query(`query($id: ID!) { segmentation(id: $id) { latest: mask { url } first: mask(version: 1) { url } } }`, {
        id: segmentationId,
      });
      assert.deepEqual(await pixels(again.data.segmentation.first.url), model);
      assert.deepEqual(await pixels(again.data.segmentation.latest.url), await pixels((await versions())[1]!.mask.url));
    });

    test('effects render the latest version, and the cache keeps versions apart', async () => {
      const ask = () =>
        client.query(`query($id: ID!) { segmentation(id: $id) { effect(input: { mask: {} }, output: { format: PNG }) { url cacheStatus } } }`, {
          id: segmentationId,
        });
      const before = (await ask()).data.segmentation.effect;
      assert.deepEqual(await pixels(before.url), await pixels((await versions()).at(-1)!.mask.url), 'the MASK effect is the corrected mask');
      const restored = await client.query(`mutation($id: ID!) { restoreMaskVersion(segmentationId: $id, version: 1) { ${VERSION} } }`, { id: segmentationId });
      assert.equal(restored.errors, undefined, JSON.stringify(restored.errors));
      const after = (await ask()).data.segmentation.effect;
      assert.equal(after.cacheStatus, 'MISS', 'another version is another rendition');
      assert.deepEqual(await pixels(after.url), model);
    });

    test('effect(version:) renders the version asked for, whatever is latest; renderEffect takes it too; an unknown one is NOT_FOUND', async () => {
      const at = (version: number) =>
        client.query(`query($id: ID!, $v: Int) { segmentation(id: $id) { effect(input: { mask: {} }, output: { format: PNG }, version: $v) { url } } }`, {
          id: segmentationId,
          v: version,
        });
      const second = (await versions())[1]!;
      assert.deepEqual(await pixels((await at(2)).data.segmentation.effect.url), await pixels(second.mask.url), 'version 2 while version 3 is the latest');
      assert.deepEqual(await pixels((await at(1)).data.segmentation.effect.url), model);
      const queued = await client.query(
        `mutation($id: ID!) { renderEffect(segmentationId: $id, input: { mask: {} }, output: { format: PNG }, version: 2) { status rendition { url } } }`,
        { id: segmentationId },
      );
      assert.deepEqual(await pixels(queued.data.renderEffect.rendition.url), await pixels(second.mask.url), 'cached from the query above: the same version');
      for (const version of [99, 0]) assert.equal(errorCode(await at(version)), 'NOT_FOUND', `version ${version}`);
    });

    test('a restore and a confirmation append versions; older versions never change', async () => {
      const all = await versions();
      assert.deepEqual(
        all.map((version) => [version.version, version.source, version.parentVersion]),
        [
          [1, 'MODEL', null],
          [2, 'CORRECTION', 1],
          [3, 'RESTORE', 2],
        ],
      );
      assert.equal(all[2]!.correction!.hce, 0, "the model's own mask costs nothing");
      assert.equal(all[2]!.correction!.pixelsChanged, all[1]!.correction!.pixelsChanged, 'undoing changes back what was changed');
      const confirmed = await client.query(`mutation($id: ID!) { confirmMask(segmentationId: $id) { ${VERSION} } }`, { id: segmentationId });
      assert.deepEqual(
        [
          confirmed.data.confirmMask.version,
          confirmed.data.confirmMask.source,
          confirmed.data.confirmMask.correction.hce,
          confirmed.data.confirmMask.correction.pixelsChanged,
        ],
        [4, 'CONFIRMATION', 0, 0],
      );
      assert.deepEqual((await versions()).slice(0, 3), all, 'earlier versions as they were');
    });

    test("a whole corrected mask is uploaded at the asset's size, kept soft", async () => {
      const soft = Buffer.alloc(width * height, 0);
      for (let y = 100; y < 300; y += 1) for (let x = 100; x < 400; x += 1) soft[y * width + x] = x < 150 ? 100 : 255;
      const png = await sharp(soft, { raw: { width, height, channels: 1 } })
        .png()
        .toBuffer();
      const mutation = 'mutation($id: ID!, $m: Upload) { correctMask(input: { segmentationId: $id, mask: $m }) { version source mask { url } } }';
      const response = await sendFile(client, mutation, { id: segmentationId }, 'm', png);
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      assert.equal(response.data!.correctMask.version, 5);
      assert.deepEqual(await pixels(response.data!.correctMask.mask.url), new Uint8Array(soft));
      const wrong = await sendFile(
        client,
        mutation,
        { id: segmentationId },
        'm',
        await sharp({ create: { width: 40, height: 30, channels: 3, background: '#000' } })
          .png()
          .toBuffer(),
      );
      assert.equal(errorCode(wrong), 'BAD_USER_INPUT');
      assert.equal(wrong.errors![0]!.extensions!.details!.field, 'input.mask');
    });

    test("refuses bad corrections, naming the field, and another owner's segmentation", async () => {
      const refused = async (input: unknown, field: string) => {
        const response = await strokes(input);
        assert.equal(errorCode(response), 'BAD_USER_INPUT', JSON.stringify(response));
        assert.equal(response.errors![0]!.extensions!.details!.field, field);
      };
      await refused({ segmentationId }, 'input');
      await refused({ segmentationId, strokes: [{ mode: 'ADD', radiusPx: 0, points: [[1, 1]] }] }, 'input.strokes[0].radiusPx');
      await refused(
        {
          segmentationId,
          strokes: [
            {
              mode: 'ADD',
              radiusPx: 5,
              points: [
                [1, 1],
                [width + 50, 1],
              ],
            },
          ],
        },
        'input.strokes[0].points',
      );
      await refused({ segmentationId, strokes: [{ mode: 'ADD', radiusPx: 5, points: Array.from({ length: 20_001 }, () => [1, 1]) }] }, 'input.strokes');
      // Five soft strokes each over the whole mask: 5 × its area to rasterise, past the 4 × allowed.
      const wholeMask = { mode: 'SOFT', radiusPx: 500, points: [[width / 2, height / 2]] };
      await refused({ segmentationId, strokes: Array.from({ length: 5 }, () => wholeMask) }, 'input.strokes');
      const other = new Client(gateway.url, (await gateway.newOwner('stranger')).key);
      const theirs = await other.query(`mutation($input: CorrectMaskInput!) { correctMask(input: $input) { version } }`, {
        input: { segmentationId, strokes: [{ mode: 'ADD', radiusPx: 5, points: [[1, 1]] }] },
      });
      assert.equal(errorCode(theirs), 'NOT_FOUND');
      assert.equal((await versions()).length, 5, 'nothing was added');
    });

    const hcePointsEffect = (version: number) =>
      client.query(
        `query($id: ID!, $v: Int) { segmentation(id: $id) { effect(input: { hcePoints: { markerPx: 4 } }, output: { format: PNG }, version: $v) { url } } }`,
        { id: segmentationId, v: version },
      );

    test('a corrected version promoted to ground truth is what quality reports score the model against', async () => {
      assert.equal(errorCode(await hcePointsEffect(1)), 'FAILED_PRECONDITION', 'HCE_POINTS without a ground truth');
      const promoted = await client.query(
        `mutation($asset: ID!, $id: ID!) { setGroundTruth(assetId: $asset, fromVersion: { segmentationId: $id, version: 2 }) { id groundTruth { url } } }`,
        { asset: assetId, id: segmentationId },
      );
      assert.equal(promoted.errors, undefined, JSON.stringify(promoted.errors));
      const quality = await client.query(`query($id: ID!) { segmentation(id: $id) { quality { hce hceParts { fpPoints fpIndep fnPoints fnIndep } } } }`, {
        id: segmentationId,
      });
      const correction = (await versions())[1]!.correction!;
      // The model's mask scored against the corrected one costs what the correction did.
      assert.deepEqual(quality.data.segmentation.quality, {
        hce: correction.hce,
        hceParts: { fpPoints: correction.fpPoints, fpIndep: correction.fpIndep, fnPoints: correction.fnPoints, fnIndep: correction.fnIndep },
      });
      // And HCE says where: one point per counted click, inside the mask.
      const located = await client.query(
        `query($id: ID!) { segmentation(id: $id) { quality { hcePoints { falsePositive falsePositiveRegions falseNegative falseNegativeRegions } } } }`,
        { id: segmentationId },
      );
      const points = located.data.segmentation.quality.hcePoints as Record<string, [number, number][]>;
      assert.deepEqual(
        [points.falsePositive!.length, points.falsePositiveRegions!.length, points.falseNegative!.length, points.falseNegativeRegions!.length],
        [correction.fpPoints, correction.fpIndep, correction.fnPoints, correction.fnIndep],
      );
      for (const [x, y] of Object.values(points).flat())
        assert.ok(x! >= 0 && y! >= 0 && x! < width && y! < height, 'expected: x! >= 0 && y! >= 0 && x! < width && y! < height');

      // The HCE_POINTS effect of the model's version draws those points: red dots for false
      // positives, blue for false negatives (a later dot may cover an earlier one's centre).
      const response = await fetch((await hcePointsEffect(1)).data.segmentation.effect.url);
      const { data: rgb, info } = await sharp(Buffer.from(await response.arrayBuffer()))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.height], [width, height]);
      const colourAt = ([x, y]: [number, number]) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)] as [number, number, number];
      const isRed = ([r, g, b]: [number, number, number]) => r > 200 && g < 120 && b < 120;
      const isBlue = ([r, g, b]: [number, number, number]) => r < 80 && g > 90 && b > 200;
      const shown = (list: [number, number][], test: (colour: [number, number, number]) => boolean) =>
        list.filter((point) => test(colourAt(point))).length / list.length;
      assert.ok(points.falsePositive!.length > 0 && points.falseNegative!.length > 0, 'the correction added and erased');
      assert.ok(shown(points.falsePositive!, isRed) >= 0.8, `false positives drawn red: ${shown(points.falsePositive!, isRed)}`);
      assert.ok(shown(points.falseNegative!, isBlue) >= 0.8, `false negatives drawn blue: ${shown(points.falseNegative!, isBlue)}`);
      // evaluateModels scores against it too: the model's item costs the correction's HCE.
      const evaluation = await client.query(
        'mutation { evaluateModels(input: { models: ["isnet-general-q8"], wait: true, waitTimeoutMs: 120000 }) { status items { model hce } } }',
      );
      assert.deepEqual(
        evaluation.data.evaluateModels,
        { status: 'SUCCEEDED', items: [{ model: 'isnet-general-q8', hce: correction.hce }] },
        JSON.stringify(evaluation.errors),
      );
      const elsewhere = await client.query(`mutation($asset: ID!, $id: ID!) { setGroundTruth(assetId: $asset, fromVersion: { segmentationId: $id }) { id } }`, {
        asset: segmentationId,
        id: segmentationId,
      });
      assert.equal(errorCode(elsewhere), 'BAD_USER_INPUT', 'a version of another asset is refused');
      assert.equal(elsewhere.errors![0]!.extensions!.details!.field, 'fromVersion.segmentationId');
    });

    test('setGroundTruth(fromVersion:) without a version promotes the latest version, as the schema says', async () => {
      const all = await versions();
      const latest = all.at(-1)!;
      assert.ok(latest.version > 1, `corrections exist (${all.length} versions)`);
      const promoted = await client.query(
        `mutation($asset: ID!, $id: ID!) { setGroundTruth(assetId: $asset, fromVersion: { segmentationId: $id }) { groundTruth { url } } }`,
        { asset: assetId, id: segmentationId },
      );
      assert.equal(promoted.errors, undefined, JSON.stringify(promoted.errors));
      const truth = await pixels(promoted.data.setGroundTruth.groundTruth.url);
      const binarised = (mask: Uint8Array) => mask.map((value) => (value > 128 ? 255 : 0));
      assert.equal(differing(truth, binarised(await pixels(latest.mask.url))), 0, `the ground truth is version ${latest.version}, binarised`);
      assert.ok(differing(truth, binarised(model)) > 0, "and not the model's version 1, which differs");
    });

    test('correctionStats: per model, the reviewed masks, their latest HCE, and the share that needed none', async () => {
      // A second photo whose mask a person confirms as right.
      const other = (await client.upload(`${FIXTURES}/composites/c2-person-forest-portrait.jpg`, { selection: 'id' })).data!.uploadAsset.id;
      const segmented = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { id } }`, {
        id: other,
      });
      await client.query(`mutation($id: ID!) { confirmMask(segmentationId: $id) { version } }`, { id: segmented.data.segmentAsset.id });
      const latest = (await versions()).at(-1)!.correction!.hce;
      const stats = await client.query('{ correctionStats { model reviewed corrected meanHce medianHce neededNoneRatio } }');
      assert.deepEqual(stats.data.correctionStats, [
        { model: 'isnet-general-q8', reviewed: 2, corrected: 1, meanHce: latest / 2, medianHce: latest / 2, neededNoneRatio: 0.5 },
      ]);
      assert.deepEqual((await client.query('{ correctionStats(model: "isnet-general") { model } }')).data.correctionStats, []);
      const portraitOnly = await client.query('{ correctionStats(filter: { nameContains: "PORTRAIT" }) { model reviewed corrected meanHce } }');
      assert.deepEqual(
        portraitOnly.data.correctionStats,
        [{ model: 'isnet-general-q8', reviewed: 1, corrected: 0, meanHce: 0 }],
        'only the assets the filter selects',
      );
      const stranger = new Client(gateway.url, (await gateway.newOwner('onlooker')).key);
      assert.deepEqual((await stranger.query('{ correctionStats { model } }')).data.correctionStats, [], "another owner's corrections are not counted");
    });

    test("deleting the asset deletes every version's blob", async () => {
      const hashes = (await gateway.database.prisma.maskVersion.findMany({ where: { segmentationId }, select: { sha256: true } })).map((row) => row.sha256);
      assert.ok(hashes.length >= 4, 'expected: hashes.length >= 4');
      const deleted = await client.query(`mutation($id: ID!) { deleteAsset(id: $id) { id } }`, { id: assetId });
      assert.equal(deleted.errors, undefined, JSON.stringify(deleted.errors));
      const stored = new Set(await listBlobFiles(gateway.config));
      for (const hash of hashes) assert.ok(!stored.has(hash), `version blob ${hash} deleted`);
    });
  });
}
