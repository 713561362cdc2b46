/**
 * The chaos soak (issue 26): 2 gateways and 2 workers on PostgreSQL and s3rver, 8 clients
 * for N minutes (default 20), faults meanwhile (a worker SIGKILLed every 30–60 s, a gateway
 * SIGTERMed, one PostgreSQL restart, the object store away for 10 s); then every job ended,
 * every acknowledged write read back, `fsck` clean, memory growth < 10 %. See
 * test/helpers/soak.ts. A 3-minute version runs in the suite (test/integration/soak.test.ts).
 *
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test node --import tsx bench/soak.ts [minutes]
 */
import { percentiles, runSoak } from '../test/helpers/soak.js';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const minutes = Number(process.argv[2] ?? 20);
const report = await runSoak({ minutes, databaseUrl, log: (line) => process.stderr.write(`${line}\n`) });

const during = percentiles(report.requests.filter((request) => request.duringFault));
const calm = percentiles(report.requests.filter((request) => !request.duringFault));
const errors = new Map<string, number>();
for (const request of report.requests) if (request.error) errors.set(request.error, (errors.get(request.error) ?? 0) + 1);
const line = (name: string, p: ReturnType<typeof percentiles>) => `| ${name} | ${p.count} | ${p.p50} | ${p.p99} | ${p.max} |`;
const maxGrowth = Math.max(0, ...report.memory.map((entry) => entry.growth));
const verdicts: [string, boolean][] = [
  ['every job SUCCEEDED or FAILED with a reason', report.jobs.unfinished.length === 0 && report.jobs.failedWithoutReason.length === 0],
  ['every acknowledged write read back byte-identical', report.lost.length === 0],
  ['fsck clean', report.fsck.exitCode === 0],
  ['client errors only retryable', report.nonRetryable.length === 0],
  ['no process exited on its own', report.badExits.length === 0],
  ['resident memory after warm-up grew < 10 %', maxGrowth < 0.1],
];
process.stdout.write(
  [
    `## Chaos soak: ${minutes} min, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| requests | count | p50 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    line('during faults (and 10 s after)', during),
    line('outside faults', calm),
    '',
    `faults: ${report.faults.map((fault) => `${fault.atSeconds} s ${fault.kind}`).join('; ')}`,
    `acknowledged: ${JSON.stringify(report.acknowledged)}; jobs: ${report.jobs.succeeded} succeeded, ${report.jobs.failed} failed`,
    `client errors: ${[...errors].map(([code, count]) => `${code} ${count}`).join(', ') || 'none'}`,
    `memory: ${report.memory.map((entry) => `${entry.name} ${entry.warmMb.toFixed(0)}→${entry.endMb.toFixed(0)} MB (${(entry.growth * 100).toFixed(1)} %, trend ${entry.trendMbPerMinute.toFixed(1)} MB/min, peak ${entry.peakMb.toFixed(0)})`).join(', ') || 'no process lived past warm-up'}`,
    ...report.memory.map((entry) => `${entry.name} resident MB by minute: ${entry.perMinuteMb.join(' ')}`),
    ...report.memory.map(
      (entry) => `${entry.name} heap MB by minute (main thread in use + Buffers, r: render threads, v: libvips' own): ${entry.heapByMinute.join(' ')}`,
    ),
    '',
    ...verdicts.map(([name, ok]) => `- ${ok ? 'PASS' : 'FAIL'}: ${name}`),
    ...(report.lost.length ? ['', 'lost:', ...report.lost.slice(0, 20)] : []),
    ...(report.nonRetryable.length ? ['', 'non-retryable:', ...report.nonRetryable.slice(0, 20).map((r) => JSON.stringify(r))] : []),
    ...(report.badExits.length ? ['', 'exits:', ...report.badExits] : []),
    ...(report.fsck.exitCode ? ['', `fsck: ${JSON.stringify(report.fsck.findings).slice(0, 2000)}`] : []),
    ...(report.jobs.unfinished.length ? ['', `unfinished: ${report.jobs.unfinished.join(', ')}`] : []),
    '',
  ].join('\n'),
);
if (verdicts.some(([, ok]) => !ok)) process.exitCode = 1;
