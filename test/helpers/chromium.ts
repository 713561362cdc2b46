/** Debian's Chromium for the browser tests (playwright-core never downloads a browser). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { skipUnlessRequired } from './required-suites.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BUILT = existsSync(fileURLToPath(new URL('../../web/dist/app.js', import.meta.url)));

/** Why the browser tests cannot run here, or undefined (fails instead under REQUIRE_ALL_SUITES). */
export const BROWSER_SKIP = skipUnlessRequired(
  'the browser tests',
  !existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`
    : !BUILT
      ? 'the web page is not built: run npm run build:web (npm install does)'
      : undefined,
);

/** A headless Chromium without background traffic; `extraArgs` e.g. host resolver rules. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}
