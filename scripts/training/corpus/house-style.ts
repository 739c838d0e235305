/**
 * House songs for the built-in corpus: 32 bars A A B A (`song-form.ts`), C major / A minor, one
 * chord per bar, a synth riff over a four-on-the-floor groove, and a breakdown for B.
 *
 * Fixed rules (every song):
 * - Harmony: a minor-flavoured four-chord loop played twice per A (vi–IV–I–V, I–V–vi–IV, ii–V–I–vi,
 *   vi–V–IV–V, I–vi–IV–V, vi–iii–IV–V); B its own loop starting on IV or vi, one chord per bar or
 *   one per two bars; the ending's last bars cadence V–I (IV–I after a V). Triads or add9 chords,
 *   close voicings voice-led in a two-octave window (`harmony.ts`).
 * - Drums (`house-drums.ts`): kick on every beat, clap on 2 and 4, hats on the off-beat 8ths, a
 *   crash on a section's first downbeat and a fill (snare, toms or a drop-out) in its last bar; the
 *   breakdown drops the kick and builds back with a snare roll; the song ends on one crash.
 * - Bass: one pattern per song on the chord root, its octave or fifth, notes of 2–10 steps: off-beat
 *   8ths, off-beat root–octave, pumping 8ths, a tresillo (3-3-2) or a held syncopated root line; in
 *   the breakdown held roots; the last bar a held tonic.
 * - Chords: stabs of 2–4 steps on one syncopated 8th pattern, or held pads; pads in the breakdown;
 *   a held tonic chord at the end. A tone the next chord shares is held through the change.
 * - Lead: a catchy riff of 2–4-step notes, one or two bars long, repeated every bar or two with its
 *   ending changed in bars 4 and 8 of a section; the breakdown's own motif in longer notes; the
 *   song ends on a held tonic.
 * - Dynamics: B starts softer and builds (+16 over the section); the ending is a little louder.
 *
 * Seeded variation (per song): both loops, chord kinds (add9 share), voicing register and the first
 * inversion, stab pattern and length or pads, bass pattern and register, the riff (rhythm, contour,
 * one or two bars, fixed pitches or following the chords, the changed ending), the home pitch of the
 * lead, the breakdown's harmony speed, motif and where its lead and bass enter, the drum choices.
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import { chordAt, chordSpans, loopBars, slowBars, spanTones, voiceSpans, type ChordSpan, type SectionBars } from './chord-plan.js';
import { accented, applyDynamics } from './dynamics.js';
import { allowsKind, closeVoicing, pitchAtOrAbove, romanProgression, type ChordKind, type Degree } from './harmony.js';
import { drawHouseDrums, houseDrums, type HouseDrumPlan, type HousePart } from './house-drums.js';
import { drawContour, drawMotif, writeLead, type Motif, type Rhythm, type Statement } from './lead-motif.js';
import { chordNotes, pitchedNote } from './note-builders.js';
import { tidyTracks } from './note-tidy.js';
import { chance, integerBetween, pick, pickOther, type Random } from './random-choice.js';
import { ENDING_STEP, SECTION_STEPS, assembleSong } from './song-form.js';

/** A-section loops, one chord per bar. */
export const HOUSE_LOOPS = ['vi–IV–I–V', 'I–V–vi–IV', 'ii–V–I–vi', 'vi–V–IV–V', 'I–vi–IV–V', 'vi–iii–IV–V'] as const;
/** B-section (breakdown) loops, starting on IV or vi. */
export const HOUSE_B_LOOPS = ['IV–V–iii–vi', 'IV–I–V–vi', 'vi–ii–IV–V', 'IV–V–vi–V', 'vi–IV–ii–V'] as const;

/** A bass note of a one-bar pattern: onset, length, and the tone above the root (0, 7 or 12). */
export interface BassHit {
  readonly offset: number;
  readonly steps: number;
  readonly tone: 0 | 7 | 12;
}

