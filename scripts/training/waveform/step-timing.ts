/**
 * Measures WaveGAN training speed on this machine: milliseconds per critic update and per
 * generator update for each width, batch and clip length asked, on the best tfjs backend (or
 * --backend). Prints a markdown table. Synthetic clips; one critic update per step here (the
 * table adds up a real step, 5 critic updates + 1 generator update); the first step is a warm-up.
 *
 *   node --import tsx scripts/training/waveform/step-timing.ts --d 8,16,32 --batch 16,32,64 --clip 4096,16384 --steps 2
 */
import { parseArgs } from 'node:util';
import { selectTfjsBackend, type TfjsBackendName } from '../../../server/inference/tfjs-backend.js';
import { syntheticClips } from './synthetic-clips.js';
import { WaveformGan } from './waveform-gan.js';

const { values } = parseArgs({
  options: {
    d: { type: 'string', default: '8,16,32' },
    batch: { type: 'string', default: '16,32,64' },
    clip: { type: 'string', default: '4096,16384' },
    steps: { type: 'string', default: '2' },
    backend: { type: 'string' },
    'max-seconds': { type: 'string', default: '60' },
  },
});
const list = (text: string) => text.split(',').map(Number);
const backend = await selectTfjsBackend(values.backend as TfjsBackendName | undefined);
const steps = Number(values.steps);
console.log(`backend ${backend}; ms per update (mean of up to ${steps} steps after 1 warm-up)\n`);
console.log('| clip | d | batch | critic ms | generator ms | s per step (5 critic + 1 gen) |');
console.log('|---|---|---|---|---|---|');
for (const clipSamples of list(values.clip!)) {
  for (const d of list(values.d!)) {
    for (const batch of list(values.batch!)) {
      const gan = new WaveformGan({ clips: syntheticClips({ count: 64, clipSamples, sampleRate: 16000, seed: 1 }), clipSamples, d, batch, seed: 1, criticSteps: 1 });
      const started = performance.now();
      gan.trainStep();
      let critic = 0;
      let generator = 0;
      let done = 0;
      // A slow configuration is measured on fewer steps rather than holding the table up.
      while (done < steps && (done === 0 || performance.now() - started < Number(values['max-seconds']) * 1000)) {
        gan.trainStep();
        critic += gan.lastTiming.criticMs;
        generator += gan.lastTiming.generatorMs;
        done++;
      }
      gan.dispose();
      const [c, g] = [critic / done, generator / done];
      console.log(`| ${clipSamples} | ${d} | ${batch} | ${c.toFixed(0)} | ${g.toFixed(0)} | ${((5 * c + g) / 1000).toFixed(2)} |`);
    }
  }
}
