/**
 * Café / jazz-piano songs for the built-in corpus (the venue default): 32 bars A A B A
 * (`song-form.ts`), C major / A minor, diatonic 7th chords on piano, a walking or two-feel bass,
 * a lyrical lead, soft drums or none.
 *
 * Fixed rules (every song):
 * - Harmony: a four-chord turnaround played twice per A (I–vi–ii–V, ii–V–I–vi, iii–vi–ii–V,
 *   I–IV–iii–vi, vi–ii–V–I, IV–iii–ii–V); B its own, starting on IV or vi. One chord per bar, or
 *   two (the bar before a loop restarts split into itself and the dominant of what follows). The
 *   ending cadences ii–V | I. All 7th chords (Cmaj7 Dm7 Em7 Fmaj7 G7 Am7), close voicings voice-led
 *   in a window of a little over two octaves.
 * - Piano (chords track): left hand (the lower two tones) and right hand (the upper two) in one
 *   comping figure per bar: Charleston, broken chords over the pedal, a bossa figure, quarters,
 *   left hand on 1 and 3 with the right on 2 and 4, or "and"-of-the-beat stabs: 3–5 attacks a bar, notes an 8th or longer; a half bar of a split bar
 *   gets a shell with two right-hand stabs. Some changes are anticipated: the next chord struck on
 *   the last 8th of the bar and held over the bar line. Common tones are held through changes.
 * - Bass (`walking-bass.ts`): a walking quarter-note line (chord tones, a scale step into each
 *   change, rarely a chromatic one) or a two-feel in half notes; the last chord's root held.
 * - Lead: a two-bar motif of 8ths, quarters and halves with rests (an active bar, then a held
 *   arrival); stated, sequenced onto the next chords, restated at bar 5 of the section, and ended
 *   on a held note; the song's last note a held tonic. B has its own motif.
 * - Drums (`cafe-drums.ts`): ride, brushes or bossa, soft, all on 8ths; in half the songs none, or
 *   only in the B section.
 * - Dynamics: B a little louder or softer than A; the last A's ending starts a little louder and
 *   dies away into its final chord.
 *
 * Seeded variation (per song): the loops, where bars are split, the voicing window and first
 * inversion, two comping figures per section (alternating by bar) and which changes are pushed,
 * walk or two-feel (and walk in B after a two-feel A), legato or detached quarters, the motifs
 * (rhythm cells and contour), the lead's home pitch and its changed endings, the drum choices.
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import { cafeDrums, drawCafeDrums, type CafeDrumPlan, type CafePart } from './cafe-drums.js';
import { chordAt, chordSpans, loopBars, voiceSpans, type ChordSpan, type SectionBars } from './chord-plan.js';
import { accented, applyDynamics } from './dynamics.js';
import { chordPitchClasses, closeVoicing, dominantOf, romanProgression, type Degree } from './harmony.js';
import { drawContour, writeLead, type Motif, type Rhythm, type Statement } from './lead-motif.js';
import { chordNotes } from './note-builders.js';
import { tidyTracks } from './note-tidy.js';
import { chance, integerBetween, pick, pickOther, type Random } from './random-choice.js';
import { ENDING_STEP, SECTION_STEPS, assembleSong } from './song-form.js';
import { jazzBassLine, type BassLineOptions } from './walking-bass.js';

/** A-section turnarounds, one chord per bar. */
export const CAFE_LOOPS = ['I–vi–ii–V', 'ii–V–I–vi', 'iii–vi–ii–V', 'I–IV–iii–vi', 'vi–ii–V–I', 'IV–iii–ii–V'] as const;
/** B-section (bridge) progressions, starting on IV or vi. */
export const CAFE_B_LOOPS = ['IV–iii–ii–V', 'vi–iii–IV–V', 'IV–I–ii–V', 'vi–IV–ii–V', 'IV–V–iii–vi'] as const;

/** One piano attack: when, how long, and which hand's tones (or one tone, by index, low first). */
interface Hit {
  readonly offset: number;
  readonly steps: number;
  readonly voices: 'all' | 'low' | 'high' | number;
}

