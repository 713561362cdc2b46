import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KeyedMutex } from '../../../src/lib/keyed-mutex.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  test('runs work on the same key one at a time, in order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([mutex.run('k', job('a')), mutex.run('k', job('b')), mutex.run('other', job('c'))]);
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.ok(log.indexOf('a end') < log.indexOf('b start'), "expected: log.indexOf('a end') < log.indexOf('b start')");
    assert.ok(log.indexOf('c start') < log.indexOf('a end'), 'other keys do not wait');
  });

  test('a failing holder releases the key', async () => {
    const mutex = new KeyedMutex();
    await assert.rejects(
      mutex.run('k', async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await mutex.run('k', async () => 'next'), 'next');
  });

  test('runAll with overlapping key sets in opposite orders does not deadlock', async () => {
    const mutex = new KeyedMutex();
    const done = await Promise.all([
      mutex.runAll(['x', 'y'], async () => {
        await tick();
        return 1;
      }),
      mutex.runAll(['y', 'x'], async () => {
        await tick();
        return 2;
      }),
      mutex.runAll(['x', 'x'], async () => 3),
    ]);
    assert.deepEqual(done, [1, 2, 3]);
  });
});
