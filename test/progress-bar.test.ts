// scripts/progress-bar.ts is tested here rather than beside it: `npm test` runs server/ and test/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { formatDuration, ProgressBar } from '../scripts/progress-bar.js';

/** A stream that keeps what is written; `isTTY` as a terminal or a log file would say. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}

test('the line reads label, bar, percent, count, ETA from elapsed time, extra', () => {
  const stream = sink(false);
  let now = 0;
  const bar = new ProgressBar({ total: 1000, label: 'import', stream, now: () => now });
  now = 30_000;
  bar.update(420, 'song.mid');
  // 30 s for 420 → 580 more take 41.4 s.
  assert.equal(stream.text(), 'import [########------------] 42% 420/1000 · ETA 41s · song.mid\n');
  now = 100_000;
  bar.finish('7 phrases');
  assert.equal(stream.text().split('\n')[1], 'import [####################] 100% 1000/1000 · took 1m40s · 7 phrases');
});

test('counts: false leaves out done/total (a share of a limit has no units)', () => {
  const stream = sink(false);
  let now = 0;
  const bar = new ProgressBar({ total: 1000, label: 'train', stream, now: () => now, counts: false });
  now = 10_000;
  bar.update(500, 'step 12 · W 0.31');
  assert.equal(stream.text(), 'train [##########----------] 50% · ETA 10s · step 12 · W 0.31\n');
});

test('off a terminal, a line per 10% at most, so CI logs stay short', () => {
  const stream = sink(false);
  let now = 0;
  const bar = new ProgressBar({ total: 1000, label: 'x', stream, now: () => now });
  for (let done = 1; done <= 1000; done++) {
    now += 10;
    bar.update(done);
  }
  bar.finish();
  const lines = stream.text().trimEnd().split('\n');
  assert.equal(lines.length, 10, lines.join('\n')); // 10%, 20%, …, 90%, then finish's 100%
  assert.ok(!stream.text().includes('\r'));
  assert.match(lines[0], / 10% 100\/1000 · ETA 9s$/);
  assert.match(lines[9], / 100% 1000\/1000 · took 10s$/);
});

test('on a terminal, redraws in place at most about 10 times a second; log keeps the bar below', () => {
  const stream = sink(true);
  let now = 0;
  const bar = new ProgressBar({ total: 1000, label: 'x', stream, now: () => now });
  for (let done = 1; done <= 500; done++) {
    now += 1; // 500 updates in half a second
    bar.update(done);
  }
  const draws = stream.text().split('\r').length - 1;
  assert.ok(draws >= 4 && draws <= 6, `${draws} redraws in 0.5 s`);
  assert.ok(!stream.text().includes('\n'), 'one line, redrawn');
  bar.log('warning: something');
  assert.match(stream.text(), /\r\x1b\[Kwarning: something\nx \[/);
  bar.finish();
  assert.ok(stream.text().endsWith('\n'));
  assert.match(stream.text(), /100% 1000\/1000 · took 1s\n$/);
});

test('formatDuration', () => {
  assert.deepEqual([0.4, 59, 72, 3599, 3600 + 5 * 60].map(formatDuration), ['0s', '59s', '1m12s', '59m59s', '1h05m']);
});