/** One-bar comping figures; a tone struck again always leaves 2 steps of silence first. */
const CAFE_FIGURES: Readonly<Record<string, readonly Hit[]>> = {
  charleston: [
    { offset: 0, steps: 16, voices: 'low' },
    { offset: 0, steps: 4, voices: 'high' },
    { offset: 6, steps: 4, voices: 'high' },
    { offset: 12, steps: 2, voices: 'high' },
  ],
  broken: [0, 1, 2, 3].map((voice) => ({ offset: voice * 2, steps: 16 - voice * 2, voices: voice })),
  bossa: [
    { offset: 0, steps: 4, voices: 'all' },
    { offset: 6, steps: 2, voices: 'all' },
    { offset: 10, steps: 4, voices: 'all' },
  ],
  quarters: [0, 4, 8, 12].map((offset) => ({ offset, steps: 2, voices: 'all' as const })),
  'oom-pah': [
    { offset: 0, steps: 6, voices: 'low' },
    { offset: 4, steps: 2, voices: 'high' },
    { offset: 8, steps: 6, voices: 'low' },
    { offset: 12, steps: 2, voices: 'high' },
  ],
  'and-stabs': [
    { offset: 0, steps: 16, voices: 'low' },
    { offset: 2, steps: 4, voices: 'high' },
    { offset: 8, steps: 4, voices: 'high' },
    { offset: 14, steps: 2, voices: 'high' },
  ],
};

/** A half bar of a split bar: the shell held, two right-hand stabs. */
const HALF_FIGURE: readonly Hit[] = [
  { offset: 0, steps: 8, voices: 'low' },
  { offset: 0, steps: 2, voices: 'high' },
  { offset: 4, steps: 2, voices: 'high' },
];

/** A bar whose chord was pushed: once the pushed chord is released, the hands answer it. */
const AFTER_PUSH: readonly Hit[] = [
  { offset: 8, steps: 2, voices: 'high' },
  { offset: 10, steps: 4, voices: 'low' },
  { offset: 12, steps: 2, voices: 'high' },
];

/** The anticipation: the next chord struck on the bar's last 8th and held into the next bar. */
const PUSH_AT = 14;
const PUSH_STEPS = 8;

/** Active first bars of a motif (onset, length): 8ths and quarters, some after a rest. */
const ACTIVE_CELLS: readonly Rhythm[] = [
  [{ offset: 0, steps: 4 }, { offset: 4, steps: 2 }, { offset: 6, steps: 2 }, { offset: 8, steps: 8 }],
  [{ offset: 0, steps: 6 }, { offset: 6, steps: 2 }, { offset: 8, steps: 4 }, { offset: 12, steps: 4 }],
  [{ offset: 2, steps: 2 }, { offset: 4, steps: 4 }, { offset: 8, steps: 4 }, { offset: 12, steps: 4 }],
  [{ offset: 0, steps: 2 }, { offset: 2, steps: 2 }, { offset: 4, steps: 4 }, { offset: 8, steps: 6 }],
  [{ offset: 4, steps: 4 }, { offset: 8, steps: 2 }, { offset: 10, steps: 2 }, { offset: 12, steps: 4 }],
  [{ offset: 0, steps: 4 }, { offset: 4, steps: 4 }, { offset: 8, steps: 4 }, { offset: 12, steps: 2 }, { offset: 14, steps: 2 }],
  [{ offset: 0, steps: 4 }, { offset: 6, steps: 2 }, { offset: 8, steps: 6 }],
];
/** Arrival second bars: a held note (a half note or longer, or a quarter and a held note), then a rest. */
const ARRIVAL_CELLS: readonly Rhythm[] = [
  [{ offset: 0, steps: 12 }],
  [{ offset: 0, steps: 8 }],
  [{ offset: 0, steps: 10 }],
  [{ offset: 0, steps: 4 }, { offset: 4, steps: 8 }],
  [{ offset: 0, steps: 6 }, { offset: 6, steps: 2 }, { offset: 8, steps: 4 }],
  [{ offset: 0, steps: 8 }, { offset: 8, steps: 4 }],
  [{ offset: 0, steps: 2 }, { offset: 2, steps: 10 }],
];

interface CafePlan {
  readonly bars: Readonly<Record<CafePart, SectionBars>>;
  readonly chordLow: number;
  readonly startVoicing: readonly number[];
  readonly figures: Readonly<Record<'A' | 'B', readonly [string, string]>>;
  /** Bars (0–6) whose next bar's chord is anticipated. */
  readonly pushes: ReadonlySet<number>;
  readonly bass: Readonly<Record<'A' | 'B', BassLineOptions>>;
  readonly motifs: Readonly<Record<'A' | 'B', Motif>>;
  readonly leadHome: number;
  readonly endShift: number;
  readonly bCallResponse: boolean;
  readonly drums: CafeDrumPlan;
}

