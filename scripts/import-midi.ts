/**
 * Imports a folder of MIDI files (searched recursively for .mid / .midi) as training songs for the
 * symbolic model: each file is quantised to the 16th grid, its tracks sorted into drums, bass,
 * chords and lead, moved to C major / A minor, and written, tagged with one style, to a song
 * dataset file (the trainer cuts songs into phrases, ties and all).
 *
 *   node --import tsx scripts/import-midi.ts ~/midi/bossa --style cafe --out data/bossa-songs.json
 *   npm run train:symbolic -- --data data/bossa-songs.json
 *
 * Options: --style house|cafe|ambient (default cafe), --out (default data/my-songs.json in the
 * repository; replaced if it exists). Per-file warnings and the progress bar go to stderr, the
 * summary to stdout. Exit codes: 0 done, 1 nothing imported (bad folder, no MIDI files, no
 * phrases), 2 bad arguments.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { estimateKeyShift, transposeNotes } from '../server/families/symbolic/key-transpose.js';
import { midiToNotes } from '../server/families/symbolic/midi-file.js';
import { writeSongDataset, type NamedSong } from './training/song-dataset.js';
import { STYLES, type Style } from '../server/families/symbolic/piano-roll.js';
import { ProgressBar } from './progress-bar.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: import-midi.ts <folder> [--style ${STYLES.join('|')}] [--out data/my-songs.json]`;

function fail(message: string, code: number): never {
  console.error(`import-midi: ${message}`);
  process.exit(code);
}

let args: ReturnType<typeof parseOptions>;
function parseOptions() {
  return parseArgs({
    allowPositionals: true,
    options: {
      style: { type: 'string', default: 'cafe' },
      out: { type: 'string', default: path.join(repoRoot, 'data/my-songs.json') },
    },
  });
}
try {
  args = parseOptions();
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
if (args.positionals.length !== 1) fail(USAGE, 2);
const folder = path.resolve(args.positionals[0]);
const style = args.values.style as Style;
if (!STYLES.includes(style)) fail(`--style must be one of ${STYLES.join(', ')}, got ${JSON.stringify(args.values.style)}`, 2);
const out = path.resolve(args.values.out);

const folderInfo = await stat(folder).catch((error: NodeJS.ErrnoException) => {
  fail(`cannot read folder ${folder} (${error.code === 'ENOENT' ? 'no such folder' : (error.code ?? error.message)})`, 1);
});
if (!folderInfo.isDirectory()) fail(`${folder} is not a folder`, 1);

/** .mid and .midi files under `dir`, sorted so runs are repeatable. Symbolic links are not followed. */
async function findMidiFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await findMidiFiles(full)));
    else if (entry.isFile() && /\.midi?$/i.test(entry.name)) found.push(full);
  }
  return found.sort();
}

const files = await findMidiFiles(folder);
if (files.length === 0) fail(`no .mid or .midi files under ${folder}`, 1);

const songs: NamedSong[] = [];
let skippedFiles = 0;
let empty = 0;
const bar = new ProgressBar({ total: files.length, label: 'import' });
for (const [index, file] of files.entries()) {
  const name = path.relative(folder, file);
  try {
    const imported = midiToNotes(new Uint8Array(await readFile(file)));
    for (const warning of imported.warnings) bar.log(`${name}: ${warning}`);
    if (!imported.notes.some((n) => n.track !== 'drums')) empty++;
    else songs.push({ style, name, bars: imported.bars, notes: transposeNotes(imported.notes, estimateKeyShift(imported.notes)) });
  } catch (error) {
    // One unreadable file should not end an import of thousands: it is reported and counted.
    skippedFiles++;
    bar.log(`${name}: skipped (${(error as Error).message})`);
  }
  bar.update(index + 1, `${songs.length} songs`);
}
bar.finish(`${songs.length} songs`);

const bars = songs.reduce((sum, song) => sum + song.bars, 0);
const summary =
  `files: ${files.length - skippedFiles} read, ${skippedFiles} skipped, ${empty} without pitched notes · ` +
  `songs: ${songs.length} (${bars} bars)`;
if (songs.length === 0) fail(`${summary}\nno songs to write; ${out} left as it was`, 1);
await writeSongDataset(out, songs);
const shown = path.relative(process.cwd(), out);
console.log(`${summary} · wrote ${shown.startsWith('..') ? out : shown} (style ${style})`);
