import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { hasCode } from '../../core/errors.js';
import { waveformManifest } from '../model-fixtures.test-helper.js';
import { exportWaveGanToOnnx } from './onnx-export.js';
import { ModelProto } from './onnx-proto.js';
import { initWaveGanWeights } from './wavegan-architecture.js';
import * as tf from '@tensorflow/tfjs';
import { relativeL2, seededLatents } from '../model-fixtures.test-helper.js';
import { constantTensors } from '../tfjs-weights.js';
import { waveGanForward } from './wavegan-model.js';

const manifest = waveformManifest('export-test', { d: 2, latentDim: 10, trained: false, instrument: 'untrained' });
const weights = initWaveGanWeights({ d: 2, latentDim: 10, seed: 4 });
const bytes = exportWaveGanToOnnx(weights, manifest);

test('the exported bytes load in onnxruntime with input "z" [batch, latentDim] and output "audio"', async () => {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  try {
    assert.deepEqual(session.inputNames, ['z']);
    assert.deepEqual(session.outputNames, ['audio']);
    const [input] = session.inputMetadata;
    const [output] = session.outputMetadata;
    assert.ok(input.isTensor && output.isTensor);
    assert.deepEqual([input.type, ...input.shape], ['float32', 'batch', 10]);
    assert.deepEqual([output.type, ...output.shape], ['float32', 'batch', 16384]);
    const result = await session.run({ z: new ort.Tensor('float32', new Float32Array(20).fill(0.5), [2, 10]) });
    assert.deepEqual(result.audio.dims, [2, 16384]);
  } finally {
    await session.release();
  }
});

test('the model says what it is: opset 17, IR 8, producer wavecast, the paper\'s operators', () => {
  const model = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array }) as {
    ir_version: number;
    producer_name: string;
    opset_import: Array<{ domain?: string; version: number }>;
    graph: {
      node: Array<{ op_type: string; attribute?: Array<{ name: string; ints?: number[] }> }>;
      initializer: Array<{ name: string; dims: number[]; raw_data: number[] }>;
    };
    metadata_props: Array<{ key: string; value: string }>;
  };
  assert.equal(model.ir_version, 8);
  assert.equal(model.producer_name, 'wavecast');
  assert.deepEqual(model.opset_import.map((o) => o.version), [17]);
  assert.deepEqual(
    model.graph.node.map((n) => n.op_type),
    [
      'Gemm', 'Reshape', 'Transpose', 'Relu',
      ...Array(4).fill(['Conv', 'Reshape', 'Transpose', 'Reshape', 'Relu']).flat(),
      'Conv', 'Reshape', 'Transpose', 'Reshape', 'Tanh', 'Reshape',
    ],
  );
  // Each transposed convolution is exported in polyphase form: one 7-tap Conv making 4 phases.
  const conv = model.graph.node[4];
  const attributes = Object.fromEntries((conv.attribute ?? []).map((a) => [a.name, a.ints]));
  assert.deepEqual(attributes, { kernel_shape: [7], pads: [3, 3] });
  const initializers = new Map(model.graph.initializer.map((t) => [t.name, t]));
  assert.deepEqual(initializers.get('upconv_0/kernel')!.dims, [4 * 16, 32, 7], 'W is [4·out, in, 7]');
  assert.deepEqual(initializers.get('seed_shape')!.dims, [3]);
  // Stored [25, out, in] taps land where the polyphase algebra puts them (out 0, in 0):
  // phase 2 reads tap 0 at x offset +3 (Conv tap 6); phase 0 reads tap 2 at offset +2 (Conv tap 5).
  const stored = weights.get('upconv_0/kernel')!.data;
  const raw = Buffer.from(initializers.get('upconv_0/kernel')!.raw_data);
  const at = (phase: number, tap: number) => raw.readFloatLE(4 * ((phase * 16 * 32) * 7 + tap));
  assert.equal(at(2, 6), stored[0]);
  assert.equal(at(0, 5), stored[2 * 16 * 32]);
  assert.equal(at(3, 0), 0, 'phase 3 never reads offset −3');
  assert.ok(model.metadata_props.some((p) => p.key === 'wavecast.checkpoint' && p.value === 'export-test'));
});

test('missing or misshapen weights are refused with WAVECAST_ERR_MODEL_SHAPE', () => {
  const partial = new Map(weights);
  partial.delete('upconv_3/bias');
  assert.throws(() => exportWaveGanToOnnx(partial, manifest), (error: Error) => {
    return hasCode(error, 'WAVECAST_ERR_MODEL_SHAPE') && error.message.includes('"upconv_3/bias"');
  });
  const wider = waveformManifest('export-test', { d: 4, latentDim: 10, trained: false, instrument: 'untrained' });
  assert.throws(() => exportWaveGanToOnnx(weights, wider), /dense\/kernel/);
});

test('a 4096-sample model (4 upconvs, 22050 Hz) exports, and onnxruntime matches the tfjs forward pass', async () => {
  await tf.setBackend('cpu');
  const short = waveformManifest('short', { d: 2, latentDim: 6, clipSamples: 4096, sampleRate: 22050 });
  const shortWeights = initWaveGanWeights({ d: 2, latentDim: 6, clipSamples: 4096, seed: 9 });
  const session = await ort.InferenceSession.create(exportWaveGanToOnnx(shortWeights, short), { executionProviders: ['cpu'] });
  try {
    const latents = seededLatents(2, 6, 3);
    const input = new Float32Array(12);
    latents.forEach((z, i) => input.set(z, i * 6));
    const result = await session.run({ z: new ort.Tensor('float32', input, [2, 6]) });
    assert.deepEqual(result.audio.dims, [2, 4096]);
    const tensors = constantTensors(shortWeights);
    const reference = waveGanForward(tensors, tf.tensor2d(input, [2, 6]));
    const expected = reference.dataSync() as Float32Array;
    tf.dispose([reference, ...Object.values(tensors)]);
    const got = result.audio.data as Float32Array;
    const error = relativeL2([got.slice(0, 4096), got.slice(4096)], [expected.slice(0, 4096), expected.slice(4096)]);
    assert.ok(error < 1e-5, `relative L2 ${error}`);
  } finally {
    await session.release();
  }
});
