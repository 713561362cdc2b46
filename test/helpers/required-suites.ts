/**
 * Conditional suites (PostgreSQL, Chromium, the shared U²-Net-p export) skip with a
 * warning on a developer's machine that lacks them. CI sets REQUIRE_ALL_SUITES=true: there
 * a skip means a broken environment, so the test file fails instead of passing quietly.
 * Each skip is also written to SKIPPED_SUITES_LOG, which `npm test` prints at its end
 * (bin/skipped-suites.mjs): node's own summary counts skipped tests, not skipped suites.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SKIPPED_SUITES_LOG = fileURLToPath(new URL('../../test-output/skipped-suites.log', import.meta.url));

export function skipUnlessRequired(suite: string, reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  if (process.env.REQUIRE_ALL_SUITES === 'true') {
    throw new Error(`${suite} must run here (REQUIRE_ALL_SUITES=true) but would be skipped: ${reason}`);
  }
  if (!process.env.MASKGRAPH_QUIET_SKIP) process.stderr.write(`\n*** ${suite} skipped: ${reason} ***\n\n`);
  mkdirSync(dirname(SKIPPED_SUITES_LOG), { recursive: true });
  appendFileSync(SKIPPED_SUITES_LOG, `${suite}: ${reason}\n`);
  return reason;
}
