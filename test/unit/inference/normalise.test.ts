import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalisePrediction, SUBJECT_THRESHOLD } from '../../../src/inference/engine.js';

test('stretches a confident prediction to the full 0–255 range, truncating', () => {
  const { mask, subjectFound } = normalisePrediction(Float32Array.of(0.1, 0.55, 0.9));
  assert.equal(subjectFound, true);
  assert.deepEqual([...mask], [0, 143, 255]); // (0.45/0.8)·255 = 143.4 → 143
});

test(`leaves a prediction without any value ≥ ${SUBJECT_THRESHOLD} unstretched and says no subject was found`, () => {
  const { mask, subjectFound, rawMax } = normalisePrediction(Float32Array.of(0.01, 0.2, 0.3));
  assert.equal(subjectFound, false);
  assert.ok(Math.abs(rawMax - 0.3) < 1e-6);
  assert.deepEqual([...mask], [2, 51, 76]);
});

test('clamps raw values outside [0, 1] when not stretching', () => {
  assert.deepEqual([...normalisePrediction(Float32Array.of(-0.5, 0.2)).mask], [0, 51]);
});
