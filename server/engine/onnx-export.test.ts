import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { hasCode } from '../errors.js';
import { manifestFor } from './checkpoint.test-helper.js';
import { parseCheckpointManifest } from './checkpoint-manifest.js';
import { exportWaveGanToOnnx } from './onnx-export.js';
import { ModelProto } from './onnx-proto.js';
import { initWaveGanWeights } from './wavegan-architecture.js';

const manifest = parseCheckpointManifest(manifestFor('export-test', { d: 2, latentDim: 10 }), 'test');
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
    ['Gemm', 'Reshape', 'Transpose', 'Relu', ...Array(4).fill(['ConvTranspose', 'Relu']).flat(), 'ConvTranspose', 'Tanh', 'Reshape'],
  );
  const conv = model.graph.node[4];
  const attributes = Object.fromEntries((conv.attribute ?? []).map((a) => [a.name, a.ints]));
  assert.deepEqual(attributes, { kernel_shape: [25], strides: [4], pads: [10, 11] });
  const initializers = new Map(model.graph.initializer.map((t) => [t.name, t]));
  assert.deepEqual(initializers.get('upconv_0/kernel')!.dims, [32, 16, 25], 'W is [in, out, 25]');
  assert.deepEqual(initializers.get('seed_shape')!.dims, [3]);
  // The kernel really is transposed: stored [25, out, in] (tap 1, out 0, in 0) → ONNX [in 0, out 0, tap 1].
  const stored = weights.get('upconv_0/kernel')!.data;
  const raw = Buffer.from(initializers.get('upconv_0/kernel')!.raw_data);
  assert.equal(raw.readFloatLE(4 * 1), stored[1 * 16 * 32]);
  assert.ok(model.metadata_props.some((p) => p.key === 'wavecast.checkpoint' && p.value === 'export-test'));
});

test('missing or misshapen weights are refused with WAVECAST_ERR_MODEL_SHAPE', () => {
  const partial = new Map(weights);
  partial.delete('upconv_3/bias');
  assert.throws(() => exportWaveGanToOnnx(partial, manifest), (error: Error) => {
    return hasCode(error, 'WAVECAST_ERR_MODEL_SHAPE') && error.message.includes('"upconv_3/bias"');
  });
  const wider = parseCheckpointManifest(manifestFor('export-test', { d: 4, latentDim: 10 }), 'test');
  assert.throws(() => exportWaveGanToOnnx(weights, wider), /dense\/kernel/);
});
