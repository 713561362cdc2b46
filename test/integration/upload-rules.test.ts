/**
 * Upload rules (issue 24 §3) with the real model (U²-Net-p) and the gateway's own worker, on
 * PGlite and PostgreSQL: bad rules are refused naming the field; a matching upload is
 * segmented with the rule's model, its presets' images are stored ahead (a mask-free preset
 * at once, a cut-out once the mask exists) and its mask stays out of the review queue under
 * the rule's threshold, while uploads that do not match are left alone; `applyUploadRule`
 * runs a rule over assets uploaded before it, as batches; a deleted rule touches nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { Client, errorCode, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RULE = 'id description when { tags mimeTypes } then { segment { model refine } render reviewIfPriorityAbove }';

for (const target of DATABASE_TARGETS) {
  describe(`upload rules on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    let client: Client;
    before(async () => {
      gateway = await startTestGateway(target);
      client = new Client(gateway.url, (await gateway.newOwner('rules')).key);
    });
    after(() => gateway?.dispose());

    const createRule = (input: Record<string, unknown>) =>
      client.query(`mutation($input: UploadRuleInput!) { createUploadRule(input: $input) { ${RULE} } }`, { input });
    const upload = async (bytes: Buffer, tags: string[]) => (await client.upload(bytes, { tags, selection: 'id' })).data!.uploadAsset.id as string;
    const segmentations = (assetId: string) => gateway.database.prisma.segmentation.findMany({ where: { assetId } });
    const variants = (assetId: string) => gateway.database.prisma.imageVariant.findMany({ where: { assetId } });
    /** Polls `read` until `done` (at most 60 s). */
    const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> => {
      for (let polls = 0; polls < 600; polls += 1) {
        const value = await read();
        if (done(value)) return value;
        await sleep(100);
      }
      return assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await read())}`);
    };
    const reviewQueue = async () =>
      (
        (await client.query('{ assets(first: 100, filter: { needsReview: true }) { edges { node { id } } } }')).data.assets.edges as { node: { id: string } }[]
      ).map((edge) => edge.node.id);

    test('refuses a rule with no action, an unknown preset or type, or a threshold without segment, naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ when: { tags: ['x'] }, then: {} }, 'input.then'],
        [{ when: {}, then: { render: ['no-such-preset'] } }, 'input.then.render[0]'],
        [{ when: { mimeTypes: ['image/bmp'] }, then: { render: ['photo'] } }, 'input.when.mimeTypes'],
        [{ when: {}, then: { render: ['photo'], reviewIfPriorityAbove: 2 } }, 'input.then.reviewIfPriorityAbove'],
        [{ when: {}, then: { segment: {}, reviewIfPriorityAbove: -1 } }, 'input.then.reviewIfPriorityAbove'],
      ];
      for (const [input, field] of cases) {
        const refused = await createRule(input);
        assert.equal(errorCode(refused), 'BAD_USER_INPUT', JSON.stringify(refused));
        assert.equal(refused.errors![0]!.extensions!.details!.field, field, JSON.stringify(refused.errors));
      }
      const unknownModel = await createRule({ when: {}, then: { segment: { model: 'no-such-model' } } });
      assert.ok(['BAD_USER_INPUT', 'MODEL_UNAVAILABLE'].includes(errorCode(unknownModel) ?? ''), JSON.stringify(unknownModel));
      assert.deepEqual((await client.query('{ uploadRules { id } }')).data.uploadRules, [], 'nothing was stored');
    });

    test("a matching upload is segmented with the rule's model, its presets stored ahead, its mask kept out of review; others are left alone", async () => {
      const catalog = await createRule({
        description: 'catalogue shots',
        when: { tags: ['catalog'], mimeTypes: ['image/jpeg'] },
        then: { segment: { model: 'u2netp' }, render: ['cutout'], reviewIfPriorityAbove: 1e9 },
      });
      assert.equal(catalog.errors, undefined, JSON.stringify(catalog.errors));
      assert.deepEqual(catalog.data.createUploadRule.then, { segment: { model: 'u2netp', refine: false }, render: ['cutout'], reviewIfPriorityAbove: 1e9 });
      const photos = await createRule({ when: { tags: ['web'] }, then: { render: ['photo'] } });
      assert.equal(photos.errors, undefined, JSON.stringify(photos.errors));

      const matching = await upload(await uniqueJpeg(96, 64), ['catalog', 'new']);
      const png = await upload(
        await sharp(await uniqueJpeg(96, 64))
          .png()
          .toBuffer(),
        ['catalog'],
      );
      const untagged = await upload(await uniqueJpeg(96, 64), ['other']);
      const web = await upload(await uniqueJpeg(96, 64), ['web']);

      const [run] = await until(
        () => segmentations(matching),
        (rows) => rows.length === 1 && rows[0]!.status === 'SUCCEEDED' && !rows[0]!.reviewPriorityPending,
        "the rule's run and its review priority",
      );
      assert.equal(run!.modelId, 'u2netp');
      assert.equal(run!.reviewIfPriorityAbove, 1e9);
      assert.equal(run!.reviewWaived, true, 'its priority is under the threshold');
      // The cut-out needs the mask: its image follows it (every width is the photo's 96 px; AVIF, as browsers ask).
      const cutouts = await until(
        () => variants(matching),
        (rows) => rows.length > 0,
        'the cut-out images',
      );
      assert.deepEqual([...new Set(cutouts.map((row) => `${row.preset} ${row.format}`))], ['cutout avif']);
      // The photo preset needs no mask: stored without any segmentation.
      await until(
        () => variants(web),
        (rows) => rows.length > 0,
        "the web upload's photo images",
      );
      assert.deepEqual([...new Set((await variants(web)).map((row) => row.preset))], ['photo']);
      for (const asset of [png, untagged, web]) assert.deepEqual(await segmentations(asset), [], 'no rule segments this upload');
      for (const asset of [png, untagged]) assert.deepEqual(await variants(asset), [], 'no rule renders this upload');

      // The review queue: the rule's mask is waived; a mask asked for by hand is not.
      const byHand = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp", wait: true }) { id status } }', {
        id: untagged,
      });
      assert.equal(byHand.data.segmentAsset.status, 'SUCCEEDED', JSON.stringify(byHand));
      await until(
        () => segmentations(untagged),
        (rows) => rows.every((row) => !row.reviewPriorityPending),
        'the review priority of the mask asked for by hand',
      );
      const queue = await reviewQueue();
      assert.ok(queue.includes(untagged) && !queue.includes(matching), `review queue ${JSON.stringify(queue)}`);

      const listed = (await client.query(`{ uploadRules { ${RULE} } }`)).data.uploadRules as { id: string }[];
      assert.deepEqual(
        listed.map((rule) => rule.id),
        [catalog.data.createUploadRule.id, photos.data.createUploadRule.id],
        'oldest first',
      );
      for (const rule of listed)
        assert.equal((await client.query('mutation($id: ID!) { deleteUploadRule(id: $id) }', { id: rule.id })).data.deleteUploadRule, true);
    });

    test('applyUploadRule runs a rule over earlier uploads as batches; a deleted rule leaves later uploads alone', async () => {
      const backlog = [];
      for (let i = 0; i < 3; i += 1) backlog.push(await upload(await uniqueJpeg(96, 64), ['backlog']));
      const created = await createRule({ when: { tags: ['backlog'] }, then: { segment: { model: 'u2netp' }, render: ['cutout'] } });
      const ruleId = created.data.createUploadRule.id as string;
      const apply = (dryRun: boolean) =>
        client.query('mutation($id: ID!, $dryRun: Boolean) { applyUploadRule(id: $id, dryRun: $dryRun) { id status kind counts { total } } }', {
          id: ruleId,
          dryRun,
        });

      const dry = await apply(true);
      assert.deepEqual(
        dry.data.applyUploadRule.map((batch: { status: string; kind: string; counts: { total: number } }) => [batch.kind, batch.status, batch.counts.total]),
        [
          ['SEGMENT', 'DRY_RUN', 3],
          ['RENDER', 'DRY_RUN', 3],
        ],
      );
      for (const asset of backlog) assert.deepEqual(await segmentations(asset), [], 'a dry run segments nothing');

      const started = (await apply(false)).data.applyUploadRule as { id: string; kind: string }[];
      assert.deepEqual(
        started.map((batch) => batch.kind),
        ['SEGMENT', 'RENDER'],
      );
      await until(
        async () => (await client.query('query($id: ID!) { batch(id: $id) { status } }', { id: started[0]!.id })).data.batch.status as string,
        (status) => status === 'SUCCEEDED',
        'the segment batch',
      );
      // Whatever the render batch skipped (a mask still being made) follows the mask.
      for (const asset of backlog)
        await until(
          () => variants(asset),
          (rows) => rows.length > 0,
          `the cut-out image of ${asset}`,
        );

      assert.equal((await client.query('mutation($id: ID!) { deleteUploadRule(id: $id) }', { id: ruleId })).data.deleteUploadRule, true);
      const later = await upload(await uniqueJpeg(96, 64), ['backlog']);
      // Rules run before the upload answers: anything a rule asked for would be there now.
      assert.deepEqual(await segmentations(later), [], 'the deleted rule asks for nothing');
      assert.equal(errorCode(await client.query('mutation($id: ID!) { deleteUploadRule(id: $id) }', { id: ruleId })), 'NOT_FOUND');
    });
  });
}
