/**
 * How fast `renderNotes` runs on this machine: seconds of audio per wall second (rtf) for one
 * dense 4/4 bar at 100 bpm (4-note chords on every beat, 8th-note bass, 16th hats, kick, snare,
 * a crash), 44.1 kHz stereo, per instrument set; the worst event-loop delay seen meanwhile; and
 * the first call's piano-sample load. `scripts/bench.ts` calls the exported functions; run this
 * file directly (`node --import tsx server/symbolic/render/render-notes.bench.ts`) for a table.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { STEPS_PER_BAR } from '../piano-roll.js';
import { barSeconds, grooveVelocity, type Note } from '../roll-notes.js';
import type { Hz, Seconds } from '../../../core/units.js';
import { INSTRUMENT_SETS, type InstrumentSetName } from './instrument-set.js';
import { loadPianoSamples } from './piano-samples.js';
import { renderNotes } from './render-notes.js';

export interface RenderBenchRow {
  instrumentSet: InstrumentSetName;
  /** Seconds of bar audio rendered per wall second (> 1: faster than real time). */
  rtf: number;
  /** Largest event-loop delay seen while rendering, in milliseconds. */
  maxEventLoopDelayMs: number;
}

const BPM = 100;
const SAMPLE_RATE: Hz = 44100;
/** Rendered past the bar so tails ring out (what a bar-by-bar caller overlap-adds). */
const TAIL: Seconds = 1.5;

/** The dense bar: 4-note chords on each beat, 8th-note bass, 16th closed hats, kick, snare, crash (46 notes). */
export function denseBar(): Note[] {
  const notes: Note[] = [];
  const chords = [[60, 64, 67, 71], [57, 60, 64, 67], [53, 57, 60, 64], [55, 59, 62, 65]];
  chords.forEach((chord, beat) => {
    for (const pitch of chord) notes.push({ track: 'chords', pitch, step: beat * 4, steps: 4, velocity: grooveVelocity(beat * 4, 'chords') });
  });
  for (let step = 0; step < STEPS_PER_BAR; step += 2) notes.push({ track: 'bass', pitch: step % 4 === 0 ? 36 : 43, step, steps: 2, velocity: grooveVelocity(step, 'bass') });
  for (let step = 0; step < STEPS_PER_BAR; step++) notes.push({ track: 'drums', pitch: 42, step, steps: 1, velocity: grooveVelocity(step, 'drums') });
  for (const [pitch, step] of [[36, 0], [36, 8], [38, 4], [38, 12], [49, 0], [36, 10]]) notes.push({ track: 'drums', pitch, step, steps: 1, velocity: grooveVelocity(step, 'drums') });
  return notes;
}

/**
 * Renders the dense bar repeatedly per instrument set (after one warm-up render, which also
 * loads the piano samples) for at least `minSeconds` each.
 *
 * @param [options.minSeconds=3] - wall time per set
 */
export async function benchRender(options: { minSeconds?: Seconds } = {}): Promise<RenderBenchRow[]> {
  const minSeconds = options.minSeconds ?? 3;
  const notes = denseBar();
  const bar = barSeconds(BPM);
  const renderOptions = { bpm: BPM, sampleRate: SAMPLE_RATE, channels: 2 as const, length: Math.round((bar + TAIL) * SAMPLE_RATE) };
  const rows: RenderBenchRow[] = [];
  for (const instrumentSet of INSTRUMENT_SETS) {
    await renderNotes(notes, { ...renderOptions, instrumentSet });
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    let calls = 0;
    const started = performance.now();
    while (calls < 2 || performance.now() - started < minSeconds * 1000) {
      await renderNotes(notes, { ...renderOptions, instrumentSet });
      calls++;
    }
    const wall = (performance.now() - started) / 1000;
    delay.disable();
    rows.push({ instrumentSet, rtf: (calls * bar) / wall, maxEventLoopDelayMs: delay.max / 1e6 });
  }
  return rows;
}

/**
 * Times `loadPianoSamples` at 44.1 kHz and the worst event-loop delay meanwhile. Samples load
 * once per process, so only a call made before any 44.1 kHz piano render measures a load.
 */
export async function benchSampleLoad(): Promise<{ seconds: Seconds; maxEventLoopDelayMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  await loadPianoSamples(SAMPLE_RATE);
  delay.disable();
  return { seconds: (performance.now() - started) / 1000, maxEventLoopDelayMs: delay.max / 1e6 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const load = await benchSampleLoad();
  console.log(`piano samples: ${load.seconds.toFixed(2)} s to load at 44.1 kHz, max event-loop delay ${load.maxEventLoopDelayMs.toFixed(1)} ms`);
  for (const row of await benchRender()) {
    console.log(`${row.instrumentSet.padEnd(10)} rtf ${row.rtf.toFixed(1).padStart(6)}×  max event-loop delay ${row.maxEventLoopDelayMs.toFixed(1)} ms`);
  }
}
