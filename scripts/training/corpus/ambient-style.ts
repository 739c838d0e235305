/**
 * Ambient songs for the built-in corpus: 32 bars A A B A (`song-form.ts`), C major / A minor, slow
 * harmony in wide pads over held bass roots, a sparse lead, drums rarely and softly.
 *
 * Fixed rules (every song):
 * - Harmony: a chord every two bars, four chords per A (I–iii–vi–IV, I–V–vi–IV, vi–IV–I–V,
 *   I–IV–vi–V, IV–I–vi–V, I–vi–IV–ii, vi–iii–IV–V) or a two-chord loop twice (vi–IV, I–IV, IV–vi);
 *   B its own, starting on IV or vi; the ending lands on I for its last two bars. Chords are add9, sus2, triads or (on I, ii,
 *   IV, vi) sevenths, in spread voicings (root and fifth low, the rest an octave up) that drift by
 *   least motion (`harmony.ts` nearestSpreadVoicing).
 * - Pads (chords track): each chord struck once and held for its two bars, tones the next chord
 *   shares held on through it; in some songs the top tone of a four-tone chord blooms in a bar late.
 * - Bass: the root held under each chord (two bars), or a pedal on the root of each four-bar half
 *   (four bars), or the root breathing (held, released a beat before the next).
 * - Lead: sparse: a motif of 3–4 long notes (6–24 steps) over four bars that returns in the next
 *   four at the same pitches where the new chords have them (a tone of the chord otherwise), its
 *   last note changed and held; the song's last note a held tonic.
 * - Drums: none in most songs; in the others a soft ride or closed hat on the beats, in every
 *   section or only the B section, never in the last two bars.
 * - Dynamics: swells (the level rises and falls every four bars in A, over the whole B); the ending
 *   fades out.
 *
 * Seeded variation (per song): both progressions, chord kinds, pad register, bloom, bass mode and
 * register, the motifs (rhythm and contour), the lead's home pitch, its changed ending, whether the
 * lead rests in B's first half, the drums.
 */
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import type { Song } from '../../../server/families/symbolic/note-sequence.js';
import { STEPS_PER_BAR } from '../../../server/families/symbolic/piano-roll.js';
import { chordAt, chordSpans, slowBars, spanTones, voiceSpans, type ChordSpan, type SectionBars } from './chord-plan.js';
import { accented, applyDynamics } from './dynamics.js';
import { allowsKind, chordPitchClasses, pitchAtOrAbove, romanProgression, spreadVoicing, type ChordKind, type Degree } from './harmony.js';
import { drawMotif, writeLead, type Motif, type Rhythm, type Statement } from './lead-motif.js';
import { CLOSED_HAT, RIDE, chordNotes, drumHit, pitchedNote } from './note-builders.js';
import { tidyTracks } from './note-tidy.js';
import { chance, integerBetween, pick, pickOther, weightedPick, type Random } from './random-choice.js';
import { ENDING_STEP, SECTION_STEPS, assembleSong } from './song-form.js';

/** A-section progressions, one chord per two bars. */
export const AMBIENT_PROGRESSIONS = ['I–iii–vi–IV', 'I–V–vi–IV', 'vi–IV–I–V', 'I–IV–vi–V', 'IV–I–vi–V', 'I–vi–IV–ii', 'vi–iii–IV–V', 'vi–IV', 'I–IV', 'IV–vi'] as const;
/** B-section progressions, starting on IV or vi. */
export const AMBIENT_B_PROGRESSIONS = ['IV–V–vi–iii', 'vi–V–IV–V', 'IV–vi–ii–V', 'vi–ii–IV–V', 'IV–I–ii–V', 'vi–iii–IV–IV', 'IV–V', 'vi–V'] as const;

type Part = 'A' | 'B' | 'ending';

