/**
 * A slider drag in the web page (issue 25): the time from an input event on the background
 * blur's strength slider to the new preview decoded on screen, in Chromium, for the 16 MP
 * fixture. Each position is a value not asked before (an uncached render); the floor is the
 * same page showing a value it already has (the cache answers: GraphQL, the file and the
 * decode, no render). With preview proxies (the default) and without (PROXY_MAX_SIDE=0).
 *   node --import tsx bench/slider.ts [positions]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ApiKeyService } from '../src/auth/api-keys.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/lib/logger.js';
import { startGateway } from '../src/main.js';
import { OwnerRepository } from '../src/storage/repositories/owner.repository.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { Client, fixturePath } from '../test/helpers/client.js';
import { median } from './timing.js';

const POSITIONS = Number(process.argv[2] ?? 12);
const photo = await readFile(fixturePath('dandelion-large.jpg'));

/** In the page: sets the slider, and resolves with the milliseconds until a preview of that value is on screen. */
function move(page: Page, strength: number): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const preview = document.querySelector('[data-testid=effect-preview]');
    const shown = () => { const v = preview.dataset.variables; return v && Object.values(JSON.parse(v).input)[0].strength === ${strength}; };
    const started = performance.now();
    const observer = new MutationObserver(() => { if (shown()) { observer.disconnect(); resolve(performance.now() - started); } });
    observer.observe(preview, { attributes: true, attributeFilter: ['data-variables'] });
    const slider = document.querySelector('#control-strength');
    slider.value = '${strength}';
    slider.dispatchEvent(new Event('input'));
  })`);
}

async function measure(env: Record<string, string>): Promise<{ uncached: number[]; cached: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'maskgraph-bench-'));
  const gateway = await startGateway(
    loadConfig({ DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'error', WARM_UP: 'false', ...env }),
    createLogger('error'),
  );
  const browser = await launchChromium();
  try {
    const owners = new OwnerRepository(gateway.database.prisma);
    const key = (await new ApiKeyService(owners).createKey((await owners.createOwner('bench')).id, 'bench')).secret;
    const client = new Client(gateway.url, key);
    const assetId = (await client.upload(photo, { filename: 'dandelion.jpg', selection: 'id' })).data!.uploadAsset.id;
    await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp", wait: true, waitTimeoutMs: 120000 }) { id } }`, {
      id: assetId,
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${gateway.url}/#key=${key}`);
    await page.goto(`${gateway.url}/#/asset/${assetId}`);
    await page.selectOption('#effect-kind', 'BACKGROUND_BLUR');
    await page.waitForFunction(`document.querySelector('[data-testid=effect-preview]').dataset.variables`);
    const values = Array.from({ length: POSITIONS }, (_, step) => (10 + step * 5) / 100);
    const uncached: number[] = [];
    for (const value of values) uncached.push(await move(page, value));
    const cached: number[] = [];
    for (const value of values) cached.push(await move(page, value));
    return { uncached, cached };
  } finally {
    await browser.close();
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const withProxies = await measure({});
const originals = await measure({ PROXY_MAX_SIDE: '0' });
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]!;
console.log(`slider drag on the 16 MP fixture, ${POSITIONS} positions each: input event → new preview decoded on screen (ms)`);
console.log('source             uncached median  p90   cached (floor) median  ratio');
for (const [name, run] of [
  ['proxies', withProxies],
  ['originals', originals],
] as const) {
  const floor = median(run.cached);
  console.log(
    `${name.padEnd(18)} ${median(run.uncached).toFixed(0).padStart(15)} ${p90(run.uncached).toFixed(0).padStart(5)} ${floor.toFixed(0).padStart(22)} ${(median(run.uncached) / floor).toFixed(2).padStart(6)}`,
  );
}
