/** The crop rule of src/images/crop.ts on hand-made cases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cropRect, focalPoint, type CropSpec } from '../../../src/images/crop.js';

const photo = { width: 1000, height: 500 };
const square: CropSpec = { aspectRatio: 1, gravity: 'SUBJECT', paddingPercent: undefined };

test('SUBJECT: the largest square, moved so the whole subject is inside and centred as far as the edges allow', () => {
  const subject = { x: 700, y: 100, width: 200, height: 300 };
  const crop = cropRect(photo, square, subject, focalPoint(photo, undefined, subject));
  assert.deepEqual(crop, { x: 500, y: 0, width: 500, height: 500 }, 'centred on x = 800 would leave the photo; it stops at the right edge');
  const centred = cropRect(photo, square, { x: 400, y: 100, width: 100, height: 100 }, focalPoint(photo, undefined, null));
  assert.deepEqual(centred, { x: 200, y: 0, width: 500, height: 500 });
});

test('SUBJECT: a subject wider than the crop is centred on the focal point instead (it cannot fit)', () => {
  const subject = { x: 100, y: 100, width: 800, height: 100 };
  const crop = cropRect(photo, square, subject, { x: 0.2, y: 0.5, source: 'USER' });
  assert.deepEqual(crop, { x: 0, y: 0, width: 500, height: 500 }, 'centred on x = 200, clamped at the left edge');
});

test('SUBJECT with padding: the tightest crop of the ratio around the padded subject', () => {
  const subject = { x: 600, y: 200, width: 100, height: 100 };
  const crop = cropRect(photo, { ...square, paddingPercent: 10 }, subject, focalPoint(photo, undefined, subject));
  assert.deepEqual(crop, { x: 590, y: 190, width: 120, height: 120 });
});

test('CENTER ignores the subject; FOCAL_POINT follows the focal point; no crop is the whole photo', () => {
  const subject = { x: 900, y: 0, width: 100, height: 100 };
  assert.deepEqual(cropRect(photo, { ...square, gravity: 'CENTER' }, subject, focalPoint(photo, undefined, subject)), {
    x: 250,
    y: 0,
    width: 500,
    height: 500,
  });
  assert.deepEqual(cropRect(photo, { ...square, gravity: 'FOCAL_POINT' }, subject, focalPoint(photo, undefined, subject)), {
    x: 500,
    y: 0,
    width: 500,
    height: 500,
  });
  assert.deepEqual(cropRect(photo, undefined, subject, focalPoint(photo, undefined, subject)), { x: 0, y: 0, width: 1000, height: 500 });
});

test('a portrait ratio on a landscape photo: full height, 9:16 of it', () => {
  const crop = cropRect(photo, { aspectRatio: 9 / 16, gravity: 'SUBJECT', paddingPercent: undefined }, null, focalPoint(photo, undefined, null));
  assert.deepEqual(crop, { x: 360, y: 0, width: 281, height: 500 });
});

test('the focal point: a person’s, else the centre of the subject box, else the photo’s centre', () => {
  assert.deepEqual(focalPoint(photo, { x: 0.1, y: 0.9 }, { x: 0, y: 0, width: 10, height: 10 }), { x: 0.1, y: 0.9, source: 'USER' });
  assert.deepEqual(focalPoint(photo, undefined, { x: 100, y: 100, width: 200, height: 100 }), { x: 0.2, y: 0.3, source: 'MASK' });
  assert.deepEqual(focalPoint(photo, undefined, null), { x: 0.5, y: 0.5, source: 'CENTER' });
});
