import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../../server/core/seeded-random.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { HUMANISE, accented, applyDynamics, levelAt, metricAccent } from './dynamics.js';

test('the downbeat is accented most, then beat 3, the backbeats, off-beat 8ths, 16ths least', () => {
  const order = [0, 8, 4, 2, 1].map(metricAccent);
  for (let i = 1; i < order.length; i++) assert.ok(order[i] < order[i - 1], `${order}`);
  assert.equal(metricAccent(16), metricAccent(0));
  assert.equal(accented(80, 0, 0), 80);
  assert.equal(accented(80, 0, 2), 80 + 2 * metricAccent(0));
});

test('a section level ramps and swells over its steps', () => {
  assert.equal(levelAt({ offset: 3 }, 77), 3);
  assert.equal(levelAt({ offset: 0, ramp: 16 }, 0), 0);
  assert.equal(levelAt({ offset: 0, ramp: 16 }, 64), 8);
  assert.equal(levelAt({ offset: 0, ramp: 16 }, 128), 16);
  assert.ok(Math.abs(levelAt({ offset: 0, swell: 10, swellSteps: 64 }, 32) - 10) < 1e-9);
  assert.ok(Math.abs(levelAt({ offset: 0, swell: 10, swellSteps: 64 }, 64)) < 1e-9);
});

test('played velocities stray at most ±HUMANISE from written plus level, vary, and are clamped', () => {
  const written: Note[] = Array.from({ length: 200 }, (_, i) => ({ track: 'lead', pitch: 60, step: i % 16, steps: 2, velocity: 80 }));
  const played = applyDynamics(written, mulberry32(1), { offset: 5 });
  for (const note of played) {
    assert.ok(Number.isInteger(note.velocity));
    assert.ok(Math.abs(note.velocity - 85) <= HUMANISE, `${note.velocity}`);
  }
  assert.ok(new Set(played.map((n) => n.velocity)).size > 8);
  assert.deepEqual(applyDynamics(written, mulberry32(1), { offset: 5 }), played, 'same seed, same velocities');
  const loud = applyDynamics([{ ...written[0], velocity: 125 }], mulberry32(2), { offset: 20 });
  assert.equal(loud[0].velocity, 127);
  const soft = applyDynamics([{ ...written[0], velocity: 3 }], mulberry32(2), { offset: -20 });
  assert.equal(soft[0].velocity, 1);
});
