/**
 * `node --import tsx scripts/generate-midi.ts --model ID --bars N --out FILE.mid`: new music from a
 * symbolic model, written as a standard MIDI file for a DAW (tempo before the notes, drums on
 * channel 10). It plays the song form as a channel does (section-plan.ts): the same roles,
 * replayed sections, ties, decoding and key changes.
 *
 *   --model ID        checkpoint id under models/ (or a folder path), e.g. symbolic-songs
 *   --bars N          bars to write, 1–1024 (default 32: one song)
 *   --out FILE        the .mid file to write
 *   --style S         a style the model was trained on (default: its first)
 *   --tempo BPM       tempo written into the file, 40–200 (default: the style's, e.g. 90 for café)
 *   --variation V     how far consecutive phrases move in latent space, 0–1 (default 0.25)
 *   --seed N          seed of the latent walk (default: a new one each run)
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { asSymbolicManifest, SYMBOLIC, symbolicDecoding, symbolicLayout } from '../server/families/symbolic/symbolic-manifest.js';
import { inspectCheckpoint } from '../server/inference/checkpoint.js';
import { createGenerator } from '../server/inference/create-generator.js';
import { LatentWalk } from '../server/stream/latent-walk.js';
import { notesToMidi } from '../server/families/symbolic/midi-file.js';
import { joinPhrases } from '../server/families/symbolic/note-sequence.js';
import { decodeFollowing, type DecodedPhrase } from '../server/families/symbolic/phrase-decoder.js';
import { BARS_PER_PHRASE, STEPS_PER_BAR, type Style } from '../server/families/symbolic/piano-roll.js';
import { transposeBy, type Note } from '../server/families/symbolic/roll-notes.js';
import { SongSequencer } from '../server/families/symbolic/song-sequencer.js';
import { STYLE_TEMPOS } from '../server/families/symbolic/symbolic-settings.js';
import { renderShift } from '../server/families/symbolic/symbolic-voice.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    bars: { type: 'string', default: '32' },
    out: { type: 'string' },
    style: { type: 'string' },
    tempo: { type: 'string' },
    variation: { type: 'string', default: '0.25' },
    seed: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`generate-midi: ${message}`);
  process.exit(1);
}

function numberIn(name: 'bars' | 'tempo' | 'variation' | 'seed', min: number, max: number, integer: boolean): number {
  const raw = values[name]!;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    fail(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

if (!values.model) fail('--model is required (a checkpoint id under models/, e.g. symbolic-songs)');
if (!values.out) fail('--out is required (the .mid file to write)');
const bars = numberIn('bars', 1, 1024, true);
const variation = numberIn('variation', 0, 1, false);
const seed = values.seed === undefined ? undefined : numberIn('seed', 0, 2 ** 32 - 1, true);
const dir = existsSync(values.model) ? path.resolve(values.model) : path.join(PROJECT_ROOT, 'models', values.model);

const { manifest: found } = await inspectCheckpoint(dir).catch((error: Error) => fail(error.message));
if (found.family !== SYMBOLIC) fail(`${found.id} is a ${found.family} model: only symbolic models write notes`);
const manifest = asSymbolicManifest(found);
const style = (values.style ?? manifest.styles[0]) as Style;
if (!manifest.styles.includes(style)) fail(`--style must be one of ${manifest.styles.join(', ')} (what ${manifest.id} was trained on), got ${JSON.stringify(values.style)}`);

const tempo = values.tempo === undefined ? STYLE_TEMPOS[style].typical : numberIn('tempo', 40, 200, true);

const generator = createGenerator({ dir, engine: 'tfjs' });
await generator.initialize();
const walk = new LatentWalk({ dim: manifest.latentDim, variation, seed });
const sequencer = new SongSequencer(symbolicLayout(manifest), style);
const phrases: Note[][] = [];
let previous: DecodedPhrase | undefined;
// One phrase at a time: each is conditioned on the one before.
for (let i = 0; i < Math.ceil(bars / BARS_PER_PHRASE); i++) {
  const [output] = await generator.generate([sequencer.input(walk.next())]);
  const { plan, phrase } = sequencer.accept(output);
  previous = decodeFollowing(phrase, plan.key, previous, symbolicDecoding(manifest));
  phrases.push(transposeBy(previous.notes, renderShift(plan.key)));
}
await generator.dispose();

const notes = joinPhrases(phrases).filter((note) => note.step < bars * STEPS_PER_BAR);
await writeFile(values.out, notesToMidi(notes, { tempo, name: `${manifest.id} (${style})` }));
console.log(`wrote ${values.out}: ${bars} bars of ${style} from ${manifest.id}, ${notes.length} notes at ${tempo} bpm`);