/** `loop` twice, the last bar of each pass split into itself and the dominant of the next bar. */
function turnaroundBars(loop: readonly Degree[], split: boolean): Degree[][] {
  return loopBars(loop, 8).map(([degree], bar) => {
    const next = loop[(bar + 1) % loop.length];
    const dominant = dominantOf(next);
    return split && bar % 4 === 3 && dominant !== degree && dominant !== 6 ? [degree, dominant] : [degree];
  });
}

/** The ending's bars: A's first six, then ii–V (V after a ii) and a bar of I. */
function cadenceBars(a: SectionBars): Degree[][] {
  const fifth = a[5][a[5].length - 1];
  return [...a.slice(0, 6).map((bar) => [...bar]), fifth === 1 ? [4] : [1, 4], [0]];
}

function drawMotif(random: Random, active: Rhythm): Motif {
  const rhythm = [...active, ...pick(random, ARRIVAL_CELLS).map((note) => ({ ...note, offset: note.offset + STEPS_PER_BAR }))];
  const contour = drawContour(random, rhythm.length);
  return { span: 2 * STEPS_PER_BAR, notes: rhythm.map((note, i) => ({ ...note, contour: contour[i] })) };
}

function drawPlan(random: Random): CafePlan {
  const a = turnaroundBars(romanProgression(pick(random, CAFE_LOOPS)), chance(random, 0.5));
  const b = turnaroundBars(romanProgression(pick(random, CAFE_B_LOOPS)), chance(random, 0.4));
  const chordLow = pick(random, [48, 50, 52, 53, 55]);
  const first = chordPitchClasses(a[0][0], 'seventh');
  const figureNames = Object.keys(CAFE_FIGURES);
  const figurePair = (): [string, string] => {
    const one = pick(random, figureNames);
    return [one, chance(random, 0.5) ? one : pickOther(random, figureNames, one)];
  };
  const pushShare = pick(random, [0, 0.25, 0.5]);
  const pushes = new Set([0, 1, 2, 3, 4, 5, 6].filter(() => chance(random, pushShare)));
  const walkA = chance(random, 0.6);
  const line = (feel: 'walk' | 'two-feel'): BassLineOptions => ({
    feel,
    noteSteps: chance(random, 0.7) ? 4 : 3,
    chromatic: 0.1,
    low: 38,
    high: 55,
    start: integerBetween(random, 40, 50),
    velocity: 80,
    seed: Math.floor(random() * 2 ** 32),
  });
  const activeA = pick(random, ACTIVE_CELLS);
  return {
    bars: { A: a, B: b, ending: cadenceBars(a) },
    chordLow,
    startVoicing: closeVoicing(first, integerBetween(random, 0, 3), chordLow + integerBetween(random, 0, 8)),
    figures: { A: figurePair(), B: figurePair() },
    pushes,
    bass: { A: line(walkA ? 'walk' : 'two-feel'), B: line(walkA || chance(random, 0.5) ? 'walk' : 'two-feel') },
    motifs: { A: drawMotif(random, activeA), B: drawMotif(random, pickOther(random, ACTIVE_CELLS, activeA)) },
    leadHome: pick(random, [67, 69, 71, 72, 74, 76]),
    endShift: pick(random, [-2, -1, 1, 2]),
    bCallResponse: chance(random, 0.35),
    drums: drawCafeDrums(random),
  };
}

function tonesOf(voicing: readonly number[], voices: Hit['voices']): readonly number[] {
  if (voices === 'all') return voicing;
  if (voices === 'low') return voicing.slice(0, 2);
  if (voices === 'high') return voicing.slice(2);
  return voicing[voices] === undefined ? [] : [voicing[voices]];
}

