import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalisePrediction, SUBJECT_THRESHOLD } from '../../../src/inference/engine.js';

test('stretches a confident prediction to the full 0–255 range, truncating', () => {
  const { mask, subjectFound } = normalisePrediction(Float32Array.of(0.1, 0.55, 0.9));
  assert.equal(subjectFound, true);
  assert.deepEqual([...mask], [0, 143, 255]); // (0.45/0.8)·255 = 143.4 → 143
});

test(`stretches a prediction without any value ≥ ${SUBJECT_THRESHOLD} too, as the upstream scripts do, and says no subject was found`, () => {
  const { mask, subjectFound, rawMax } = normalisePrediction(Float32Array.of(0.01, 0.2, 0.3));
  assert.equal(subjectFound, false);
  assert.ok(Math.abs(rawMax - 0.3) < 1e-6, 'expected: Math.abs(rawMax - 0.3) < 1e-6');
  assert.deepEqual([...mask], [0, 167, 255]); // (0.19/0.29)·255 = 167.07 → 167
});

test('keeps a constant prediction as it is (nothing to stretch)', () => {
  assert.deepEqual([...normalisePrediction(Float32Array.of(0.2, 0.2)).mask], [51, 51]);
});

test("'raw' post-processing scales by 255 and clamps raw values outside [0, 1]", () => {
  assert.deepEqual([...normalisePrediction(Float32Array.of(-0.5, 0.2, 1.5), 'raw').mask], [0, 51, 255]);
});
