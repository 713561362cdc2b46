/**
 * `maskgraph fsck`: does the database agree with the blob store and the job queue?
 *
 * - Every row's blob exists (assets, thumbnails, masks and their versions, ground truth,
 *   renditions, image variants). A row whose blob is gone is marked (`blobMissingAt`), never
 *   deleted; a cache row (thumbnail, rendition, image variant) is dropped, to be made again.
 * - Blobs no row names, older than the GC grace period, are orphans (repair: deleted under
 *   their lock, after the references are checked again, as GC does).
 * - Unfinished work the queue no longer carries: a RUNNING segmentation with no live lease,
 *   a QUEUED one the queue does not hold, a mask whose review priority is never coming, a
 *   webhook attempt past its time with no job (repair: queued again; attempts stay counted,
 *   so the job fails once they are spent).
 *   Renders in flight live in the queue and memory only: they have no rows to go stale.
 *
 * It runs beside live gateways and workers: every suspect is looked at twice (the row and
 * the store or queue again) before it is reported, and every repair is conditional on the
 * row being as it was read.
 */
import type { JobQueue } from '../jobs/job-queue.js';
import type { Logger } from '../lib/logger.js';
import type { BlobLocks } from '../storage/blob-locks.js';
import { releaseUnreferenced } from '../storage/blob-release.js';
import type { BlobStore } from '../storage/blob-store.js';
import { withStorageRetry } from '../storage/storage-retry.js';
import type { SegmentationRecord } from '../storage/records.js';
import type { BlobReferenceRepository } from '../storage/repositories/blob-reference.repository.js';
import { CACHE_TABLES, type BlobRow, type ConsistencyRepository } from '../storage/repositories/consistency.repository.js';
import type { SegmentationRepository } from '../storage/repositories/segmentation.repository.js';
import type { WebhookRepository } from '../storage/repositories/webhook.repository.js';

export type FindingKind = 'missing-blob' | 'orphan-blob' | 'stuck-running' | 'lost-queued' | 'expired-lease' | 'lost-review-priority' | 'lost-webhook-attempt';

export interface Finding {
  kind: FindingKind;
  /** The row (`table:id`) or blob (`blob:sha256`) concerned. */
  subject: string;
  detail: string;
  /** With `repair`: what was done, or why nothing was. */
  repair?: string;
  /** False when a repair was asked and could not be made. */
  repaired?: boolean;
}

export interface FsckReport {
  rowsChecked: number;
  blobsChecked: number;
  jobsChecked: number;
  /** Rows marked missing by an earlier repair whose blob is still gone: known losses, not new faults. */
  knownMissing: number;
  /** Marks cleared because the blob is back (with `repair`). */
  marksCleared: number;
  findings: Finding[];
}

export interface FsckOptions {
  repair: boolean;
  /** Orphans younger than this are uploads in flight (GC's grace period). */
  orphanGraceMs: number;
  /** A job running this long past its lease is not being returned by any process. */
  staleLeaseSeconds?: number;
  /** A QUEUED row younger than this may not have been sent yet (the outbox's moment). */
  queuedGraceMs?: number;
  /** A mask waiting this long for its review priority should have been estimated. */
  reviewPriorityGraceMs?: number;
  /** A webhook attempt this long past its time should have been made. */
  webhookGraceMs?: number;
}

export interface FsckDeps {
  consistency: ConsistencyRepository;
  segmentations: SegmentationRepository;
  references: BlobReferenceRepository;
  blobs: BlobStore;
  blobLocks: BlobLocks;
  queues: { segment: JobQueue; reviewPriority: JobQueue; webhook: JobQueue };
  webhooks: Pick<WebhookRepository, 'scheduledAttempts'>;
  /** Tells followers of a segmentation that it changed (a repaired row). */
  publish: (record: SegmentationRecord | null) => Promise<void>;
  logger: Logger;
}

