/**
 * Batches from the web page in Chromium (issue 24): pick three assets (a click and a
 * shift-click), tag them with one batch after confirming its dry-run count, then select all
 * that carry the tag, segment them, and in the jobs view pause the batch, see it hold, resume
 * it and see it finish. Screenshots go to test-output/e2e/.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_SKIP, launchChromium } from '../helpers/chromium.js';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const SHOTS = fileURLToPath(new URL('../../test-output/e2e/', import.meta.url));

describe('batches from the web page in Chromium', { skip: BROWSER_SKIP }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let client: Client;
  const dialogs: string[] = [];

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    gateway = await startTestGateway(DATABASE_TARGETS[0]!);
    const { key } = await gateway.newOwner('bulk');
    client = new Client(gateway.url, key);
    // Oldest first on the page's newest-first grid: the four show as 4, 3, 2, 1.
    for (const name of ['one', 'two', 'three', 'four']) {
      const answer = await client.upload(await uniqueJpeg(96, 64), { name, selection: 'id' });
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // Every confirm() is accepted and remembered: the test checks what it asked.
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.goto(gateway.url, { waitUntil: 'load' });
    await page.fill('#api-key', key);
    await page.click('#key-form button');
    await page.waitForSelector('text=4 assets');
  });
  after(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  const taggedCount = async () =>
    (await client.query<{ assets: { totalCount: number } }>('{ assets(filter: { tags: ["picked"] }) { totalCount } }')).data!.assets.totalCount;

  test('picks three assets with a click and a shift-click and tags them with one confirmed batch', async () => {
    await page.click('[aria-label="Select four"]');
    await page.click('[aria-label="Select two"]', { modifiers: ['Shift'] });
    assert.equal(await page.textContent('[data-testid="selected-count"]'), '3 selected');
    assert.equal(await page.isChecked('[aria-label="Select three"]'), true, 'the shift-click took the range');
    assert.equal(await page.isChecked('[aria-label="Select one"]'), false);
    await page.fill('input[name="bulk-tag"]', 'picked');
    await page.click('text=Add tag');
    await page.waitForSelector('[data-testid="batch-started"]');
    assert.equal(dialogs.at(-1), 'Tag 3 assets?', 'the dry run counted the selection');
    for (let polls = 0; polls < 200 && (await taggedCount()) < 3; polls += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await taggedCount(), 3, 'the worker tagged exactly the three');
    await page.screenshot({ path: `${SHOTS}batch-1-tagged.png` });
  });

  test('segments every asset the filter matches, then pauses, resumes and finishes the batch in the jobs view', async () => {
    await page.fill('input[name="tag"]', 'picked');
    await page.waitForSelector('text=3 assets');
    await page.click('[aria-label="Select two"]');
    await page.click('text=Select all 3 that match');
    assert.equal(await page.textContent('[data-testid="selected-count"]'), '3 selected (all that match)');
    await page.click('[data-testid="bulk"] >> text=Segment');
    await page.waitForSelector('[data-testid="batch-started"]');
    assert.equal(dialogs.at(-1), 'Segment 3 assets?');
    const batchId = (await page.getAttribute('[data-testid="batch-started"]', 'data-id'))!;

    await page.click('text=Follow it in Jobs');
    const card = page.locator(`[data-testid="batch-${batchId}"]`);
    await card.locator('text=Pause').click();
    await page.waitForSelector(`[data-testid="batch-${batchId}"][data-status="PAUSED"]`);
    const read = async () =>
      (
        await client.query<{ batch: { status: string; counts: { running: number; succeeded: number } } }>(
          'query($id: ID!) { batch(id: $id) { status counts { running succeeded } } }',
          { id: batchId },
        )
      ).data!.batch;
    for (let polls = 0; polls < 600 && (await read()).counts.running > 0; polls += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    const held = await read();
    assert.ok(held.counts.succeeded < 3, `paused before the end: ${JSON.stringify(held)}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.deepEqual(await read(), held, 'nothing ran while paused');
    await page.screenshot({ path: `${SHOTS}batch-2-paused.png` });

    await card.locator('text=Resume').click();
    await page.waitForSelector(`[data-testid="batch-${batchId}"][data-status="SUCCEEDED"]`, { timeout: 180_000 });
    assert.match((await card.textContent())!, /3 of 3/);
    await page.screenshot({ path: `${SHOTS}batch-3-finished.png` });
  });
});