interface AmbientPlan {
  readonly bars: Readonly<Record<Part, SectionBars>>;
  readonly kindOf: (degree: Degree) => ChordKind;
  readonly padLow: number;
  /** The voicing the first chord is led from (sets the song's pad register). */
  readonly padStart: readonly number[];
  readonly bloom: boolean;
  readonly bass: 'held' | 'pedal' | 'breathing';
  readonly bassLow: number;
  readonly motifs: Readonly<Record<'A' | 'B', Motif>>;
  readonly leadHome: number;
  readonly endShift: number;
  readonly bLeadRests: boolean;
  readonly drums: 'none' | 'ride' | 'hats';
  readonly drumsOnlyInB: boolean;
}

/** A four-bar motif rhythm: 3–4 long notes on the beats, the last held, a rest before the next. */
function drawSparseRhythm(random: Random): Rhythm {
  const onsets = [pick(random, [0, 0, 4, 8])];
  const count = integerBetween(random, 3, 4);
  while (onsets.length < count) {
    const next = onsets[onsets.length - 1] + pick(random, [8, 12, 16]);
    if (next > 44) break;
    onsets.push(next);
  }
  return onsets.map((offset, i) => {
    const room = (onsets[i + 1] ?? 60) - offset;
    return { offset, steps: i === onsets.length - 1 ? Math.min(room, 24) : Math.max(6, Math.min(room, pick(random, [6, 8, 12, 16]))) };
  });
}

function drawKinds(random: Random): Map<Degree, ChordKind> {
  const kinds = new Map<Degree, ChordKind>();
  for (const degree of [0, 1, 2, 3, 4, 5, 6] as Degree[]) {
    const choices: [ChordKind, number][] = [['add9', 3], ['sus2', 2], ['triad', 1], ['seventh', degree === 4 ? 0 : 2]];
    kinds.set(degree, weightedPick(random, choices.filter(([kind]) => allowsKind(degree, kind))));
  }
  return kinds;
}

function drawPlan(random: Random): AmbientPlan {
  const aProgression = romanProgression(pick(random, AMBIENT_PROGRESSIONS));
  const a = slowBars(aProgression, 2, 8);
  const b = slowBars(romanProgression(pick(random, AMBIENT_B_PROGRESSIONS)), 2, 8);
  const kinds = drawKinds(random);
  const padLow = pick(random, [48, 50, 53, 55]);
  const rhythmA = drawSparseRhythm(random);
  const drums = weightedPick(random, [['none', 7], ['ride', 1.5], ['hats', 1.5]] as const);
  return {
    // the ending keeps A's third chord, then lands on I for the last two bars
    bars: { A: a, B: b, ending: [...a.slice(0, 6).map((bar) => [...bar]), [0], [0]] },
    kindOf: (degree) => kinds.get(degree)!,
    padLow,
    padStart: spreadVoicing(chordPitchClasses(a[0][0], kinds.get(a[0][0])!), padLow + integerBetween(random, 0, 9)),
    bloom: chance(random, 0.3),
    bass: pick(random, ['held', 'held', 'pedal', 'breathing'] as const),
    bassLow: pick(random, [36, 36, 40, 43]),
    motifs: { A: drawMotif(random, rhythmA, 4 * STEPS_PER_BAR), B: drawMotif(random, drawSparseRhythm(random), 4 * STEPS_PER_BAR) },
    leadHome: pick(random, [64, 67, 69, 71, 72, 74, 76]),
    endShift: pick(random, [-2, -1, 1, 2]),
    bLeadRests: chance(random, 0.3),
    drums,
    drumsOnlyInB: chance(random, 0.4),
  };
}

function pads(plan: AmbientPlan, spans: readonly ChordSpan[], voicings: readonly number[][], part: Part): Note[] {
  const notes: Note[] = [];
  spans.forEach((span, i) => {
    const voicing = voicings[i];
    const steps = part === 'ending' || span.step + span.steps < SECTION_STEPS ? span.steps : span.steps - 2;
    const velocity = accented(54, span.step, 0.3);
    // the bloom leaves at least three tones sounding from the start
    const late = plan.bloom && span.steps >= 2 * STEPS_PER_BAR && voicing.length >= 4 ? STEPS_PER_BAR : 0;
    notes.push(...chordNotes(voicing.slice(0, -1), span.step, steps, velocity));
    notes.push(pitchedNote('chords', voicing[voicing.length - 1], span.step + late, steps - late, velocity - (late ? 4 : 0)));
  });
  return notes;
}