/** Scheduled webhook attempts looked at, oldest first (a backlog past this waits for the next check). */
const MAX_WEBHOOK_ATTEMPTS_CHECKED = 10_000;

export async function checkConsistency(deps: FsckDeps, options: FsckOptions, nowMs = Date.now()): Promise<FsckReport> {
  const report: FsckReport = { rowsChecked: 0, blobsChecked: 0, jobsChecked: 0, knownMissing: 0, marksCleared: 0, findings: [] };
  await checkBlobs(deps, options, nowMs, report);
  await checkJobs(deps, options, nowMs, report);
  return report;
}

async function checkBlobs(deps: FsckDeps, options: FsckOptions, nowMs: number, report: FsckReport): Promise<void> {
  const stored = new Map<string, number>();
  for await (const blob of deps.blobs.list()) stored.set(blob.sha256, blob.modifiedMs);
  report.blobsChecked = stored.size;

  const referenced = new Set<string>();
  const absent: BlobRow[] = [];
  for await (const row of deps.consistency.blobRows()) {
    report.rowsChecked += 1;
    referenced.add(row.sha256);
    if (stored.has(row.sha256)) {
      if (row.blobMissingAt && options.repair && (await deps.consistency.setBlobMissing(row, false))) report.marksCleared += 1;
    } else absent.push(row);
  }

  for (const row of absent) {
    // Written since the listing (a new upload or mask)? Asked again, one by one.
    if (await withStorageRetry(() => deps.blobs.has(row.sha256))) continue;
    if (row.blobMissingAt) {
      report.knownMissing += 1;
      continue;
    }
    const finding: Finding = { kind: 'missing-blob', subject: `${row.table}:${row.id}`, detail: `blob ${row.sha256} is not in the blob store` };
    if (options.repair) {
      const cache = (CACHE_TABLES as readonly string[]).includes(row.table);
      finding.repaired = await deps.consistency.setBlobMissing(row, true);
      finding.repair = finding.repaired
        ? cache
          ? 'cache row deleted (made again on its next request)'
          : 'row marked blobMissingAt'
        : 'row changed meanwhile; left as is';
    }
    report.findings.push(finding);
  }

  for (const [sha256, modifiedMs] of stored) {
    if (referenced.has(sha256) || nowMs - modifiedMs < options.orphanGraceMs) continue;
    const finding: Finding = {
      kind: 'orphan-blob',
      subject: `blob:${sha256}`,
      detail: `no row names it; last written ${Math.round((nowMs - modifiedMs) / 60_000)} min ago`,
    };
    if (options.repair) {
      // Under the blob's lock, after the references are read again: a row may have taken it since.
      const deleted = await deps.blobLocks.run(sha256, () => releaseUnreferenced(deps.references, deps.blobs, [sha256]));
      finding.repaired = deleted.length === 1;
      finding.repair = finding.repaired ? 'deleted' : 'a row references it now, or the store refused; kept';
    }
    report.findings.push(finding);
  }
}

