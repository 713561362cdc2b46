/**
 * Crash leftovers: a blob stored but never referenced (a crash between the blob write and
 * the row insert) and a half-received staging file are swept, once past the grace period;
 * referenced blobs never are.
 */
import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InProcessBlobLocks } from '../../src/storage/blob-locks.js';
import { collectBlobGarbage } from '../../src/storage/blob-gc.js';
import { FileBlobStore } from '../../src/storage/blob-store.js';
import { BlobReferenceRepository } from '../../src/storage/repositories/blob-reference.repository.js';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { listBlobFiles, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const HOUR_AGO = new Date(Date.now() - 3_600_000);

for (const target of DATABASE_TARGETS) {
  describe(`blob garbage collection on ${target.name}`, { skip: target.skipReason }, () => {
    let gateway: TestGateway;
    before(async () => {
      gateway = await startTestGateway(target);
    });
    after(() => gateway?.dispose());

    test('sweeps old orphans and staging files, keeps referenced and recent blobs', async () => {
      const client = new Client(gateway.url, (await gateway.newOwner('gc')).key);
      const kept = (await client.upload(await uniqueJpeg(), { selection: 'sha256' })).data!.uploadAsset.sha256 as string;
      const store = await FileBlobStore.open(gateway.config.blobDir);
      const orphan = await store.put(Buffer.from('written, then the process died before its row'));
      const recentOrphan = await store.put(Buffer.from('an upload still in flight'));
      const staging = store.tempPath();
      await writeFile(staging, 'half an upload');
      const path = (sha: string) => join(gateway.config.blobDir, sha.slice(0, 2), sha.slice(2, 4), sha);
      for (const file of [path(orphan.sha256), path(kept), staging]) await utimes(file, HOUR_AGO, HOUR_AGO);

      const report = await collectBlobGarbage(store, new BlobReferenceRepository(gateway.database.prisma), 10 * 60_000, new InProcessBlobLocks());

      const remaining = await listBlobFiles(gateway.config);
      assert.ok(!remaining.includes(orphan.sha256), 'old orphan swept');
      assert.ok(remaining.includes(kept), 'referenced blob kept, however old');
      assert.ok(remaining.includes(recentOrphan.sha256), 'recent orphan kept: its row may be on its way');
      assert.ok(!remaining.some((name) => name.endsWith('.part')), 'stale staging file swept');
      assert.equal(report.deletedBlobs, 1);
      assert.equal(report.deletedTempFiles, 1);
    });

    test("drops a proxy whose source went (made while its source was being deleted), with its blob; keeps a live source's", async () => {
      const client = new Client(gateway.url, (await gateway.newOwner('gc-proxy')).key);
      const live = (await client.upload(await uniqueJpeg(), { selection: 'sha256' })).data!.uploadAsset.sha256 as string;
      const store = await FileBlobStore.open(gateway.config.blobDir);
      const gone = `${'0'.repeat(63)}1`; // a source no row references any more
      const proxyOf = async (source: string, text: string) => {
        const blob = await store.put(Buffer.from(text));
        await gateway.database.prisma.imageProxy.upsert({
          where: { sourceSha256_maxSide: { sourceSha256: source, maxSide: 7 } },
          create: { sourceSha256: source, maxSide: 7, sha256: blob.sha256, format: 'jpeg', width: 1, height: 1, byteSize: text.length, createdAt: HOUR_AGO },
          update: {},
        });
        return blob.sha256;
      };
      const orphanProxy = await proxyOf(gone, `a proxy that outlived its source ${Math.random()}`);
      const liveProxy = await proxyOf(live, `a live photo's proxy ${Math.random()}`);

      await collectBlobGarbage(store, new BlobReferenceRepository(gateway.database.prisma), 10 * 60_000, new InProcessBlobLocks());

      const rows = await gateway.database.prisma.imageProxy.findMany({ where: { maxSide: 7 }, select: { sourceSha256: true } });
      assert.deepEqual(
        rows.map((row) => row.sourceSha256),
        [live],
        "only the live source's proxy row is left",
      );
      const remaining = await listBlobFiles(gateway.config);
      assert.ok(!remaining.includes(orphanProxy), "the orphaned proxy's blob is deleted");
      assert.ok(remaining.includes(liveProxy), "the live proxy's blob is kept");
    });

    test('never deletes a blob while a writer holds its lock, and keeps it when that writer referenced it', async () => {
      const client = new Client(gateway.url, (await gateway.newOwner('gc-race')).key);
      const store = await FileBlobStore.open(gateway.config.blobDir);
      const locks = new InProcessBlobLocks();
      // An old orphan: the bytes of a photo nobody has uploaded yet.
      const photo = await uniqueJpeg();
      const orphan = await store.put(photo);
      const file = join(gateway.config.blobDir, orphan.sha256.slice(0, 2), orphan.sha256.slice(2, 4), orphan.sha256);
      await utimes(file, HOUR_AGO, HOUR_AGO);

      let sweep!: Promise<unknown>;
      await locks.run(orphan.sha256, async () => {
        // A writer reusing the blob holds its lock while it inserts the row that references it.
        sweep = collectBlobGarbage(store, new BlobReferenceRepository(gateway.database.prisma), 10 * 60_000, locks);
        const finishedEarly = await Promise.race([sweep.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 1_500))]);
        assert.equal(finishedEarly, false, 'the sweep waits for the lock instead of deleting');
        assert.ok((await listBlobFiles(gateway.config)).includes(orphan.sha256), 'not deleted under the lock');
        const uploaded = await client.upload(photo, { selection: 'sha256' });
        assert.equal(uploaded.data!.uploadAsset.sha256, orphan.sha256);
      });
      await sweep;
      assert.ok((await listBlobFiles(gateway.config)).includes(orphan.sha256), 'referenced by the time the sweep got the lock: kept');
    });
  });
}