/** Bass patterns; a pitch struck again always leaves 2 steps of silence first. */
const HOUSE_BASS_PATTERNS: Readonly<Record<string, readonly BassHit[]>> = {
  'off-beat': [2, 6, 10, 14].map((offset) => ({ offset, steps: 2, tone: 0 })),
  'off-beat octaves': [
    { offset: 2, steps: 3, tone: 0 },
    { offset: 6, steps: 3, tone: 12 },
    { offset: 10, steps: 3, tone: 0 },
    { offset: 14, steps: 2, tone: 12 },
  ],
  'pumping 8ths': Array.from({ length: 8 }, (_, i) => ({ offset: i * 2, steps: 2, tone: i % 2 === 0 ? 0 : 12 })),
  tresillo: [
    { offset: 0, steps: 4, tone: 0 },
    { offset: 6, steps: 4, tone: 0 },
    { offset: 12, steps: 2, tone: 12 },
  ],
  'held root': [
    { offset: 0, steps: 6, tone: 0 },
    { offset: 10, steps: 4, tone: 12 },
  ],
  'syncopated push': [
    { offset: 2, steps: 4, tone: 0 },
    { offset: 8, steps: 2, tone: 12 },
    { offset: 11, steps: 3, tone: 7 },
  ],
};

/** Stab onsets within a bar, all on 8th positions, most off the beat. */
const STAB_PATTERNS: readonly (readonly number[])[] = [
  [2, 6, 10, 14],
  [2, 8, 14],
  [6, 14],
  [2, 10],
  [0, 6, 12],
  [2, 6, 12],
];

interface HousePlan {
  readonly bars: Readonly<Record<HousePart, SectionBars>>;
  readonly kindOf: (degree: Degree) => ChordKind;
  readonly chordLow: number;
  readonly chordHigh: number;
  readonly startVoicing: readonly number[];
  /** Stab onsets, or null for held pads. */
  readonly stabs: readonly number[] | null;
  readonly stabSteps: number;
  readonly bStabsReturn: boolean;
  readonly bass: readonly BassHit[];
  readonly bassLow: number;
  readonly bBassEntry: number;
  readonly riff: Motif;
  readonly riffPlacement: 'fixed' | 'home';
  readonly riffEndShift: number;
  readonly leadHome: number;
  readonly bMotif: Motif;
  readonly bLeadEntry: number;
  readonly drums: HouseDrumPlan;
}

/** A one-bar riff rhythm: 3–5 notes, onsets at least an 8th apart, each 2–4 steps. */
function drawRiffRhythm(random: Random): Rhythm {
  const onsets = [pick(random, [0, 0, 2])];
  const count = integerBetween(random, 3, 5);
  while (onsets.length < count) {
    const next = onsets[onsets.length - 1] + pick(random, [2, 2, 3, 4, 4, 6]);
    if (next > 14) break;
    onsets.push(next);
  }
  return onsets.map((offset, i) => ({ offset, steps: Math.min((onsets[i + 1] ?? 16) - offset, pick(random, [2, 3, 4])) }));
}

/** The riff: one bar, or two whose second answers the first with its last two notes moved. */
function drawRiff(random: Random): Motif {
  const rhythm = drawRiffRhythm(random);
  if (chance(random, 0.5)) return drawMotif(random, rhythm, STEPS_PER_BAR);
  const contour = drawContour(random, rhythm.length);
  const answer = pick(random, [-2, -1, 1, 2]);
  const notes = [
    ...rhythm.map((note, i) => ({ ...note, contour: contour[i] })),
    ...rhythm.map((note, i) => ({ offset: note.offset + STEPS_PER_BAR, steps: note.steps, contour: contour[i] + (i >= rhythm.length - 2 ? answer : 0) })),
  ];
  return { span: 2 * STEPS_PER_BAR, notes };
}

/** The breakdown's melody: two bars of quarter, half and longer notes. */
function drawBreakdownMotif(random: Random): Motif {
  const rhythm = pick(random, [
    [{ offset: 0, steps: 6 }, { offset: 8, steps: 6 }, { offset: 16, steps: 12 }],
    [{ offset: 0, steps: 4 }, { offset: 4, steps: 4 }, { offset: 8, steps: 8 }, { offset: 16, steps: 8 }, { offset: 24, steps: 6 }],
    [{ offset: 2, steps: 6 }, { offset: 8, steps: 8 }, { offset: 16, steps: 14 }],
    [{ offset: 0, steps: 12 }, { offset: 12, steps: 4 }, { offset: 16, steps: 10 }],
  ]);
  return drawMotif(random, rhythm, 2 * STEPS_PER_BAR);
}