function bass(plan: AmbientPlan, spans: readonly ChordSpan[], part: Part): Note[] {
  const notes: Note[] = [];
  const root = (span: ChordSpan) => pitchAtOrAbove(spanTones(span)[0], plan.bassLow);
  if (plan.bass === 'pedal' && part !== 'ending') {
    for (const start of [0, 4 * STEPS_PER_BAR]) notes.push(pitchedNote('bass', root(chordAt(spans, start)), start, 4 * STEPS_PER_BAR, accented(64, start)));
    return notes;
  }
  for (const span of spans) {
    const steps = plan.bass === 'breathing' && part !== 'ending' ? span.steps - 4 : span.steps;
    notes.push(pitchedNote('bass', root(span), span.step, steps, accented(62, span.step)));
  }
  return notes;
}

function lead(plan: AmbientPlan, spans: readonly ChordSpan[], part: Part): Note[] {
  const motif = plan.motifs[part === 'B' ? 'B' : 'A'];
  const voice = { home: plan.leadHome, low: 60, high: 83, velocity: 70 };
  const first: Statement = { start: 0, motif, placement: 'fixed' };
  const second: Statement =
    part === 'ending'
      ? { start: ENDING_STEP, motif, placement: 'fixed', homeAt: SECTION_STEPS - 2 * STEPS_PER_BAR, holdUntil: SECTION_STEPS }
      : { start: ENDING_STEP, motif, placement: 'fixed', endShift: plan.endShift, holdUntil: SECTION_STEPS - 4 };
  return writeLead(part === 'B' && plan.bLeadRests ? [second] : [first, second], spans, voice);
}

function drums(plan: AmbientPlan, part: Part): Note[] {
  if (plan.drums === 'none' || (plan.drumsOnlyInB && part !== 'B')) return [];
  const notes: Note[] = [];
  const lastBar = part === 'ending' ? 5 : 7;
  for (let bar = 0; bar <= lastBar; bar++) {
    const start = bar * STEPS_PER_BAR;
    const steps = plan.drums === 'ride' ? [0, 8] : [0, 4, 8, 12];
    for (const step of steps) notes.push(drumHit(plan.drums === 'ride' ? RIDE : CLOSED_HAT, start + step, accented(34, start + step, 0.5)));
  }
  return notes;
}

function writeSection(plan: AmbientPlan, part: Part, start: readonly number[]): { notes: Note[]; lastVoicing: number[] } {
  const spans = chordSpans(plan.bars[part], plan.kindOf);
  const voicings = voiceSpans(spans, start, plan.padLow, plan.padLow + 40, true);
  const notes = [...drums(plan, part), ...bass(plan, spans, part), ...pads(plan, spans, voicings, part), ...lead(plan, spans, part)];
  return { notes: tidyTracks(notes), lastVoicing: voicings[voicings.length - 1] };
}

/** One ambient song (32 bars, AABA); see the file header for the rules. */
export function writeAmbientSong(random: Random): Song {
  const plan = drawPlan(random);
  const a = writeSection(plan, 'A', plan.padStart);
  const b = writeSection(plan, 'B', a.lastVoicing);
  const ending = writeSection(plan, 'ending', plan.padStart).notes;
  return assembleSong('ambient', {
    a: applyDynamics(a.notes, random, { offset: 0, swell: 10, swellSteps: 4 * STEPS_PER_BAR }),
    b: applyDynamics(b.notes, random, { offset: pick(random, [-4, 6]), swell: 12 }),
    ending: applyDynamics(ending, random, { offset: 0, ramp: -16 }),
  });
}
