/**
 * The symbolic family: a MuseGAN-style GAN writes 4-bar piano-roll phrases (drums, bass,
 * chords), conditioned on a style; the notes are rendered with the channel's instruments at its
 * tempo. It runs on tfjs (a phrase costs milliseconds; rendering, not inference, is the cost).
 */
import type { Family } from '../family.js';
import type { ModelInfo, ModelManifest } from '../model.js';
import { PHRASE_VALUES } from './piano-roll.js';
import { symbolicGeneratorShapes } from './symbolic-architecture.js';
import { asSymbolicManifest, SYMBOLIC, symbolicDims, symbolicManifestSchema } from './symbolic-manifest.js';
import { symbolicSettings } from './symbolic-settings.js';
import { SymbolicVoice } from './symbolic-voice.js';

export const symbolicFamily: Family = {
  name: SYMBOLIC,
  manifestSchema: symbolicManifestSchema,
  weightShapes: (manifest) => symbolicGeneratorShapes(symbolicDims(asSymbolicManifest(manifest))),
  describeArchitecture(manifest) {
    const { latentDim, styles, layers } = asSymbolicManifest(manifest);
    const { phraseHidden, barLatent, barHidden, stepHidden } = layers;
    return `symbolic latentDim=${latentDim}, styles=${styles.length}, layers ${phraseHidden}/${barLatent}/${barHidden}/${stepHidden}`;
  },
  modelInfo(manifest: ModelManifest): ModelInfo {
    const { id, family, instrument, latentDim, trained, styles } = asSymbolicManifest(manifest);
    // The input is z followed by the style one-hot.
    return { id, family, instrument, latentDim, trained, inputSize: latentDim + styles.length, outputSize: PHRASE_VALUES, manifest };
  },
  async loadTfjsForward() {
    const [tf, { symbolicGenerator }] = await Promise.all([import('@tensorflow/tfjs'), import('./symbolic-model.js')]);
    return (weights, inputs, model) => {
      const [z, style] = tf.split(inputs, [model.latentDim, model.inputSize - model.latentDim], 1) as [typeof inputs, typeof inputs];
      return symbolicGenerator(weights, z, style);
    };
  },
  settings: symbolicSettings,
  createVoice: (model, options) => new SymbolicVoice(model, options),
};
