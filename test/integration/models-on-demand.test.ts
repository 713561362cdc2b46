/**
 * Models load on demand and unload when idle (issue 25 §2): a job that loads its model says
 * how long the load took (`timings.modelLoadMs`, apart from `inferenceMs`), /metrics shows
 * which models are resident, a model nobody used for MODEL_IDLE_UNLOAD_SECONDS is released,
 * and the next job loads it again. Real U²-Net-p weights (`npm run models`), embedded gateway.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, uniqueJpeg } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Timings {
  modelLoadMs: number | null;
  inferenceMs: number | null;
}

describe('models on demand', () => {
  let gateway: TestGateway;
  let client: Client;

  before(async () => {
    gateway = await startTestGateway(DATABASE_TARGETS[0]!, { MODEL_IDLE_UNLOAD_SECONDS: '1' });
    client = new Client(gateway.url, (await gateway.newOwner('models')).key);
  });
  after(() => gateway?.dispose());

  const segment = async (): Promise<Timings> => {
    const assetId = (await client.upload(await uniqueJpeg(), { selection: 'id' })).data!.uploadAsset.id;
    const answer = await client.query(
      'mutation($id: ID!) { segmentAsset(input: { assetId: $id, model: "u2netp", wait: true }) { status timings { modelLoadMs inferenceMs } } }',
      { id: assetId },
    );
    assert.equal(answer.data?.segmentAsset.status, 'SUCCEEDED', JSON.stringify(answer));
    return answer.data.segmentAsset.timings as Timings;
  };
  const model = async (name: string) =>
    Number(new RegExp(`^${name}\\{[^}]*model="u2netp"[^}]*\\} (\\S+)`, 'm').exec(await (await fetch(`${gateway.url}/metrics`)).text())?.[1] ?? 0);

  test('the first job loads the model and says so; the next finds it loaded; idle, it is released; then loaded again', async () => {
    const first = await segment();
    assert.ok(first.modelLoadMs !== null && first.modelLoadMs > 0, `the first job loaded the model: ${JSON.stringify(first)}`);
    assert.ok(first.inferenceMs !== null, 'the run is timed apart from the load');
    assert.equal(await model('maskgraph_model_resident_threads'), 1, 'resident on one thread');
    assert.ok((await model('maskgraph_model_last_load_seconds')) > 0, 'its load time is in /metrics');

    const second = await segment();
    assert.equal(second.modelLoadMs, null, 'the second job found it loaded');
    assert.equal(await model('maskgraph_model_loads'), 1, 'loaded once for both jobs');

    let resident = 1;
    for (let polls = 0; polls < 100 && resident > 0; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      resident = await model('maskgraph_model_resident_threads');
    }
    assert.equal(resident, 0, 'released after MODEL_IDLE_UNLOAD_SECONDS without a job');

    const third = await segment();
    assert.ok(third.modelLoadMs !== null, 'the next job loads it again');
    assert.equal(await model('maskgraph_model_loads'), 2);
  });
});
