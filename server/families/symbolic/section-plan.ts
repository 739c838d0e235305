/**
 * The form a symbolic channel plays over minutes: songs of four 8-bar sections, A A B A (32 bars,
 * 8 phrases), like a jazz standard or a pop song. Each phrase of a song has a role, 0–7, that the
 * model is conditioned on; the second A replays the first (as musicians repeat a section), the last
 * A replays its first phrase and writes a new ending, so a motif comes back after the B section.
 *
 *     role      0   1 │ 2   3 │ 4   5 │ 6   7
 *     section   A     │ A     │ B     │ A
 *     phrase    new new │ =0  =1 │ new new │ =0  new (the ending)
 *     key       home    │ home   │ home+5  │ home
 *
 * The model writes in C major / A minor; keys are where the renderer transposes a section to: the B
 * section moves to the subdominant (up a fourth), and each song starts a step around a short cycle
 * of home keys, so the stream never sits in one key for long and always comes back.
 */

export const SECTION_BARS = 8;
export const SONG_FORM = ['A', 'A', 'B', 'A'] as const;
export type SectionName = (typeof SONG_FORM)[number];
export const PHRASES_PER_SONG = 8;
export const BARS_PER_SONG = 32;
/** The model's role input is a one-hot of this many. */
export const ROLES = PHRASES_PER_SONG;

/** Phrases a role replays instead of writing anew (role → the role it repeats). */
const REPLAYS: Readonly<Record<number, number>> = { 2: 0, 3: 1, 6: 0 };

/** Semitones the B section moves by (the subdominant, up a fourth). */
export const B_SECTION_SHIFT = 5;
/** Home keys of successive songs, in semitones from C: C, F, D, G, then around again. */
export const HOME_KEYS = [0, 5, 2, -5] as const;

const NOTE_NAMES = ['C', 'D♭', 'D', 'E♭', 'E', 'F', 'G♭', 'G', 'A♭', 'A', 'B♭', 'B'];

export interface PhrasePlan {
  /** Phrases since the channel started. */
  readonly index: number;
  /** Songs since the channel started. */
  readonly song: number;
  /** 0–7: the phrase's place in its song (the model's role input). */
  readonly role: number;
  readonly section: SectionName;
  /** The role whose phrase this one replays; undefined when the model writes it. */
  readonly replays?: number;
  /** Semitones from C major the phrase is played in. */
  readonly key: number;
}

/** The plan of phrase `index` (0 = the channel's first). */
export function planPhrase(index: number): PhrasePlan {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`phrase index must be a whole number ≥ 0, got ${index}`);
  const song = Math.floor(index / PHRASES_PER_SONG);
  const role = index % PHRASES_PER_SONG;
  const section = SONG_FORM[Math.floor(role / 2)];
  const home = HOME_KEYS[song % HOME_KEYS.length];
  const key = section === 'B' ? home + B_SECTION_SHIFT : home;
  return { index, song, role, section, key, ...(REPLAYS[role] === undefined ? {} : { replays: REPLAYS[role] }) };
}

/** The role's one-hot. */
export function roleVector(role: number): Float32Array {
  if (!Number.isInteger(role) || role < 0 || role >= ROLES) throw new RangeError(`role must be 0–${ROLES - 1}, got ${role}`);
  const v = new Float32Array(ROLES);
  v[role] = 1;
  return v;
}

/** A key as a reader says it: "F major" for 5. */
export function keyName(semitones: number): string {
  return `${NOTE_NAMES[((semitones % 12) + 12) % 12]} major`;
}
