/**
 * The waveform family: WaveGAN (Donahue et al., ICLR 2019) makes one mono clip per latent (the
 * paper's ~1 s, or a shorter 16·4^L samples); the clips are crossfaded into the stream. It runs on onnxruntime from its own ONNX export, or
 * on tfjs.
 */
import type { Family } from '../family.js';
import type { ModelInfo, ModelManifest } from '../model.js';
import { exportWaveGanToOnnx, ONNX_EXPORT_VERSION, ONNX_INPUT, ONNX_OUTPUT } from './onnx-export.js';
import { waveGanWeightShapes } from './wavegan-architecture.js';
import { asWaveformManifest, WAVEFORM, waveformManifestSchema } from './waveform-manifest.js';
import { WaveformVoice } from './waveform-voice.js';

export const waveformFamily: Family = {
  name: WAVEFORM,
  manifestSchema: waveformManifestSchema,
  weightShapes(manifest) {
    const { d, latentDim, clipSamples } = asWaveformManifest(manifest);
    return waveGanWeightShapes(d, latentDim, clipSamples);
  },
  describeArchitecture(manifest) {
    const { d, latentDim, clipSamples, sampleRate } = asWaveformManifest(manifest);
    return `WaveGAN d=${d}, latentDim=${latentDim}, ${clipSamples} samples at ${sampleRate} Hz`;
  },
  modelInfo(manifest: ModelManifest): ModelInfo {
    const { id, family, instrument, latentDim, trained, clipSamples } = asWaveformManifest(manifest);
    return { id, family, instrument, latentDim, trained, inputSize: latentDim, outputSize: clipSamples, manifest };
  },
  async loadTfjsForward() {
    const { waveGanForward } = await import('./wavegan-model.js');
    return (weights, inputs) => waveGanForward(weights, inputs);
  },
  onnx: {
    version: ONNX_EXPORT_VERSION,
    inputName: ONNX_INPUT,
    outputName: ONNX_OUTPUT,
    export: (manifest, weights) => exportWaveGanToOnnx(weights, asWaveformManifest(manifest)),
  },
  settings: { fields: {}, controls: {}, choices: {} },
  createVoice: (model, options) => new WaveformVoice(model, options),
};
