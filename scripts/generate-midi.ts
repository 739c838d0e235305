/**
 * `node --import tsx scripts/generate-midi.ts --model ID --bars N --out FILE.mid`: new phrases from
 * a symbolic model, written as a standard MIDI file for a DAW (tempo before the notes, drums on
 * channel 10).
 *
 *   --model ID        checkpoint id under models/ (or a folder path), e.g. symbolic-corpus
 *   --bars N          bars to write, 1–1024 (default 8)
 *   --out FILE        the .mid file to write
 *   --style S         a style the model was trained on (default: its first)
 *   --tempo BPM       tempo written into the file, 40–200 (default 96)
 *   --variation V     how far consecutive phrases move in latent space, 0–1 (default 0.25)
 *   --seed N          seed of the latent walk (default: a new one each run)
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import { asSymbolicManifest, SYMBOLIC } from '../server/families/symbolic/symbolic-manifest.js';
import { inspectCheckpoint } from '../server/inference/checkpoint.js';
import { createGenerator } from '../server/inference/create-generator.js';
import { LatentWalk } from '../server/stream/latent-walk.js';
import { notesToMidi } from '../server/families/symbolic/midi-file.js';
import { BARS_PER_PHRASE, binarizeRoll, conditionedInput, STEPS_PER_BAR, type Style } from '../server/families/symbolic/piano-roll.js';
import { rollToNotes, type Note } from '../server/families/symbolic/roll-notes.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    bars: { type: 'string', default: '8' },
    out: { type: 'string' },
    style: { type: 'string' },
    tempo: { type: 'string', default: '96' },
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

if (!values.model) fail('--model is required (a checkpoint id under models/, e.g. symbolic-corpus)');
if (!values.out) fail('--out is required (the .mid file to write)');
const bars = numberIn('bars', 1, 1024, true);
const tempo = numberIn('tempo', 40, 200, false);
const variation = numberIn('variation', 0, 1, false);
const seed = values.seed === undefined ? undefined : numberIn('seed', 0, 2 ** 32 - 1, true);
const dir = existsSync(values.model) ? path.resolve(values.model) : path.join(PROJECT_ROOT, 'models', values.model);

const { manifest: found } = await inspectCheckpoint(dir).catch((error: Error) => fail(error.message));
if (found.family !== SYMBOLIC) fail(`${found.id} is a ${found.family} model: only symbolic models write notes`);
const manifest = asSymbolicManifest(found);
const style = (values.style ?? manifest.styles[0]) as Style;
if (!manifest.styles.includes(style)) fail(`--style must be one of ${manifest.styles.join(', ')} (what ${manifest.id} was trained on), got ${JSON.stringify(values.style)}`);

const generator = createGenerator({ dir, engine: 'tfjs' });
await generator.initialize();
const walk = new LatentWalk({ dim: manifest.latentDim, variation, seed });
const inputs = Array.from({ length: Math.ceil(bars / BARS_PER_PHRASE) }, () => conditionedInput(walk.next(), style));
const phrases = await generator.generate(inputs);
await generator.dispose();

const phraseSteps = BARS_PER_PHRASE * STEPS_PER_BAR;
const notes: Note[] = phrases
  .flatMap((phrase, i) => rollToNotes(binarizeRoll(phrase)).map((note) => ({ ...note, step: note.step + i * phraseSteps })))
  .filter((note) => note.step < bars * STEPS_PER_BAR);
await writeFile(values.out, notesToMidi(notes, { bpm: tempo, name: `${manifest.id} (${style})` }));
console.log(`wrote ${values.out}: ${bars} bars of ${style} from ${manifest.id}, ${notes.length} notes at ${tempo} bpm`);
