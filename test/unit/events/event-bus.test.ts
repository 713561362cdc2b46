/** What travels on the NOTIFY channel: small, parsed strictly, scoped per schema. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelFor, parseBusMessage } from '../../../src/events/event-bus.js';

test('a bus message is parsed strictly; anything else on the channel is ignored', () => {
  assert.deepEqual(parseBusMessage('{"topic":"segmentation","id":"a","status":"RUNNING"}'), { topic: 'segmentation', id: 'a', status: 'RUNNING' });
  assert.deepEqual(parseBusMessage('{"topic":"evaluation","id":"b","gone":true}'), { topic: 'evaluation', id: 'b', gone: true });
  for (const payload of ['', 'not json', '[]', 'null', '{"id":"a"}', '{"topic":"asset","id":"a"}', '{"topic":"segmentation","id":7}']) {
    assert.equal(parseBusMessage(payload), undefined, payload);
  }
  // Unknown fields are dropped, so nothing else reaches subscribers.
  assert.deepEqual(parseBusMessage('{"topic":"segmentation","id":"a","record":{"secret":1}}'), { topic: 'segmentation', id: 'a' });
  assert.ok(
    JSON.stringify({ topic: 'segmentation', id: '01a2288a-c7ed-744f-bd59-6cea1b869839', status: 'SUCCEEDED' }).length < 8000,
    "far below NOTIFY's 8000 bytes",
  );
});

test('each schema has its own channel, a valid lower-case identifier of at most 63 characters', () => {
  assert.equal(channelFor(undefined), 'maskgraph_public');
  assert.equal(channelFor('mg_test_ab12'), 'maskgraph_mg_test_ab12');
  assert.notEqual(channelFor('a'), channelFor('b'));
  assert.match(channelFor('Weird-Schema"; DROP'), /^[a-z0-9_]+$/);
  assert.ok(channelFor('x'.repeat(200)).length <= 63, "expected: channelFor('x'.repeat(200)).length <= 63");
});
