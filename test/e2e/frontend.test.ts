/**
 * A frontend on a second origin in Chromium, with Apollo Client 4 (test/e2e/frontend-app):
 * listed in ALLOWED_ORIGINS, it queries, uploads, subscribes to the segmentation and draws a
 * preset image into a canvas whose pixels it can read. The same page on an unlisted origin
 * gets nothing.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { BROWSER_SKIP, launchChromium } from '../helpers/chromium.js';
import { FIXTURES } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Run {
  viewer?: string;
  assetId?: string;
  statuses: string[];
  imageUrl?: string;
  pixel?: number[];
  error?: string;
}

/** Serves the page, its bundle and a photo from 127.0.0.1 on a port of its own: an origin of its own. */
async function pageServer(bundle: string, photo: Buffer): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/app.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    if (request.url === '/bear.jpg') return void response.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('a frontend on another origin with Apollo Client, in Chromium', { skip: BROWSER_SKIP }, () => {
  let browser: Browser;
  let listed: { server: Server; origin: string };
  let unlisted: { server: Server; origin: string };
  let gateway: TestGateway;
  let key: string;

  before(async () => {
    const bundled = await build({
      entryPoints: [fileURLToPath(new URL('./frontend-app/app.ts', import.meta.url))],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    const photo = await readFile(join(FIXTURES, 'composites/c1-bear-meadow.jpg'));
    listed = await pageServer(bundled.outputFiles[0]!.text, photo);
    unlisted = await pageServer(bundled.outputFiles[0]!.text, photo);
    gateway = await startTestGateway(DATABASE_TARGETS[0]!, { ALLOWED_ORIGINS: listed.origin });
    key = (await gateway.newOwner('web-team')).key;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await gateway?.dispose();
    for (const page of [listed, unlisted]) if (page) await new Promise((resolve) => page.server.close(resolve));
  });

  async function runFrom(origin: string): Promise<Run> {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`${origin}/`);
      // Runs in the page, where app.ts put runFrontend on window.
      return await tab.evaluate(
        ([gatewayUrl, apiKey]) =>
          (globalThis as unknown as { runFrontend(gateway: string, key: string, photo: string): Promise<Run> }).runFrontend(gatewayUrl!, apiKey!, '/bear.jpg'),
        [gateway.url, key],
      );
    } finally {
      await context.close();
    }
  }

  test('a listed origin queries, uploads, subscribes and reads the pixels of a preset image in a canvas', async () => {
    const run = await runFrom(listed.origin);
    assert.equal(run.error, undefined, JSON.stringify(run));
    assert.equal(run.viewer, 'web-team');
    assert.match(run.assetId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(run.statuses.at(-1), 'SUCCEEDED', JSON.stringify(run.statuses));
    // The same pixel, decoded here from the same URL and format: the canvas saw the real image.
    const bytes = Buffer.from(await (await fetch(run.imageUrl!, { headers: { accept: 'image/avif,image/webp,*/*' } })).arrayBuffer());
    const { data } = await sharp(bytes).extract({ left: 32, top: 32, width: 1, height: 1 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    for (let channel = 0; channel < 3; channel += 1) assert.ok(Math.abs(run.pixel![channel]! - data[channel]!) <= 12, `${run.pixel} against ${[...data]}`);
  });

  test('the same page on an unlisted origin is refused at the first request', async () => {
    const run = await runFrom(unlisted.origin);
    assert.equal(run.viewer, undefined);
    assert.match(run.error ?? '', /fetch|network/i);
  });
});
