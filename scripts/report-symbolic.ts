/**
 * `node --import tsx scripts/report-symbolic.ts --model models/symbolic-songs [--songs 100] [--seed 7]`:
 * the quality report of a symbolic checkpoint, recomputed from fresh songs against the data it
 * was trained on (the built-in corpus its manifest names, or --data FILE), printed as a table.
 * It samples through the same Generator, sequencing and decoding the server uses.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkpointSongs, trainingCorpus } from './training/checkpoint-songs.js';
import { compareSongs, formatReportTable } from './training/metrics/quality-report.js';
import { readSongDataset } from './training/song-dataset.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/symbolic-songs' },
    data: { type: 'string' },
    songs: { type: 'string', default: '100' },
    seed: { type: 'string', default: '7' },
  },
});

function fail(message: string): never {
  console.error(`report-symbolic: ${message}`);
  process.exit(1);
}

const dir = path.resolve(values.model!);
const songsPerStyle = Number(values.songs);
const seed = Number(values.seed);
if (!Number.isInteger(songsPerStyle) || songsPerStyle < 1) fail(`--songs must be a positive whole number, got ${JSON.stringify(values.songs)}`);
if (!Number.isInteger(seed) || seed < 0) fail(`--seed must be a whole number ≥ 0, got ${JSON.stringify(values.seed)}`);
const { manifest, songs } = await checkpointSongs(dir, { songsPerStyle, seed }).catch((error: Error) => fail(error.message));
const data = values.data ? await readSongDataset(path.resolve(values.data)).catch((error: Error) => fail(error.message)) : trainingCorpus(manifest);
if (!data) fail(`${manifest.id} was trained on an imported dataset: name it with --data`);
const report = compareSongs(songs, data.filter((song) => manifest.styles.includes(song.style)), { seed });
console.log(`${manifest.id}: ${songs.length} fresh songs (seed ${seed}) against ${data.length} training songs`);
console.log(formatReportTable(report));
process.exitCode = report.passed ? 0 : 2;
