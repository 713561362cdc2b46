/** Our signatures checked by the `standardwebhooks` package, a verifier nobody here wrote. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { newSecret, signatureHeader } from '../../../src/webhooks/signature.js';

test('a signed message verifies with its secret and fails with any other, or with its body changed', () => {
  const key = newSecret();
  assert.match(key.shown, /^whsec_/);
  const body = JSON.stringify({ type: 'asset.created', timestamp: new Date().toISOString(), data: { asset: { id: 'a' } } });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader([key.stored], 'msg_1', timestamp, body),
  };
  assert.deepEqual(new Webhook(key.shown).verify(body, headers), JSON.parse(body));
  assert.throws(() => new Webhook(newSecret().shown).verify(body, headers), 'another secret');
  assert.throws(() => new Webhook(key.shown).verify(body.replace('"a"', '"b"'), headers), 'another body');
  assert.throws(() => new Webhook(key.shown).verify(body, { ...headers, 'webhook-id': 'msg_2' }), 'another id');
});

test('during a rotation either secret verifies the two-signature header', () => {
  const [fresh, old] = [newSecret(), newSecret()];
  const body = '{"type":"batch.finished"}';
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = signatureHeader([fresh.stored, old.stored], 'msg_3', timestamp, body);
  assert.equal(signature.split(' ').length, 2);
  for (const key of [fresh, old]) {
    new Webhook(key.shown).verify(body, { 'webhook-id': 'msg_3', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature });
  }
});
