/**
 * The web page in a real browser (Debian's Chromium driven by playwright-core): enter a
 * key, upload a photo, segment it with IS-Net and watch it finish, preview an effect and
 * see the preview change when a slider moves, download a cutout, and find the asset again
 * after a reload. Screenshots of each step go to test-output/e2e/.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSchema, getNamedType, type GraphQLInputObjectType } from 'graphql';
import type { Browser, Page, Request } from 'playwright-core';
import sharp from 'sharp';
import { BROWSER_SKIP, launchChromium } from '../helpers/chromium.js';
import { Client, FIXTURES, settledReviewPriority } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const SHOTS = fileURLToPath(new URL('../../test-output/e2e/', import.meta.url));

/** The left and right halves of a screenshot, each able to tell its mean abs difference from another's. */
async function stageHalves(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const half = (side: 'left' | 'right') => {
    const pixels: number[] = [];
    const [from, to] = side === 'left' ? [0, Math.floor(info.width / 2) - 2] : [Math.ceil(info.width / 2) + 2, info.width];
    for (let y = 0; y < info.height; y += 1) for (let x = from; x < to; x += 1) for (let c = 0; c < 3; c += 1) pixels.push(data[(y * info.width + x) * 3 + c]!);
    return {
      pixels,
      difference(other: { pixels: number[] }) {
        let sum = 0;
        for (let i = 0; i < pixels.length; i += 1) sum += Math.abs(pixels[i]! - other.pixels[i]!);
        return sum / pixels.length;
      },
    };
  };
  return { left: half('left'), right: half('right') };
}

/** The page's full-size MASK effect download, as grey pixels with a lookup by fractions of the photo. */
async function downloadMaskEffect(page: Page, name: string) {
  const kind = await page.inputValue('#effect-kind');
  await page.selectOption('#effect-kind', 'MASK');
  await page.selectOption('#download-format', 'PNG');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download full size')]);
  await page.selectOption('#effect-kind', kind); // as the page was
  const path = `${SHOTS}${name}.png`;
  await download.saveAs(path);
  const { data, info } = await sharp(await readFile(path))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return (fx: number, fy: number) => data[Math.round(fy * info.height) * info.width + Math.round(fx * info.width)]!;
}

