import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../src/errors.js';
import { FairScheduler, type Lane } from '../../../src/lib/fair-scheduler.js';

/** Records the order tasks start in; each task holds its slot until `release` is called for it. */
function harness(scheduler: FairScheduler) {
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const submit = (owner: string, name: string, lane: Lane = 'interactive') =>
    scheduler.run(owner, lane, () => {
      started.push(name);
      return new Promise<void>((resolve) => releases.set(name, resolve));
    });
  const release = async (name: string) => {
    releases.get(name)!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, submit, release };
}

test("one slot: another owner's task starts after one of the first owner's, not after its backlog", async () => {
  const { started, submit, release } = harness(new FairScheduler({ slots: 1, maxWaitingPerOwner: 100, what: 'tasks' }));
  const all = Array.from({ length: 10 }, (_, k) => submit('A', `A${k}`));
  await new Promise((resolve) => setImmediate(resolve));
  all.push(submit('B', 'B0'));
  await release('A0');
  assert.deepEqual(started, ['A0', 'B0'], `B's task is next in turn, ahead of A's backlog: ${started.join(' ')}`);
  for (const name of ['B0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9']) await release(name);
  await Promise.all(all);
});

test('two slots: one owner holds one, so another owner starts at once', async () => {
  const { started, submit, release } = harness(new FairScheduler({ slots: 2, maxWaitingPerOwner: 100, what: 'tasks' }));
  const all = [submit('A', 'A0'), submit('A', 'A1'), submit('A', 'A2'), submit('B', 'B0')];
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, ['A0', 'B0'], 'A holds one slot and B the other');
  for (const name of ['A0', 'B0', 'A1', 'A2']) await release(name);
  await Promise.all(all);
  assert.deepEqual(started, ['A0', 'B0', 'A1', 'A2'], 'A runs its backlog one at a time');
});

test('interactive work goes before batch work, and a backlog past the limit is BUSY', async () => {
  const { started, submit, release } = harness(new FairScheduler({ slots: 1, maxWaitingPerOwner: 2, what: 'tasks' }));
  const all = [submit('A', 'A0', 'batch'), submit('A', 'A1', 'batch'), submit('A', 'A2', 'batch'), submit('B', 'B0', 'interactive')];
  await assert.rejects(submit('A', 'A3', 'batch'), (error) => isAppError(error) && error.code === 'BUSY', 'the third waiting batch task is refused');
  await new Promise((resolve) => setImmediate(resolve));
  await release('A0');
  assert.equal(started[1], 'B0', `the interactive task overtakes the waiting batch ones: ${started.join(' ')}`);
  for (const name of ['B0', 'A1', 'A2']) await release(name);
  await Promise.all(all);
});
