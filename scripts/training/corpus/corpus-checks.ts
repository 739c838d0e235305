/**
 * Figures over corpus songs that the tests (and a reader comparing corpus with model) check the
 * musical rules against: how short, re-struck, held-over, dense and in-key each track's notes are,
 * how the drums sit on the grid, and which notes each phrase holds. Test support only; the corpus
 * writers do not import this file.
 */
import { STEPS_PER_BAR, type PitchedTrackName, type TrackName } from '../../../server/families/symbolic/piano-roll.js';
import type { Note } from '../../../server/families/symbolic/roll-notes.js';
import { cutPhrases, type Song } from '../../../server/families/symbolic/note-sequence.js';
import { inCMajor } from './harmony.js';

/** The notes of one track of a song, by onset. */
export function trackNotes(song: Song, trackName: TrackName): Note[] {
  return song.notes.filter((note) => note.track === trackName).sort((a, b) => a.step - b.step || a.pitch - b.pitch);
}

/** The per-track numbers a listener hears (shares are 0–1, over all notes of all songs given). */
export interface TrackFigures {
  readonly notes: number;
  /** Notes exactly one 16th long. */
  readonly oneSixteenthShare: number;
  /** Notes struck at most one step after the same pitch on the track stopped (a stutter). */
  readonly restrikeShare: number;
  /** Notes sounding over a bar line. */
  readonly heldAcrossShare: number;
  /** Distinct onset steps per bar in which the track sounds. */
  readonly onsetsPerBar: number;
  /** Mean notes sounding at once, over the steps where the track sounds. */
  readonly meanSounding: number;
  /** Notes whose pitch is in C major. */
  readonly inKeyShare: number;
}

/** Whether `note` sounds over a bar line (starts before one and ends after it). */
export function crossesBarLine(note: Note): boolean {
  const nextBar = (Math.floor(note.step / STEPS_PER_BAR) + 1) * STEPS_PER_BAR;
  return note.step + note.steps > nextBar;
}

/** Notes of `notes` (one track of one song) struck 0 or 1 steps after the same pitch ended. */
export function restrikes(notes: readonly Note[]): Note[] {
  const lastEnd = new Map<number, number>();
  const found: Note[] = [];
  for (const note of [...notes].sort((a, b) => a.step - b.step)) {
    const end = lastEnd.get(note.pitch);
    if (end !== undefined && note.step - end >= 0 && note.step - end <= 1) found.push(note);
    lastEnd.set(note.pitch, Math.max(end ?? -Infinity, note.step + note.steps));
  }
  return found;
}

/** How many notes sound at each step of the song (index = step). */
export function soundingCounts(notes: readonly Note[], songSteps: number): number[] {
  const counts = new Array<number>(songSteps).fill(0);
  for (const note of notes) for (let step = note.step; step < Math.min(songSteps, note.step + note.steps); step++) counts[step]++;
  return counts;
}

/** The figures of `trackName` over `songs`. */
export function trackFigures(songs: readonly Song[], trackName: PitchedTrackName): TrackFigures {
  let notes = 0;
  let oneSixteenth = 0;
  let restruck = 0;
  let heldAcross = 0;
  let inKey = 0;
  let onsets = 0;
  let soundingBars = 0;
  let soundingSteps = 0;
  let soundingSum = 0;
  for (const song of songs) {
    const own = trackNotes(song, trackName);
    notes += own.length;
    oneSixteenth += own.filter((note) => note.steps === 1).length;
    restruck += restrikes(own).length;
    heldAcross += own.filter(crossesBarLine).length;
    inKey += own.filter((note) => inCMajor(note.pitch)).length;
    onsets += new Set(own.map((note) => note.step)).size;
    const counts = soundingCounts(own, song.bars * STEPS_PER_BAR);
    for (let bar = 0; bar < song.bars; bar++) if (counts.slice(bar * STEPS_PER_BAR, (bar + 1) * STEPS_PER_BAR).some((c) => c > 0)) soundingBars++;
    for (const count of counts) {
      if (count === 0) continue;
      soundingSteps++;
      soundingSum += count;
    }
  }
  const share = (count: number) => (notes === 0 ? 0 : count / notes);
  return {
    notes,
    oneSixteenthShare: share(oneSixteenth),
    restrikeShare: share(restruck),
    heldAcrossShare: share(heldAcross),
    onsetsPerBar: soundingBars === 0 ? 0 : onsets / soundingBars,
    meanSounding: soundingSteps === 0 ? 0 : soundingSum / soundingSteps,
    inKeyShare: share(inKey),
  };
}

/** The drum numbers. */
export interface DrumFigures {
  /** Hits per bar, over the bars of songs that have drums. */
  readonly hitsPerBar: number;
  /** Hits on an even step (the 8th-note grid). */
  readonly eighthGridShare: number;
  readonly songsWithDrums: number;
}

export function drumFigures(songs: readonly Song[]): DrumFigures {
  let hits = 0;
  let even = 0;
  let bars = 0;
  let songsWithDrums = 0;
  for (const song of songs) {
    const drums = trackNotes(song, 'drums');
    if (drums.length === 0) continue;
    songsWithDrums++;
    bars += song.bars;
    hits += drums.length;
    even += drums.filter((note) => note.step % 2 === 0).length;
  }
  return { hitsPerBar: bars === 0 ? 0 : hits / bars, eighthGridShare: hits === 0 ? 0 : even / hits, songsWithDrums };
}

/** Notes of a one-voice track that start while another of its notes still sounds (should be none). */
export function overlappingNotes(song: Song, trackName: TrackName): Note[] {
  const own = trackNotes(song, trackName);
  return own.filter((note, i) => i > 0 && own.slice(0, i).some((before) => before.step + before.steps > note.step));
}

/** The longest run of chord notes sounding together a semitone apart each (C–D♭–D is 3). */
export function longestSemitoneRun(sounding: readonly number[]): number {
  const pitches = [...new Set(sounding)].sort((a, b) => a - b);
  let longest = pitches.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < pitches.length; i++) {
    run = pitches[i] - pitches[i - 1] === 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** The pitches of `trackName` sounding at `step`. */
export function soundingAt(song: Song, trackName: TrackName, step: number): number[] {
  return song.notes.filter((note) => note.track === trackName && note.step <= step && note.step + note.steps > step).map((note) => note.pitch);
}

/**
 * The notes phrase `phrase` (4 bars) of a song strikes, as the trainer cuts it (note-sequence.ts
 * cutPhrases): steps from the phrase start, notes ringing on past its end cut there, and the
 * tied-in continuations of notes from the phrase before left out.
 */
export function phraseAttacks(song: Song, phrase: number): Note[] {
  return cutPhrases(song.notes, song.bars)[phrase].filter((note) => !note.tiedIn);
}

/** The notes of a song starting in bars [from, to), steps from bar `from`'s start. */
export function barNotes(song: Song, from: number, to: number): Note[] {
  return song.notes
    .filter((note) => note.step >= from * STEPS_PER_BAR && note.step < to * STEPS_PER_BAR)
    .map((note) => ({ ...note, step: note.step - from * STEPS_PER_BAR }));
}