function cafePiano(plan: CafePlan, bars: SectionBars, spans: readonly ChordSpan[], voicings: readonly number[][], part: CafePart): Note[] {
  const notes: Note[] = [];
  const voicingAt = (step: number) => voicings[spans.indexOf(chordAt(spans, step))];
  const [even, odd] = plan.figures[part === 'B' ? 'B' : 'A'];
  const pushes = (bar: number) => (plan.pushes.has(bar) || (part === 'ending' && bar === 6)) && bar < 7 && bars[bar + 1].length === 1;
  const play = (hits: readonly Hit[], start: number, until: number) => {
    for (const hit of hits) {
      const step = start + hit.offset;
      const steps = Math.min(hit.steps, until - step);
      if (steps < 2) continue;
      const velocity = accented(hit.voices === 'low' ? 56 : 64, step, 0.8);
      notes.push(...chordNotes(tonesOf(voicingAt(step), hit.voices), step, steps, velocity));
    }
  };
  for (let bar = 0; bar < 8; bar++) {
    const start = bar * STEPS_PER_BAR;
    const final = part === 'ending' && bar === 7;
    const pushedInto = bar > 0 && pushes(bar - 1);
    // a pushed bar stops comping two steps before its push; the song's last bar is one held chord
    const until = pushes(bar) ? start + PUSH_AT - 2 : start + STEPS_PER_BAR;
    if (final) {
      if (!pushedInto) notes.push(...chordNotes(voicingAt(start), start, STEPS_PER_BAR, accented(60, start)));
    } else if (pushedInto) {
      // the pushed chord rings to beat 2's "and"; the right hand answers it twice
      play(AFTER_PUSH, start, until);
    } else if (bars[bar].length === 2) {
      play(HALF_FIGURE, start, start + 8);
      play(HALF_FIGURE, start + 8, until);
    } else {
      play(CAFE_FIGURES[bar % 2 === 0 ? even : odd], start, until);
    }
    if (pushes(bar)) {
      const step = start + PUSH_AT;
      const steps = part === 'ending' && bar === 6 ? SECTION_STEPS - step : PUSH_STEPS;
      notes.push(...chordNotes(voicingAt(start + STEPS_PER_BAR), step, steps, accented(70, step)));
    }
  }
  return notes;
}

function cafeLead(plan: CafePlan, spans: readonly ChordSpan[], part: CafePart): Note[] {
  const motif = plan.motifs[part === 'B' ? 'B' : 'A'];
  const voice = { home: plan.leadHome, low: 60, high: 83, velocity: part === 'B' ? 80 : 84 };
  const statements: Statement[] = [0, 32, 64, 96].map((start, i) => {
    if (i === 3 && part === 'ending') return { start, motif, placement: 'previous', homeAt: SECTION_STEPS - STEPS_PER_BAR, holdUntil: SECTION_STEPS };
    if (i === 3) return { start, motif, placement: 'previous', endShift: plan.endShift, holdUntil: SECTION_STEPS - 2 };
    return { start, motif, placement: i % 2 === 0 ? 'home' : 'previous', endShift: i === 1 ? -plan.endShift : 0 };
  });
  // a call-and-response bridge: the lead answers itself only every other phrase
  return writeLead(part === 'B' && plan.bCallResponse ? statements.filter((_, i) => i % 2 === 0) : statements, spans, voice);
}

function writeSection(plan: CafePlan, part: CafePart, startVoicing: readonly number[]): { notes: Note[]; lastVoicing: number[] } {
  const bars = plan.bars[part];
  const spans = chordSpans(bars, () => 'seventh', false);
  const voicings = voiceSpans(spans, startVoicing, plan.chordLow, plan.chordLow + 24);
  // the line leads back into the A section's first chord (after A, and after B)
  const after = part === 'ending' ? null : chordSpans(plan.bars.A, () => 'seventh', false)[0];
  const notes = [
    ...cafeDrums(plan.drums, part),
    ...jazzBassLine(spans, after, plan.bass[part === 'B' ? 'B' : 'A']),
    ...cafePiano(plan, bars, spans, voicings, part),
    ...cafeLead(plan, spans, part),
  ];
  return { notes: tidyTracks(notes), lastVoicing: voicings[voicings.length - 1] };
}

/** One café song (32 bars, AABA); see the file header for the rules. */
export function writeCafeSong(random: Random): Song {
  const plan = drawPlan(random);
  const a = writeSection(plan, 'A', plan.startVoicing);
  const b = writeSection(plan, 'B', a.lastVoicing);
  const ending = writeSection(plan, 'ending', plan.startVoicing).notes;
  const bLevel = pick(random, [-6, 6]);
  return assembleSong('cafe', {
    a: applyDynamics(a.notes, random, { offset: 0 }),
    b: applyDynamics(b.notes, random, { offset: bLevel }),
    ending: applyDynamics(ending, random, { offset: 2, swell: 6, swellSteps: 2 * ENDING_STEP }),
  });
}
