/**
 * Render threads warm up at start (WARM_UP, src/effects/warm-up.ts): every render thread
 * renders every effect kind a few times on a made-up photo, and /readyz says so until it is
 * done, so a balancer sends the first previews to warm threads. Embedded gateway, no model
 * preloaded (MODELS_PRELOAD none), so the render threads are all there is to wait for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('render thread warm-up', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway(DATABASE_TARGETS[0]!, { WARM_UP: 'true', MODELS_PRELOAD: 'none', MAX_CONCURRENT_RENDERS: '2' });
  });
  after(() => gateway?.dispose());

  /** A metric's value summed over its labels (0 when it has no series). */
  const metric = async (name: string) =>
    [...(await (await fetch(`${gateway.url}/metrics`)).text()).matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce(
      (sum, [, value]) => sum + Number(value),
      0,
    );

  test('/readyz waits for the render threads, which have rendered before anyone asked', async () => {
    const first = await fetch(`${gateway.url}/readyz`);
    assert.equal(first.status, 503);
    assert.deepEqual(await first.json(), { status: 'not ready', reason: 'warming up the render threads' });
    const deadline = Date.now() + 60_000;
    let ready = first;
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await fetch(`${gateway.url}/readyz`);
    }
    assert.deepEqual(await ready.json(), { status: 'ready' });
    // Both threads started (and hold a heap) though no render was asked for.
    assert.ok((await metric('maskgraph_render_threads_heap_used_bytes')) > 0, 'the render threads have started');
    assert.equal(await metric('maskgraph_render_duration_seconds_count'), 0, 'no request rendered anything');
  });
});