/** The ending's bars: A's, with the last two a cadence home (V–I, or IV–I after a V). */
function cadenceBars(a: SectionBars): Degree[][] {
  const beforeCadence = a[5][a[5].length - 1];
  return [...a.slice(0, 6).map((bar) => [...bar]), [beforeCadence === 4 ? 3 : 4], [0]];
}

function drawPlan(random: Random): HousePlan {
  const aLoop = romanProgression(pick(random, HOUSE_LOOPS));
  const bLoop = romanProgression(pick(random, HOUSE_B_LOOPS));
  const a = loopBars(aLoop, 8);
  const b = chance(random, 0.5) ? loopBars(bLoop, 8) : slowBars(bLoop, 2, 8);
  const add9Share = pick(random, [0, 0.3, 0.6]);
  const kinds = new Map<Degree, ChordKind>();
  for (const degree of [0, 1, 2, 3, 4, 5, 6] as Degree[]) kinds.set(degree, allowsKind(degree, 'add9') && chance(random, add9Share) ? 'add9' : 'triad');
  const chordLow = pick(random, [50, 52, 55, 57]);
  const firstTones = spanTones({ degree: aLoop[0], kind: kinds.get(aLoop[0])!, step: 0, steps: 16 });
  const startVoicing = closeVoicing(firstTones, integerBetween(random, 0, firstTones.length - 1), chordLow + integerBetween(random, 0, 7));
  const bassName = pick(random, Object.keys(HOUSE_BASS_PATTERNS));
  return {
    bars: { A: a, B: b, ending: cadenceBars(a) },
    kindOf: (degree) => kinds.get(degree)!,
    chordLow,
    chordHigh: chordLow + 22,
    startVoicing,
    stabs: chance(random, 0.75) ? pick(random, STAB_PATTERNS) : null,
    stabSteps: integerBetween(random, 2, 4),
    bStabsReturn: chance(random, 0.5),
    bass: HOUSE_BASS_PATTERNS[bassName],
    bassLow: pick(random, [36, 36, 38, 40]),
    bBassEntry: pick(random, [0, 4 * STEPS_PER_BAR]),
    riff: drawRiff(random),
    riffPlacement: chance(random, 0.5) ? 'fixed' : 'home',
    riffEndShift: pick(random, [-2, -1, 1, 2]),
    leadHome: pick(random, [67, 69, 71, 72, 74, 76]),
    bMotif: drawBreakdownMotif(random),
    bLeadEntry: pick(random, [0, 0, 4 * STEPS_PER_BAR]),
    drums: drawHouseDrums(random),
  };
}

/** The bass-track pitch of `pitchClass` in the song's bass register, and its octave within the track. */
function bassPitch(plan: HousePlan, pitchClass: number, tone: 0 | 7 | 12): number {
  const root = pitchAtOrAbove(pitchClass, plan.bassLow);
  if (tone === 0) return root;
  if (tone === 7) return root + 7 <= 59 ? root + 7 : root - 5;
  return root + 12 <= 59 ? root + 12 : root - 12;
}

function houseBass(plan: HousePlan, spans: readonly ChordSpan[], part: HousePart): Note[] {
  const notes: Note[] = [];
  for (let bar = 0; bar < 8; bar++) {
    const start = bar * STEPS_PER_BAR;
    const root = spanTones(chordAt(spans, start))[0];
    if ((part === 'ending' && bar === 7) || (part === 'B' && start >= plan.bBassEntry && bar < 6)) {
      notes.push(pitchedNote('bass', bassPitch(plan, root, 0), start, part === 'ending' ? 16 : 14, accented(84, start)));
    } else if (part !== 'B' || bar >= 6) {
      for (const hit of plan.bass) {
        const step = start + hit.offset;
        const pitchClass = spanTones(chordAt(spans, step))[0];
        notes.push(pitchedNote('bass', bassPitch(plan, pitchClass, hit.tone), step, hit.steps, accented(90, step)));
      }
    }
  }
  return notes;
}

