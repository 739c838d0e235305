import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedule, scheduledLevel, volumeAt } from './volume-schedule.js';

const at = (h: number, m: number, s = 0) => new Date(2026, 0, 5, h, m, s);

test('a schedule parses into windows of local time, one may run past midnight', () => {
  const windows = parseSchedule(JSON.stringify([
    { from: '08:00', to: '11:00', volume: 0.6 },
    { from: '22:00', to: '02:30', volume: 0.2 },
    { from: '12:00', to: '21:00', volume: 0.9 },
  ]));
  assert.deepEqual(windows.map((w) => [w.from, w.to, w.volume]), [[8 * 3600, 11 * 3600, 0.6], [22 * 3600, 2.5 * 3600, 0.2], [12 * 3600, 21 * 3600, 0.9]]);
  assert.equal(scheduledLevel(windows, 9 * 3600, 1), 0.6);
  assert.equal(scheduledLevel(windows, 11 * 3600, 1), 1, '`to` is not part of the window');
  assert.equal(scheduledLevel(windows, 23.5 * 3600, 1), 0.2);
  assert.equal(scheduledLevel(windows, 1 * 3600, 1), 0.2, 'after midnight');
  assert.equal(scheduledLevel(windows, 3 * 3600, 0.7), 0.7, 'outside every window: the fallback (--volume)');
  const allDay = parseSchedule('[{"from":"00:00","to":"24:00","volume":0.4}]');
  for (const hour of [0, 12, 23.99]) assert.equal(scheduledLevel(allDay, hour * 3600, 1), 0.4, '00:00–24:00 is the whole day');
});

test('a bad schedule is refused with the entry and field named', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ from: '8', to: '11:00', volume: 1 }, /schedule\[0\]\.from must be a local time "HH:MM"/],
    [{ from: '08:00', to: '25:00', volume: 1 }, /schedule\[0\]\.to must be a local time/],
    [{ from: '08:00', to: '11:00', volume: 2 }, /schedule\[0\]\.volume must be a number from 0 to 1, got 2/],
    [{ from: '08:00', to: '11:00', volume: '0.5' }, /schedule\[0\]\.volume/],
    [{ from: '08:00', to: '08:00', volume: 1 }, /same time/],
    [{ from: '08:00', to: '11:00', volume: 1, gain: 2 }, /schedule\[0\]\.gain is not a schedule field/],
  ];
  for (const [entry, message] of cases) assert.throws(() => parseSchedule(JSON.stringify([entry])), message);
  assert.throws(() => parseSchedule('{"from":"08:00"}'), /must be a JSON array/);
  assert.throws(() => parseSchedule('[{'), /not valid JSON/);
  assert.throws(
    () => parseSchedule(JSON.stringify([{ from: '22:00', to: '02:00', volume: 1 }, { from: '01:00', to: '03:00', volume: 1 }])),
    /schedule\[0\] and schedule\[1\] overlap/,
  );
});

test('volumeAt ramps smoothly across each boundary over `ramp` seconds, and holds the level between', () => {
  const windows = parseSchedule('[{"from":"08:00","to":"11:00","volume":0.6},{"from":"23:00","to":"01:00","volume":0.2}]');
  assert.equal(volumeAt(windows, at(7, 59, 59), 1, 10), 1);
  assert.equal(volumeAt(windows, at(8, 0, 0), 1, 10), 1, 'the ramp starts at the boundary');
  assert.ok(Math.abs(volumeAt(windows, at(8, 0, 5), 1, 10) - 0.8) < 1e-9, 'half-way: half the step (raised cosine)');
  assert.equal(volumeAt(windows, at(8, 0, 10), 1, 10), 0.6);
  assert.equal(volumeAt(windows, at(9, 30), 1, 10), 0.6);
  assert.ok(Math.abs(volumeAt(windows, at(11, 0, 5), 1, 10) - 0.8) < 1e-9, 'and back up after the window');
  // The ramp's shape: monotonic, and flat at both ends (no corner to hear).
  let previous = 1;
  for (let s = 0; s <= 10; s += 0.5) {
    const v = volumeAt(windows, new Date(at(8, 0).getTime() + s * 1000), 1, 10);
    assert.ok(v <= previous + 1e-12);
    previous = v;
  }
  assert.ok(1 - volumeAt(windows, new Date(at(8, 0).getTime() + 200), 1, 10) < 0.001);
  assert.ok(Math.abs(volumeAt(windows, at(0, 0, 0), 0.7, 10) - 0.2) < 1e-9, 'midnight is inside a window that runs past it');
  assert.ok(Math.abs(volumeAt(windows, at(1, 0, 5), 0.7, 10) - 0.45) < 1e-9, 'the window past midnight ramps back to the fallback');
  assert.equal(volumeAt([], at(12, 0), 0.3, 10), 0.3, 'no schedule: --volume');
  assert.equal(volumeAt(windows, at(8, 0, 1), 1, 0), 0.6, 'ramp 0: a step');
});
