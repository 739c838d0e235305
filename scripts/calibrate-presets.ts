/**
 * `node --import tsx scripts/calibrate-presets.ts`: how loud each instrument preset plays the
 * committed model (its own style, 3 phrases, seeded) with its trim at 0, and the trim that brings
 * it to −16 LUFS. The trims in server/families/symbolic/sound/instrument-presets.ts come from a run
 * of this; re-run it after changing a preset's programs or levels. The channel's loudness control
 * does the rest live: the trims only keep a preset switch from moving the level before it settles.
 */
import { measureLoudness } from '../server/dsp/loudness-meter.js';
import { INSTRUMENT_PRESET_NAMES, INSTRUMENT_PRESETS } from '../server/families/symbolic/sound/instrument-presets.js';
import { audition, modelPhrases, PRESET_STYLE } from './preset-audition.js';

const TARGET = -16;
const BPM = { cafe: 88, house: 122, ambient: 68 } as const;

console.log('preset             style    integrated (trim 0)  true peak   trim now   trim for −16 LUFS');
for (const name of INSTRUMENT_PRESET_NAMES) {
  const style = PRESET_STYLE[name];
  const phrases = await modelPhrases(style, 3, 7);
  const { pcm } = await audition(name, phrases, BPM[style]);
  const { integrated, truePeak } = measureLoudness(pcm, 44100, 2);
  // audition() applies the current trim: take it off to report the raw level.
  const now = INSTRUMENT_PRESETS[name].trim;
  const raw = integrated - now;
  console.log(
    `${name.padEnd(18)} ${style.padEnd(8)} ${raw.toFixed(1).padStart(8)} LUFS     ${(truePeak - now).toFixed(1).padStart(6)} dBTP  ${now.toFixed(1).padStart(6)} dB   ${(TARGET - raw).toFixed(1).padStart(6)} dB`,
  );
}
process.exit(0);
