#!/usr/bin/env node
// `npm test`'s first and last step: `--reset` forgets the last run's skips; without it, prints
// the suites this run skipped and why (test/helpers/required-suites.ts writes them), once each.
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LOG = fileURLToPath(new URL('../test-output/skipped-suites.log', import.meta.url));
if (process.argv.includes('--reset')) {
  rmSync(LOG, { force: true });
} else {
  let lines = [];
  try {
    lines = [...new Set(readFileSync(LOG, 'utf8').split('\n').filter(Boolean))];
  } catch {
    // no file: nothing was skipped
  }
  if (lines.length === 0) process.stdout.write('\nEvery conditional suite ran (none skipped).\n');
  else process.stdout.write(`\nSkipped suites (${lines.length}), with the reason:\n${lines.map((line) => `  - ${line}`).join('\n')}\n`);
}
