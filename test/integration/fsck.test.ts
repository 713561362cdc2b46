/**
 * `maskgraph fsck`, run as the real CLI beside a running gateway: on PostgreSQL straight on
 * the database, on the embedded PGlite through the gateway's control route. It must find a
 * mask whose blob was deleted, a RUNNING row whose job the queue no longer holds and an
 * old orphan blob; `--repair` marks the row, queues the job again (the gateway's worker then
 * finishes it) and deletes the orphan; a second check passes, the loss still counted.
 */
import assert from 'node:assert/strict';
import { rm, utimes } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FsckReport } from '../../src/consistency/fsck.js';
import { FileBlobStore } from '../../src/storage/blob-store.js';
import { Client, fixturePath, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { CLI, runCli } from '../helpers/processes.js';

const HOUR_AGO = new Date(Date.now() - 3_600_000);

for (const target of DATABASE_TARGETS) {
  describe(`maskgraph fsck on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(target, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    });
    after(() => gateway?.dispose());

    /** The CLI with the gateway's settings; its exit code and JSON report. */
    const fsck = async (...args: string[]): Promise<{ code: number; report: FsckReport }> => {
      const env = {
        ...process.env,
        DATA_DIR: gateway.dataDir,
        LOG_LEVEL: 'error',
        ...(gateway.config.databaseUrl ? { DATABASE_URL: gateway.config.databaseUrl } : {}),
      };
      const run = await runCli(process.execPath, [CLI, 'fsck', '--json', ...args], { env, timeout: 60_000 }).then(
        (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
      assert.ok(run.stdout.trim().startsWith('{'), `fsck printed a report (exit ${run.code}): ${run.stdout} ${run.stderr}`);
      return { code: run.code, report: JSON.parse(run.stdout) as FsckReport };
    };

    const segment = async (client: Client, assetId: string) => {
      const answer = await client.query('mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp", wait: true }) { id status } }', {
        id: assetId,
      });
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      const { id, status } = answer.data.segmentAsset as { id: string; status: string };
      const row = await gateway.database.prisma.segmentation.findUniqueOrThrow({ where: { id } });
      return { id, status, mask: { sha256: row.maskSha256! } };
    };

    test('finds a deleted mask blob, a stuck RUNNING row and an orphan; --repair fixes them and loses no row', async () => {
      const client = new Client(gateway.url, (await gateway.newOwner('fsck')).key);
      const photo = (await client.upload(fixturePath('dogs-portrait.jpg'), { selection: 'id' })).data!.uploadAsset.id as string;
      const noise = (await client.upload(await uniqueJpeg(), { selection: 'id' })).data!.uploadAsset.id as string;
      const lost = await segment(client, photo);
      const stuck = await segment(client, noise);
      assert.equal(lost.status, 'SUCCEEDED');
      assert.equal(stuck.status, 'SUCCEEDED');
      assert.notEqual(lost.mask.sha256, stuck.mask.sha256, 'two different masks');

      assert.deepEqual((await fsck()).report.findings, [], 'a consistent library has nothing to report');

      // The faults: a mask blob gone from the store, a row RUNNING whose job the queue finished, an old orphan.
      const blobPath = (sha: string) => join(gateway.config.blobDir, sha.slice(0, 2), sha.slice(2, 4), sha);
      await rm(blobPath(lost.mask.sha256));
      await gateway.database.prisma.segmentation.update({ where: { id: stuck.id }, data: { status: 'RUNNING', attempts: 1, startedAt: new Date() } });
      const store = await FileBlobStore.open(gateway.config.blobDir);
      const orphan = await store.put(Buffer.from(`left by a crash ${Math.random()}`));
      await utimes(blobPath(orphan.sha256), HOUR_AGO, HOUR_AGO);

      const found = await fsck();
      assert.equal(found.code, 1, 'problems found: exit 1');
      const kinds = Object.fromEntries(found.report.findings.map((finding) => [finding.subject, finding.kind]));
      assert.equal(kinds[`segmentation:${lost.id}`], 'missing-blob', JSON.stringify(found.report.findings));
      assert.equal(kinds[`segmentation:${stuck.id}`], 'stuck-running', JSON.stringify(found.report.findings));
      assert.equal(kinds[`blob:${orphan.sha256}`], 'orphan-blob', JSON.stringify(found.report.findings));
      assert.equal(found.report.findings.length, 3, JSON.stringify(found.report.findings));
      assert.ok((await listBlobFiles(gateway.config)).includes(orphan.sha256), 'without --repair nothing is deleted');

      const repaired = await fsck('--repair');
      assert.equal(repaired.code, 0, `every problem repaired: ${JSON.stringify(repaired.report.findings)}`);
      assert.ok(
        repaired.report.findings.every((finding) => finding.repaired),
        JSON.stringify(repaired.report.findings),
      );
      const marked = await gateway.database.prisma.segmentation.findUniqueOrThrow({ where: { id: lost.id } });
      assert.equal(marked.status, 'SUCCEEDED', 'the row whose blob is gone is kept');
      assert.ok(marked.blobMissingAt instanceof Date, 'and marked');
      assert.ok(!(await listBlobFiles(gateway.config)).includes(orphan.sha256), 'the orphan is deleted');

      // The stuck row went back to the queue: the gateway's worker runs it again.
      let row = await gateway.database.prisma.segmentation.findUniqueOrThrow({ where: { id: stuck.id } });
      for (let polls = 0; polls < 600 && row.status !== 'SUCCEEDED' && row.status !== 'FAILED'; polls += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        row = await gateway.database.prisma.segmentation.findUniqueOrThrow({ where: { id: stuck.id } });
      }
      assert.equal(row.status, 'SUCCEEDED', `the re-queued job ran: ${row.status} ${row.errorCode ?? ''} ${row.errorMessage ?? ''}`);
      assert.equal(row.attempts, 2, 'its lost attempt stays counted');

      const after = await fsck();
      assert.equal(after.code, 0, `clean after the repair: ${JSON.stringify(after.report.findings)}`);
      assert.equal(after.report.knownMissing, 1, 'the known loss is still counted');
    });

    test('finds a preview proxy whose blob is gone; --repair drops it as a cache row and the next preview makes it again', async () => {
      const { key } = await gateway.newOwner('fsck-proxy');
      let client = new Client(gateway.url, key);
      const upload = (await client.upload(await uniqueJpeg(1600, 1200), { selection: 'id sha256' })).data!.uploadAsset as { id: string; sha256: string };
      // The upload's placeholder job reads the photo through its proxy, so the proxy is made right after the upload.
      const proxyRow = async () => gateway.database.prisma.imageProxy.findFirst({ where: { sourceSha256: upload.sha256 } });
      let proxy = await proxyRow();
      for (let polls = 0; polls < 300 && !proxy; polls += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        proxy = await proxyRow();
      }
      assert.ok(proxy, 'the photo has a proxy');
      await rm(join(gateway.config.blobDir, proxy.sha256.slice(0, 2), proxy.sha256.slice(2, 4), proxy.sha256));

      const found = await fsck();
      assert.equal(found.code, 1, `problems found: ${JSON.stringify(found.report.findings)}`);
      const subject = `imageProxy:${upload.sha256}/${proxy.maxSide}`;
      assert.deepEqual(
        found.report.findings.map((finding) => [finding.subject, finding.kind]),
        [[subject, 'missing-blob']],
      );
      const repaired = await fsck('--repair');
      assert.equal(repaired.code, 0, JSON.stringify(repaired.report.findings));
      assert.equal(await proxyRow(), null, 'the cache row is dropped');
      assert.equal((await fsck()).code, 0, 'clean after the repair');

      // The running process still holds the proxy's bytes in memory (by content: never wrong); a
      // process without them makes the proxy again on its next need.
      gateway = await gateway.restart();
      client = new Client(gateway.url, key);
      const thumbnail = await client.query('query($id: ID!) { asset(id: $id) { thumbnail(size: 512) } }', { id: upload.id });
      assert.equal(thumbnail.errors, undefined, JSON.stringify(thumbnail.errors));
      assert.equal((await fetch(thumbnail.data.asset.thumbnail)).status, 200);
      const remade = await proxyRow();
      assert.ok(remade && (await listBlobFiles(gateway.config)).includes(remade.sha256), 'a new thumbnail made the proxy again, with its blob');
    });

    test('finds a webhook attempt whose job was lost; --repair makes it go out', async () => {
      const received: string[] = [];
      const receiver = createServer((request, response) => {
        received.push(String(request.headers['webhook-id']));
        request.resume();
        response.end();
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const client = new Client(gateway.url, (await gateway.newOwner('fsck-hooks')).key);
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
        const created = await client.query('mutation($url: String!) { createWebhook(input: { url: $url, events: [BATCH_FINISHED] }) { webhook { id } } }', {
          url,
        });
        assert.equal(created.errors, undefined, JSON.stringify(created.errors));
        // The fault: a delivery whose first attempt was due ten minutes ago and was never sent to the queue (a crash in between).
        const delivery = await gateway.database.prisma.webhookDelivery.create({
          data: { webhookId: created.data.createWebhook.webhook.id, eventKey: 'planted', type: 'batch.finished', body: '{"type":"batch.finished","data":{}}' },
        });
        const attempt = await gateway.database.prisma.webhookAttempt.create({
          data: { deliveryId: delivery.id, number: 1, scheduledAt: new Date(Date.now() - 600_000) },
        });

        const found = await fsck();
        assert.equal(found.code, 1);
        assert.deepEqual(
          found.report.findings.map((finding) => [finding.kind, finding.subject]),
          [['lost-webhook-attempt', `webhookAttempt:${attempt.id}`]],
        );
        assert.equal((await fsck('--repair')).code, 0);
        for (let polls = 0; polls < 300 && received.length === 0; polls += 1) await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(received, [delivery.id], 'the attempt went out, with its delivery id');
        const made = await gateway.database.prisma.webhookAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
        assert.equal(made.status, 'SUCCEEDED');
        assert.equal((await fsck()).code, 0, 'clean afterwards');
      } finally {
        receiver.close();
      }
    });
  });
}