function houseChords(plan: HousePlan, spans: readonly ChordSpan[], voicings: readonly number[][], part: HousePart): Note[] {
  const notes: Note[] = [];
  const voicingAt = (step: number) => voicings[spans.indexOf(chordAt(spans, step))];
  for (let bar = 0; bar < 8; bar++) {
    const start = bar * STEPS_PER_BAR;
    const stabs = part === 'B' ? (plan.bStabsReturn && bar >= 4 ? plan.stabs : null) : plan.stabs;
    if ((part === 'ending' && bar === 7) || !stabs) {
      const span = chordAt(spans, start);
      // a pad is struck where its chord starts and held to the chord's end (or the song's)
      if (span.step === start) notes.push(...chordNotes(voicingAt(start), start, Math.max(16, span.step + span.steps - start), accented(part === 'B' ? 58 : 64, start, 0.5)));
      continue;
    }
    stabs.forEach((offset, i) => {
      const next = stabs[i + 1] ?? stabs[0] + STEPS_PER_BAR;
      const step = start + offset;
      // a stab ends by the bar line (the next bar may bring another chord) and 2 steps before the next stab
      const steps = Math.min(plan.stabSteps, next - offset - 2, STEPS_PER_BAR - offset);
      notes.push(...chordNotes(voicingAt(step), step, steps, accented(76, step)));
    });
  }
  return notes;
}

function houseLead(plan: HousePlan, spans: readonly ChordSpan[], part: HousePart): Note[] {
  const voice = { home: plan.leadHome, low: 60, high: 83, velocity: part === 'B' ? 78 : 88 };
  const statements: Statement[] = [];
  const motif = part === 'B' ? plan.bMotif : plan.riff;
  const first = part === 'B' ? plan.bLeadEntry : 0;
  const count = (SECTION_STEPS - first) / motif.span;
  for (let i = 0; i < count; i++) {
    const start = first + i * motif.span;
    const last = i === count - 1;
    const placement = part === 'B' ? (i % 2 === 0 ? 'home' : 'previous') : plan.riffPlacement;
    // the riff's ending changes halfway through the section and at its end
    const halfway = start + motif.span === ENDING_STEP;
    if (last && part === 'ending') statements.push({ start, motif, placement, homeAt: SECTION_STEPS - STEPS_PER_BAR, holdUntil: SECTION_STEPS });
    else if (last) statements.push({ start, motif, placement, endShift: -plan.riffEndShift, holdUntil: SECTION_STEPS - 2 });
    else statements.push({ start, motif, placement, endShift: halfway ? plan.riffEndShift : 0 });
  }
  return writeLead(statements, spans, voice);
}

function writeSection(plan: HousePlan, part: HousePart, startVoicing: readonly number[]): { notes: Note[]; lastVoicing: number[] } {
  const spans = chordSpans(plan.bars[part], plan.kindOf);
  const voicings = voiceSpans(spans, startVoicing, plan.chordLow, plan.chordHigh);
  const notes = [
    ...houseDrums(plan.drums, part),
    ...houseBass(plan, spans, part),
    ...houseChords(plan, spans, voicings, part),
    ...houseLead(plan, spans, part),
  ];
  return { notes: tidyTracks(notes), lastVoicing: voicings[voicings.length - 1] };
}

/** One house song (32 bars, AABA); see the file header for the rules. */
export function writeHouseSong(random: Random): Song {
  const plan = drawPlan(random);
  const a = writeSection(plan, 'A', plan.startVoicing);
  const b = writeSection(plan, 'B', a.lastVoicing);
  const ending = writeSection(plan, 'ending', plan.startVoicing).notes;
  return assembleSong('house', {
    a: applyDynamics(a.notes, random, { offset: 0 }),
    b: applyDynamics(b.notes, random, { offset: -10, ramp: 16 }),
    ending: applyDynamics(ending, random, { offset: 4 }),
  });
}
