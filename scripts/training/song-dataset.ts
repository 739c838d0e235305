/**
 * The song dataset file the symbolic trainer reads: styled pieces as notes, one song a line so a
 * diff shows which changed. A note is `[track, pitch, step, steps, velocity]`, steps from the song
 * start on the 16th grid, in C major / A minor:
 *
 *     { "format": "wavecast-songs", "version": 2,
 *       "songs": [{ "style": "cafe", "name": "bossa/one.mid", "bars": 48, "notes": [["bass", 45, 0, 8, 96], …] }, …] }
 *
 * File I/O lives here; scripts/import-midi.ts makes the songs. A bad file is a WAVECAST_ERR_CONFIG
 * (the dataset is operator-supplied input, like the config) whose message names the file and the
 * field, e.g. `data/x.json: field "songs[3].style": Invalid option: expected one of "house"|"cafe"|"ambient"`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatFieldPath } from '../../server/core/field-path.js';
import { WavecastError } from '../../server/core/errors.js';
import type { Song } from '../../server/families/symbolic/note-sequence.js';
import { STYLES, TRACK_NAMES } from '../../server/families/symbolic/piano-roll.js';

export const SONG_DATASET_FORMAT = 'wavecast-songs';
export const SONG_DATASET_VERSION = 2;

/** A song of the dataset: a Song and where it came from. */
export interface NamedSong extends Song {
  readonly name: string;
}

const whole = z.number().int();
const songDatasetSchema = z.object({
  format: z.literal(SONG_DATASET_FORMAT),
  version: z.literal(SONG_DATASET_VERSION),
  songs: z.array(
    z.object({
      style: z.enum(STYLES),
      name: z.string(),
      bars: whole.min(1),
      notes: z.array(z.tuple([z.enum(TRACK_NAMES), whole.min(0).max(127), whole.min(0), whole.min(1), whole.min(1).max(127)])),
    }),
  ),
});

/** Writes songs to `file` atomically (a temporary file beside it, renamed into place), creating the folder. */
export async function writeSongDataset(file: string, songs: readonly NamedSong[]): Promise<void> {
  const lines = songs.map(({ style, name, bars, notes }) =>
    JSON.stringify({ style, name, bars, notes: notes.map((n) => [n.track, n.pitch, n.step, n.steps, Math.round(n.velocity)]) }),
  );
  const head = { format: SONG_DATASET_FORMAT, version: SONG_DATASET_VERSION };
  const text = `${JSON.stringify(head).slice(0, -1)},\n"songs": [${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads and validates a song dataset. Throws WAVECAST_ERR_CONFIG naming the file and field. */
export async function readSongDataset(file: string): Promise<NamedSong[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: ${reason === 'ENOENT' ? 'missing' : `cannot read (${reason})`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = songDatasetSchema.safeParse(json, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path.length ? `field "${formatFieldPath(issue.path)}"` : 'the file';
      return issue.input === undefined && issue.path.length ? `${field} is missing` : `${field}: ${issue.message}`;
    });
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
  }
  return result.data.songs.map(({ style, name, bars, notes }) => ({
    style,
    name,
    bars,
    notes: notes.map(([track, pitch, step, steps, velocity]) => ({ track, pitch, step, steps, velocity })),
  }));
}
