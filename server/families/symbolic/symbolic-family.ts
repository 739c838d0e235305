/**
 * The symbolic family: a latent GAN over a MuseGAN-style phrase decoder writes 4-bar phrases
 * (drums, bass, chords, lead), each conditioned on its style, its role in the song form and the
 * phrase before; the notes are rendered with the channel's instruments at its tempo and key. It
 * runs on tfjs (a phrase costs milliseconds; rendering, not inference, is the cost).
 */
import type { Family } from '../family.js';
import type { ModelInfo, ModelManifest } from '../model.js';
import { conditionLength } from './model-input.js';
import { PHRASE_VALUES } from './piano-roll.js';
import { symbolicGeneratorShapes } from './symbolic-architecture.js';
import { asSymbolicManifest, SYMBOLIC, symbolicDims, symbolicLayout, symbolicManifestSchema } from './symbolic-manifest.js';
import { symbolicSettings } from './symbolic-settings.js';
import { SymbolicVoice } from './symbolic-voice.js';

export const symbolicFamily: Family = {
  name: SYMBOLIC,
  manifestSchema: symbolicManifestSchema,
  weightShapes: (manifest) => symbolicGeneratorShapes(symbolicDims(asSymbolicManifest(manifest))),
  describeArchitecture(manifest) {
    const { latentDim, styles, codeDim, layers } = asSymbolicManifest(manifest);
    const { mapHidden, phraseHidden, barLatent, barHidden, stepHidden } = layers;
    return `symbolic latentDim=${latentDim}, styles=${styles.length}, codeDim=${codeDim}, layers ${mapHidden}/${phraseHidden}/${barLatent}/${barHidden}/${stepHidden}`;
  },
  modelInfo(manifest: ModelManifest): ModelInfo {
    const symbolic = asSymbolicManifest(manifest);
    const { id, family, instrument, latentDim, trained, codeDim } = symbolic;
    // The input is z, then the condition (style, role, previous code); the output a phrase, then its code.
    const inputSize = latentDim + conditionLength(symbolicLayout(symbolic));
    return { id, family, instrument, latentDim, trained, inputSize, outputSize: PHRASE_VALUES + codeDim, manifest };
  },
  async loadTfjsForward() {
    const { symbolicForward } = await import('./symbolic-model.js');
    return (weights, inputs, model) => symbolicForward(weights, inputs, model.latentDim);
  },
  settings: symbolicSettings,
  createVoice: (model, options) => new SymbolicVoice(model, options),
};
