/**
 * The chaos soak's short version (issue 26; the long one is `npm run bench:soak`): 3 minutes
 * of 8 clients against 2 gateways and 2 workers on PostgreSQL and s3rver while a worker is
 * SIGKILLed every 30–60 s, a gateway is SIGTERMed, PostgreSQL restarts and the object store
 * goes away for 10 s. Nothing acknowledged may be lost, every job must end, fsck must be
 * clean and clients may only have seen errors they can retry. Memory growth is the bench's
 * to judge: 3 minutes is too short for it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { skipUnlessRequired } from '../helpers/required-suites.js';
import { runSoak } from '../helpers/soak.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP = skipUnlessRequired('the chaos soak', TEST_DATABASE_URL ? undefined : 'set TEST_DATABASE_URL (CI does)');
const MINUTES = Number(process.env.SOAK_MINUTES ?? 3);

describe('the chaos soak, short version', { skip: SKIP, timeout: (MINUTES + 8) * 60_000 }, () => {
  test(`${MINUTES} minutes of load and faults lose nothing`, async () => {
    const report = await runSoak({ minutes: MINUTES, databaseUrl: TEST_DATABASE_URL!, log: (line) => process.stderr.write(`${line}\n`) });
    const kinds = new Set(report.faults.map((fault) => fault.kind));
    for (const kind of ['worker SIGKILL', 'gateway SIGTERM', 'PostgreSQL restart', 'blob store away']) assert.ok(kinds.has(kind), `fault injected: ${kind}`);
    assert.ok(report.acknowledged.uploads > 10 && report.acknowledged.segmentations > 5, `real load ran: ${JSON.stringify(report.acknowledged)}`);
    assert.deepEqual(report.badExits, [], 'no process exited other than by our signals');
    assert.deepEqual(report.jobs.unfinished, [], 'every job ended');
    assert.deepEqual(report.jobs.failedWithoutReason, [], 'every failed job says why');
    assert.deepEqual(report.lost, [], 'every acknowledged write reads back as it was');
    assert.deepEqual(report.nonRetryable, [], 'clients saw only retryable errors');
    assert.equal(report.fsck.exitCode, 0, `fsck is clean: ${JSON.stringify(report.fsck.findings)}`);
  });
});
