import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listenerSchedule } from './listener-schedule.js';

test('deals the listeners over the channels and the ramp, kinds interleaved, the ICY share spread', () => {
  const plan = listenerSchedule({ http: 30, ws: 10, channels: ['a', 'b'], icyShare: 0.5, startAt: 1000, rampMs: 3900 });
  assert.equal(plan.length, 40);
  assert.equal(plan[0].startAt, 1000);
  assert.equal(plan.at(-1)!.startAt, 4900);
  assert.equal(plan.filter((l) => l.kind === 'ws').length, 10);
  assert.equal(plan.filter((l) => l.icy).length, 15);
  assert.ok(plan.every((l) => l.kind === 'http' || !l.icy));
  assert.equal(plan.filter((l) => l.channel === 'a').length, 20);
  // Interleaved: a WebSocket listener within every 5 of the order.
  const wsOrders = plan.flatMap((l, i) => (l.kind === 'ws' ? [i] : []));
  for (let i = 1; i < wsOrders.length; i++) assert.ok(wsOrders[i] - wsOrders[i - 1] <= 5);
  assert.ok(plan.every((l) => l.localAddress === undefined));
});

test('spreads the listeners over loopback source addresses, perAddress each', () => {
  const plan = listenerSchedule({ http: 600, ws: 100, channels: ['a'], icyShare: 0, startAt: 0, rampMs: 0, perAddress: 32 });
  const counts = new Map<string, number>();
  for (const l of plan) counts.set(l.localAddress!, (counts.get(l.localAddress!) ?? 0) + 1);
  assert.equal(counts.size, Math.ceil(700 / 32));
  assert.ok([...counts.values()].every((n) => n <= 32));
  assert.equal(plan[0].localAddress, '127.1.0.1');
  assert.ok([...counts.keys()].every((address) => /^127\.1\.\d+\.([1-9]|[1-9]\d|1\d\d|2[0-4]\d|250)$/.test(address)));
});
