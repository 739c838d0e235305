import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestTitleSender } from './latest-title-sender.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('one title in flight at a time; of those that came meanwhile only the newest goes', async () => {
  const sent: string[] = [];
  const inFlight: Array<() => void> = [];
  const sender = new LatestTitleSender({
    send: (title) => new Promise<void>((resolve) => { sent.push(title); inFlight.push(resolve); }),
    active: () => true,
    onError: () => assert.fail('no error'),
  });
  sender.send('A');
  sender.send('B');
  sender.send('C');
  await tick();
  assert.deepEqual(sent, ['A'], 'B and C wait');
  inFlight.shift()!();
  await tick();
  assert.deepEqual(sent, ['A', 'C'], 'B was replaced by C');
  inFlight.shift()!();
  await tick();
  sender.send('D');
  await tick();
  assert.deepEqual(sent, ['A', 'C', 'D']);
});

test('a failure is reported, the same reason again says so; nothing goes while inactive or after clear()', async () => {
  let active = true;
  const errors: Array<[string, boolean]> = [];
  const sent: string[] = [];
  const sender = new LatestTitleSender({
    send: async (title) => {
      sent.push(title);
      if (title !== 'ok') throw new Error(`refused ${title.length}`);
    },
    active: () => active,
    onError: (error, again) => errors.push([error.message, again]),
  });
  for (const title of ['x', 'y', 'zz', 'ok', 'w']) {
    sender.send(title);
    await tick();
  }
  assert.deepEqual(errors, [['refused 1', false], ['refused 1', true], ['refused 2', false], ['refused 1', false]]);
  active = false;
  sender.send('late');
  await tick();
  assert.equal(sent.at(-1), 'w', 'not sent while inactive');
  active = true;
  sender.clear();
  sender.send('new');
  await tick();
  assert.equal(sent.at(-1), 'new');
});