async function checkJobs(deps: FsckDeps, options: FsckOptions, nowMs: number, report: FsckReport): Promise<void> {
  const staleLeaseSeconds = options.staleLeaseSeconds ?? 60;
  const queuedGraceMs = options.queuedGraceMs ?? 30_000;
  const unfinished = [...(await deps.segmentations.listByStatus('RUNNING')), ...(await deps.segmentations.listQueuedToRun())].filter(
    (row) => row.status === 'RUNNING' || row.attempts > 0 || nowMs - row.createdAt.getTime() >= queuedGraceMs,
  );
  report.jobsChecked += unfinished.length;
  const held = await deps.queues.segment.holding(
    unfinished.map((row) => row.id),
    staleLeaseSeconds,
  );
  const suspects = unfinished.filter((row) => {
    const state = held.get(row.id);
    return row.status === 'RUNNING' ? state !== 'running' : state === undefined || state === 'expired';
  });
  for (const suspect of suspects) {
    // Looked at again: a worker may have finished, claimed or given back the job in between.
    const row = await deps.segmentations.findById(suspect.id);
    if (!row || row.status !== suspect.status || row.attempts !== suspect.attempts) continue;
    const state = (await deps.queues.segment.holding([row.id], staleLeaseSeconds)).get(row.id);
    if (row.status === 'RUNNING' ? state === 'running' : state === 'waiting' || state === 'running') continue;
    const kind: FindingKind = state === 'expired' ? 'expired-lease' : row.status === 'RUNNING' ? 'stuck-running' : 'lost-queued';
    const finding: Finding = {
      kind,
      subject: `segmentation:${row.id}`,
      detail:
        kind === 'expired-lease'
          ? `its job ran past its lease by more than ${staleLeaseSeconds} s and no process returned it`
          : `${row.status} (attempt ${row.attempts}) but the queue ${state === 'waiting' ? 'has it waiting' : 'holds no job for it'}`,
    };
    if (options.repair) {
      const requeued = await deps.segmentations.requeueLost(row);
      if (requeued) {
        await deps.queues.segment.requeue(row.id, { priority: row.batchId ? 'batch' : 'interactive', ownerId: row.ownerId });
        await deps.publish(requeued);
      }
      finding.repaired = requeued !== null;
      finding.repair = requeued ? `queued again (attempts so far: ${row.attempts})` : 'row changed meanwhile; left as is';
    }
    report.findings.push(finding);
  }

  const reviewPriorityGraceMs = options.reviewPriorityGraceMs ?? 5 * 60_000;
  const pending = (await deps.segmentations.listPendingReviewPriority()).filter((row) => nowMs - (row.finishedAt?.getTime() ?? nowMs) >= reviewPriorityGraceMs);
  await requeueUnheld(deps.queues.reviewPriority, pending, options.repair, staleLeaseSeconds, report, (row) => ({
    kind: 'lost-review-priority',
    subject: `segmentation:${row.id}`,
    detail: 'its review priority is pending but no job will estimate it',
  }));
  const webhookGraceMs = options.webhookGraceMs ?? 5 * 60_000;
  const overdue = (await deps.webhooks.scheduledAttempts(MAX_WEBHOOK_ATTEMPTS_CHECKED)).filter(
    (attempt) => nowMs - attempt.scheduledAt.getTime() >= webhookGraceMs,
  );
  await requeueUnheld(deps.queues.webhook, overdue, options.repair, staleLeaseSeconds, report, (attempt) => ({
    kind: 'lost-webhook-attempt',
    subject: `webhookAttempt:${attempt.id}`,
    detail: `due since ${attempt.scheduledAt.toISOString()} but no job will make it`,
  }));
  if (report.findings.some((finding) => finding.repaired)) deps.logger.info('fsck repaired', { repaired: report.findings.filter((f) => f.repaired).length });
}

/** Work past its time whose job the queue neither holds waiting nor runs: reported, and with `repair` queued again. */
async function requeueUnheld<T extends { id: string; ownerId: string }>(
  queue: JobQueue,
  overdue: T[],
  repair: boolean,
  staleLeaseSeconds: number,
  report: FsckReport,
  describe: (item: T) => Finding,
): Promise<void> {
  report.jobsChecked += overdue.length;
  const held = await queue.holding(
    overdue.map((item) => item.id),
    staleLeaseSeconds,
  );
  for (const item of overdue.filter((candidate) => !['waiting', 'running'].includes(held.get(candidate.id) ?? ''))) {
    const finding = describe(item);
    if (repair) {
      await queue.requeue(item.id, { priority: 'interactive', ownerId: item.ownerId });
      finding.repaired = true;
      finding.repair = 'queued again';
    }
    report.findings.push(finding);
  }
}

/** Unfixed findings make the check fail (exit 1): those found without `repair`, and repairs that could not be made. */
export function consistencyFailed(report: FsckReport): boolean {
  return report.findings.some((finding) => finding.repaired !== true);
}
