import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../src/lib/canonical-json.js';

test('canonical JSON is the same whatever order keys were built in, at every depth', () => {
  const built = { kind: 'depthOfField', strength: 0.5, lens: 'disc', nested: { b: 1, a: [{ y: 2, x: 1 }] } };
  const reordered = { nested: { a: [{ x: 1, y: 2 }], b: 1 }, lens: 'disc', kind: 'depthOfField', strength: 0.5 };
  assert.equal(canonicalJson(built), canonicalJson(reordered));
  assert.equal(canonicalJson(built), '{"kind":"depthOfField","lens":"disc","nested":{"a":[{"x":1,"y":2}],"b":1},"strength":0.5}');
  assert.notEqual(canonicalJson({ a: [1, 2] }), canonicalJson({ a: [2, 1] }), 'array order is meaning');
});