describe('the web page in Chromium', { skip: BROWSER_SKIP }, () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let key: string;
  let firstLoadBytes = 0;

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    gateway = await startTestGateway(DATABASE_TARGETS[0]!);
    key = (await gateway.newOwner('browser')).key;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  });
  after(async () => {
    await browser?.close();
    await gateway?.dispose();
  });

  test('loads without a CDN and takes an API key', async (context) => {
    // Every request the page makes, from the first byte on: any origin but the gateway's fails.
    const origins = new Set<string>();
    page.on('request', (request) => {
      if (!request.url().startsWith('data:')) origins.add(new URL(request.url()).origin);
    });
    await page.goto(gateway.url, { waitUntil: 'load' });
    // Browser-side expressions are strings: they run in the page, not in Node.
    firstLoadBytes = await page.evaluate<number>(
      `[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
        .filter((entry) => !/graphql/.test(entry.name)).reduce((sum, entry) => sum + entry.transferSize, 0)`,
    );
    context.diagnostic(`first load transferred ${firstLoadBytes} bytes (HTML, script, styles, uncompressed, headers included)`);
    assert.ok(firstLoadBytes < 100_000, `first load ${firstLoadBytes} bytes`);
    await page.fill('#api-key', key);
    await page.click('#key-form button');
    await page.waitForSelector('text=0 assets');
    assert.deepEqual([...origins], [new URL(gateway.url).origin], 'every request went to the gateway');
    await page.screenshot({ path: `${SHOTS}1-library-empty.png` });
  });

  test('shows a readable error for a wrong key, not a blank page', async () => {
    await page.fill('#api-key', `mg_${'x'.repeat(43)}`);
    await page.click('#key-form button');
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error'))!, /unknown or revoked.*UNAUTHENTICATED/);
    await page.screenshot({ path: `${SHOTS}2-wrong-key.png` });
    await page.fill('#api-key', key);
    await page.click('#key-form button');
    await page.waitForSelector('#error', { state: 'hidden' });
  });

  test('uploads a photo with progress and lists it', async () => {
    // Record every value the page gives a <progress> element (the upload bars).
    await page.evaluate(`(() => {
      const value = Object.getOwnPropertyDescriptor(HTMLProgressElement.prototype, 'value');
      window.progressValues = [];
      Object.defineProperty(HTMLProgressElement.prototype, 'value', {
        configurable: true,
        get() { return value.get.call(this); },
        set(v) { window.progressValues.push(v); value.set.call(this, v); },
      });
    })()`);
    await page.setInputFiles('#file-picker', `${FIXTURES}/composites/c1-bear-meadow.jpg`);
    await page.waitForSelector('.uploads >> text=done');
    await page.waitForSelector('.card img');
    assert.equal(await page.locator('.card').count(), 1);
    const values = await page.evaluate<number[]>('window.progressValues');
    // At least one progress event from the upload, then the bar set full; never backwards.
    assert.ok(values.length >= 2, `progress values ${values}`);
    assert.ok(
      values.every((value, i) => value > 0 && value <= 1 && (i === 0 || value >= values[i - 1]!)),
      `progress values ${values}`,
    );
    assert.equal(await page.locator('.uploads progress').evaluate((bar) => (bar as unknown as { value: number }).value), 1);
    await page.screenshot({ path: `${SHOTS}3-library.png` });
  });

  test('a refused upload says so in red, with no full progress bar left standing', async () => {
    await page.setInputFiles('#file-picker', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    const entry = page.locator('.uploads li', { hasText: 'notes.txt' });
    await entry.locator('text=failed').waitFor();
    assert.equal(await entry.locator('progress').count(), 0, 'the bar is gone');
    assert.equal(await entry.locator('.bad[role=alert]').count(), 1, 'the reason is shown as an error');
    assert.equal(await page.locator('.card').count(), 1, 'nothing was added to the library');
  });

  test('segments with IS-Net, following the job live, and overlays the mask', async () => {
    await page.click('.card a');
    await page.waitForSelector('#model');
    assert.equal(await page.locator('[data-testid=effect-preview]').isVisible(), false, 'no (broken) preview image before a mask exists');
    assert.equal(await page.locator('#model option[value="basnet"]').isDisabled(), true, 'unavailable models are disabled');
    await page.selectOption('#model', 'isnet-general-q8');
    // Every status line the page shows, in order (the draft's lasts as long as IS-Net runs).
    await page.evaluate(`(() => {
      const status = document.querySelector('[data-testid=segment-status]');
      window.statusLines = [];
      new MutationObserver(() => window.statusLines.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
    })()`);
    await page.click('button:text-is("Segment")');
    await page.waitForSelector('[data-testid=segment-status] >> text=SUCCEEDED', { timeout: 120_000 });
    const lines = await page.evaluate<string[]>('window.statusLines');
    assert.ok(
      lines.some((line) => /isnet-general-q8: (QUEUED|RUNNING) \(showing a u2netp draft meanwhile\)/.test(line)),
      `a U²-Net-p draft stood in while IS-Net ran: ${JSON.stringify(lines)}`,
    );
    assert.doesNotMatch(lines.at(-1)!, /draft/, 'the run replaced its draft');
    await page.waitForSelector('[data-testid=mask-overlay]:not([hidden])');
    // The split slider uncovers the photo on the left of the split and keeps the tint on the right.
    const stage = page.locator('.stage');
    await page.waitForFunction(`[...document.querySelectorAll('.stage img')].every((img) => img.naturalWidth > 0)`);
    const before = await stageHalves(await stage.screenshot());
    await page.fill('#overlay-split', '50');
    await page.waitForFunction(`getComputedStyle(document.querySelector('[data-testid=mask-overlay]')).clipPath.includes('50%')`);
    const after = await stageHalves(await stage.screenshot());
    assert.ok(after.left.difference(before.left) > 2, `left half changed by ${after.left.difference(before.left).toFixed(2)}`);
    assert.ok(after.right.difference(before.right) < 0.5, `right half changed by ${after.right.difference(before.right).toFixed(2)}`);
    await page.screenshot({ path: `${SHOTS}4-segmented.png` });
  });

  test('corrects the mask with a brush and an eraser, saves version 2 with its HCE, and restores version 1', async () => {
    await page.waitForSelector('[data-testid=mask-versions] tr[data-version="1"]');
    const overlayMask = `getComputedStyle(document.querySelector('[data-testid=mask-overlay]')).maskImage`;
    const maskBefore = await page.evaluate(overlayMask);
    const modelEffect = await downloadMaskEffect(page, 'mask-effect-v1');
    // Choosing the effect may have scrolled the page: measure the editor where it is now.
    await page.locator('[data-testid=mask-editor]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-testid=mask-editor]').boundingBox())!;
    const drag = async (from: [number, number], to: [number, number]) => {
      await page.mouse.move(box.x + from[0] * box.width, box.y + from[1] * box.height);
      await page.mouse.down();
      for (let step = 1; step <= 8; step += 1)
        await page.mouse.move(box.x + (from[0] + ((to[0] - from[0]) * step) / 8) * box.width, box.y + (from[1] + ((to[1] - from[1]) * step) / 8) * box.height);
      await page.mouse.up();
    };
    // Zoom and pan move the photo, the mask and the brush together: + zooms about the centre,
    // Space and a drag pan, 0 fits again.
    const editorWidth = async () => (await page.locator('[data-testid=mask-editor]').boundingBox())!.width;
    await page.keyboard.press('+');
    await page.waitForSelector('[data-testid=zoom-level] >> text=150 %');
    assert.ok(Math.abs((await editorWidth()) / box.width - 1.5) < 0.01, 'the canvas is zoomed with the photo');
    const zoomedLeft = (await page.locator('[data-testid=mask-editor]').boundingBox())!.x;
    // As a person does it: the pointer over the photo, then Space held (over the stage, Space pans even with a button focused).
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down(' ');
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up(' ');
    assert.ok((await page.locator('[data-testid=mask-editor]').boundingBox())!.x > zoomedLeft + 40, 'panned right');
    await page.screenshot({ path: `${SHOTS}5-zoomed.png` });
    await page.keyboard.press('0');
    await page.waitForSelector('[data-testid=zoom-level] >> text=100 %');
    assert.equal(await page.locator('[data-testid=mask-versions] tr[data-version="2"]').count(), 0, 'panning painted nothing');

    await page.keyboard.press('b');
    await drag([0.05, 0.08], [0.3, 0.08]);
    await page.keyboard.press('e');
    await drag([0.45, 0.5], [0.6, 0.55]);
    await page.screenshot({ path: `${SHOTS}5a-mask-strokes.png` });
    await page.click('text=Save as new version');
    const row = page.locator('[data-testid=mask-versions] tr[data-version="2"]');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[1], 'correction');
    assert.ok(Number(cells[2]) > 0 && Number(cells[3]) > 0, `version 2 costs HCE ${cells[2]}, ${cells[3]} pixels`);
    await page.waitForFunction(`${overlayMask} !== ${JSON.stringify(maskBefore)}`);
    await page.screenshot({ path: `${SHOTS}5b-mask-version-2.png` });
    // The downloaded effect is made from version 2: painted in where the brush went, erased under the eraser.
    const correctedEffect = await downloadMaskEffect(page, 'mask-effect-v2');
    assert.deepEqual([modelEffect(0.18, 0.08), correctedEffect(0.18, 0.08)], [0, 255], 'the brush stroke');
    assert.ok(modelEffect(0.52, 0.51) >= 128, `the eraser went over the bear (${modelEffect(0.52, 0.51)})`);
    assert.equal(correctedEffect(0.52, 0.51), 0, 'the eraser stroke');
    await page.locator('[data-testid=mask-versions] tr[data-version="1"] button:text-is("Restore")').click();
    const restored = page.locator('[data-testid=mask-versions] tr[data-version="3"]');
    await restored.waitFor();
    assert.deepEqual((await restored.locator('td').allTextContents()).slice(1, 3), ['restore', '0']);
    // Version 2 as ground truth: the model's mask now costs version 2's HCE, and HCE shows where.
    await page.locator('[data-testid=mask-versions] tr[data-version="2"] button:text-is("Use as ground truth")').click();
    await page.waitForSelector(`[data-testid=quality] td:text-is("${cells[2]}")`);
    await page.check('#show-hce-points');
    await page.waitForSelector('[data-testid=hce-points] circle');
    assert.equal(await page.locator('[data-testid=hce-points] circle').count(), Number(cells[2]), 'one mark per click HCE counts');
    await page.locator('.stage').screenshot({ path: `${SHOTS}5c-hce-points.png` });
    await page.uncheck('#show-hce-points');
  });

  test('every effect control starts at the default the schema documents, and the first preview asks for exactly that', async () => {
    const schema = buildSchema(await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8'));
    const effectInput = schema.getType('EffectInput') as GraphQLInputObjectType;
    /** "…; default 0.5." or "default \"#ff2d55\"" in a field's description, as the value a control shows. */
    const documentedDefault = (member: string, field: string): string | undefined => {
      const type = getNamedType(effectInput.getFields()[member]!.type) as GraphQLInputObjectType;
      const match = /default (-?\d+(?:\.\d+)?|"[^"]*"|white)/.exec(type.getFields()[field]?.description ?? '');
      return match?.[1] === 'white' ? '#ffffff' : match?.[1]!.replace(/"/g, '');
    };
    const isPreview = (request: Request) => request.url().endsWith('/graphql') && (request.postData() ?? '').includes('effect(input');
    const initialKind = await page.inputValue('#effect-kind');
    const kinds = await page.locator('#effect-kind option').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value));
    let compared = 0;
    for (const kind of [...kinds.filter((value) => value !== initialKind), initialKind]) {
      const requested = page.waitForRequest(isPreview);
      await page.selectOption('#effect-kind', kind);
      const input = (JSON.parse((await requested).postData()!) as { variables: { input: Record<string, Record<string, unknown>> } }).variables.input;
      const [member, sent] = Object.entries(input)[0]!;
      const controls = await page
        .locator('[id^=control-]')
        .evaluateAll((elements) =>
          elements.map((element) => ({ field: element.id.slice('control-'.length), value: (element as unknown as { value: string }).value })),
        );
      for (const { field, value } of controls) {
        const expected = documentedDefault(member, field);
        if (expected === undefined) continue; // no documented default (the mask's threshold), or a control that is not a field
        assert.equal(value.toLowerCase(), expected.toLowerCase(), `${kind}: the ${field} control starts at ${value}; the schema documents ${expected}`);
        assert.equal(
          String(sent[field]).toLowerCase(),
          expected.toLowerCase(),
          `${kind}: the first preview sends ${field} = ${String(sent[field])}; the schema documents ${expected}`,
        );
        compared += 1;
      }
    }
    assert.ok(compared >= 10, `every kind's documented defaults were compared (${compared})`);
  });

  test('previews an effect and updates the preview when a slider moves', async () => {
    const preview = page.locator('[data-testid=effect-preview]');
    const previewSrc = `document.querySelector('[data-testid=effect-preview]').src`;
    await page.waitForFunction(`${previewSrc} !== ''`);
    const before = await preview.getAttribute('src');
    await page.fill('#control-strength', '0.95');
    await page.waitForFunction(`${previewSrc} !== ${JSON.stringify(before)}`);
    // complete is also true for a broken image; a decoded one has a width.
    await page.waitForFunction(`document.querySelector('[data-testid=effect-preview]').complete`);
    assert.ok((await preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 0, 'the preview decoded');
    await page.screenshot({ path: `${SHOTS}5-effect-preview.png` });
  });

  test('a slider drag previews as it moves: one preview in flight, and it ends on the last value', async () => {
    const isPreview = (request: Request) => request.url().endsWith('/graphql') && (request.postData() ?? '').includes('effect(input');
    let inFlight = 0;
    let mostInFlight = 0;
    let asked = 0;
    const started = (request: Request) => {
      if (!isPreview(request)) return;
      asked += 1;
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
    };
    const ended = (request: Request) => {
      if (isPreview(request)) inFlight -= 1;
    };
    page.on('request', started);
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    try {
      // A drag: 13 positions, an input event each, 30 ms apart (faster than a preview renders).
      const steps = Array.from({ length: 13 }, (_, step) => String((20 + step * 5) / 100));
      for (const value of steps) {
        await page.evaluate(
          `(() => { const slider = document.querySelector('#control-strength'); slider.value = ${JSON.stringify(value)}; slider.dispatchEvent(new Event('input')); })()`,
        );
        await page.waitForTimeout(30);
      }
      const shownStrength = `(() => { const shown = document.querySelector('[data-testid=effect-preview]').dataset.variables; return shown && Object.values(JSON.parse(shown).input)[0].strength; })()`;
      await page.waitForFunction(`${shownStrength} === 0.8`);
      assert.equal(mostInFlight, 1, 'never more than one preview in flight');
      assert.ok(asked >= 2, `previews followed the drag, not only its end (${asked} for ${steps.length} positions)`);
    } finally {
      page.off('request', started);
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
    }
  });

  test('downloads a full-size cutout that decodes with alpha', async () => {
    await page.selectOption('#effect-kind', 'CUTOUT');
    await page.selectOption('#download-format', 'PNG');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download full size')]);
    assert.equal(download.suggestedFilename(), 'c1-bear-meadow-cutout.png', 'named after the uploaded photo, not the rendition');
    const path = `${SHOTS}cutout.png`;
    await download.saveAs(path);
    const meta = await sharp(await readFile(path)).metadata();
    assert.deepEqual([meta.width, meta.height, meta.hasAlpha], [1024, 682, true]);
    await page.screenshot({ path: `${SHOTS}6-cutout.png` });
  });

  test('the asset view fits a 390 px phone, the model select fits its card, and Space presses a focused button', async () => {
    const viewport = page.viewportSize()!;
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 390 px`);
      await page.setViewportSize({ width: 1280, height: 800 });
      const [select, panel] = await page.evaluate<[number, number]>(
        `[document.querySelector('#model').getBoundingClientRect().right, document.querySelector('#model').closest('.panel').getBoundingClientRect().right]`,
      );
      assert.ok(select <= panel, `the model select ends at ${select} px, its card at ${panel} px`);
      const transform = () => page.evaluate<string>(`document.querySelector('.stage-content').style.transform`);
      const before = await transform();
      await page.focus('button[title="Zoom in (+)"]');
      await page.keyboard.press(' ');
      assert.notEqual(await transform(), before, 'Space on the focused zoom button zoomed');
      await page.click('button[title="Whole photo (0)"]');
    } finally {
      await page.setViewportSize(viewport);
    }
  });

  test('scores the mask once a ground truth is uploaded', async () => {
    await page.setInputFiles('#ground-truth', `${FIXTURES}/composites/c1-bear-meadow.gt.png`);
    // Exactly "HCE": the quality-estimate table without ground truth has an "est. HCE" column.
    await page.waitForSelector('[data-testid=quality] th:text-is("HCE")');
    // The table's HCE for the model is the API's stored report (against this ground truth,
    // which replaced the corrected version promoted earlier: the table updates to it).
    const assetId = new URL(page.url()).hash.split('/').pop()!;
    const report = async () => {
      const { data } = await new Client(gateway.url, key).query(
        `query($id: ID!) { asset(id: $id) { groundTruth { url } segmentations { model status quality { hce mae } } } }`,
        { id: assetId },
      );
      const scored = data.asset.segmentations.filter(
        (segmentation: { model: string; quality: unknown }) => segmentation.model === 'isnet-general-q8' && segmentation.quality,
      );
      assert.equal(scored.length, 1, JSON.stringify(data.asset.segmentations));
      return scored[0].quality as { hce: number; mae: number };
    };
    let cells: string[] = [];
    let expected = await report();
    for (let attempt = 0; attempt < 50; attempt += 1) {
      cells = await page.locator('[data-testid=quality] table tr:has(td:text-is("isnet-general-q8")) td').allTextContents();
      expected = await report();
      if (cells[1] === String(expected.hce)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(cells[1], String(expected.hce), `HCE cell ${cells[1]} vs API ${expected.hce}`);
    const scoredReport = expected;
    assert.equal(cells[2], scoredReport.mae.toFixed(3));
    await page.screenshot({ path: `${SHOTS}7-quality.png` });
  });

  test('a sign-in link (as the first start prints) signs a fresh browser in and leaves no key in the address bar', async () => {
    const context = await browser.newContext();
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${gateway.url}/#key=${key}`);
      await fresh.waitForSelector('.card img');
      assert.equal(await fresh.locator('.card').count(), 1, "the owner's library");
      assert.doesNotMatch(fresh.url(), /key=/);
      assert.equal(await fresh.evaluate<string>(`localStorage.getItem('maskgraph.apiKey')`), key);
    } finally {
      await context.close();
    }
  });

  test('a sign-in link opened in a tab that already shows the page signs in too, without a reload', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`${gateway.url}/`);
      await tab.waitForSelector('#api-key');
      assert.equal(await tab.locator('.card').count(), 0, 'no key yet: no library');
      // Same document, new fragment: the browser fires hashchange instead of loading the page.
      await tab.goto(`${gateway.url}/#key=${key}`);
      await tab.waitForSelector('.card img');
      assert.doesNotMatch(tab.url(), /key=/);
      assert.equal(await tab.inputValue('#api-key'), key, 'the key field shows the key');
      assert.equal(await tab.evaluate<string>(`localStorage.getItem('maskgraph.apiKey')`), key);
    } finally {
      await context.close();
    }
  });

  test('finds the asset again after a reload', async () => {
    await page.goto(gateway.url);
    await page.waitForSelector('.card img');
    assert.equal(await page.locator('.card').count(), 1);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}8-library-phone.png` });
  });

  test('walks the review queue: highest priority first, confirm, skip, correct', async () => {
    await page.setViewportSize({ width: 1200, height: 900 });
    const client = new Client(gateway.url, key);
    const priorities: Record<string, number> = {};
    for (const file of ['images/flower.jpg', 'composites/c4-palm-dune-fine.jpg']) {
      const id = (await client.upload(`${FIXTURES}/${file}`, { selection: 'id' })).data!.uploadAsset.id as string;
      const segmented = await client.query(
        `mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "isnet-general-q8", wait: true }) { id status asset { name } } }`,
        { id },
      );
      assert.equal(segmented.data.segmentAsset.status, 'SUCCEEDED');
      await settledReviewPriority(client, segmented.data.segmentAsset.id); // the queue shows an asset once its priority is known
      priorities[segmented.data.segmentAsset.asset.name] = (
        await client.query(`query($id: ID!) { asset(id: $id) { reviewPriority } }`, { id })
      ).data.asset.reviewPriority;
    }
    const [first, second] = Object.entries(priorities)
      .sort((a, b) => b[1] - a[1])
      .map(([name]) => name);
    const showing = async (name: string) => page.waitForSelector(`main p >> text=${name}`);
    await page.goto(`${gateway.url}/#/review`);
    // The bear was corrected above: only the two new photos wait, the likelier to need work first.
    await page.waitForSelector('[data-testid=review-bar] >> text=Review: 2 left');
    await showing(first!);
    await page.waitForSelector('[data-testid=mask-overlay]:not([hidden])');
    await page.screenshot({ path: `${SHOTS}9a-review-queue.png` });
    await page.click('[data-testid=review-skip]');
    await showing(second!);
    await page.click('[data-testid=review-confirm]');
    await page.waitForSelector('[data-testid=review-bar] >> text=Start over with the skipped ones');
    await page.click('text=Start over with the skipped ones');
    await page.waitForSelector('[data-testid=review-bar] >> text=Review: 1 left');
    await showing(first!);
    // A correction instead of a confirmation: the asset leaves the queue once saved.
    await page.waitForSelector('[data-testid=mask-versions] tr[data-version="1"]');
    const box = (await page.locator('[data-testid=mask-editor]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.1);
    await page.click('text=Save as new version');
    await page.waitForSelector('[data-testid=mask-versions] tr[data-version="2"]');
    await page.click('[data-testid=review-next]');
    await page.waitForSelector('[data-testid=review-bar] >> text=Done: 2 reviewed.');
    await page.screenshot({ path: `${SHOTS}9b-review-done.png` });
    const { data } = await client.query(`{ assets(filter: { needsReview: true }) { totalCount } }`);
    assert.equal(data.assets.totalCount, 0);
  });
});
