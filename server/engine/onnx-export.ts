/**
 * Writes the WaveGAN generator as an ONNX model (opset 17, IR version 8) from checkpoint
 * weights, with wavecast's own protobuf schema (onnx-proto.ts): no Python, no converter. The
 * graph is the one in wavegan-model.ts, spelled in ONNX operators, channels-first:
 *
 *   z [batch, latentDim] ─Gemm─▶ [batch, 256d] ─Reshape [-1, 16, 16d]─▶ ─Transpose [0, 2, 1]─▶
 *     [batch, 16d, 16] ─Relu─▶ (ConvTranspose ─Relu─▶) ×4 ─ConvTranspose─▶ ─Tanh─▶
 *     [batch, 1, 16384] ─Reshape [-1, 16384]─▶ audio [batch, 16384]
 *
 * ConvTranspose takes W as [in, out, 25], so the stored [25, out, in] kernels are transposed.
 * pads [10, 11] crop the full transposed length 4L + 21 to 4L exactly as TF's 'same' does.
 */
import { WavecastError } from '../errors.js';
import { show, type CheckpointManifest } from './checkpoint-manifest.js';
import { float32ToLittleEndian } from './float32-bytes.js';
import {
  CLIP_SAMPLES,
  KERNEL_SIZE,
  SEED_LENGTH,
  STRIDE,
  seedChannels,
  shapeSize,
  upconvLayers,
  waveGanWeightShapes,
  type WaveGanWeights,
} from './wavegan-architecture.js';
import {
  AttributeType,
  DataType,
  encodeModel,
  type AttributeMessage,
  type NodeMessage,
  type TensorMessage,
  type ValueInfoMessage,
} from './onnx-proto.js';

export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;
/** Name of the graph input: latents [batch, latentDim]. */
export const ONNX_INPUT = 'z';
/** Name of the graph output: clips [batch, 16384]. */
export const ONNX_OUTPUT = 'audio';
/** Bumped when the exported graph changes, so an old model.onnx can be told apart. */
export const ONNX_EXPORT_VERSION = '1';

/** Padding TF's 'same' implies for kernel 25, stride 4: (25 − 4) = 21 extra samples, 10 + 11. */
const PADS = [Math.floor((KERNEL_SIZE - STRIDE) / 2), Math.ceil((KERNEL_SIZE - STRIDE) / 2)];

/**
 * Serializes the generator with these weights as a .onnx file.
 *
 * @param weights every tensor of `waveGanWeightShapes(manifest.d, manifest.latentDim)`.
 * @param manifest supplies d, latentDim and the metadata stored in the model.
 * @throws WavecastError WAVECAST_ERR_MODEL_SHAPE when a weight is missing or misshapen.
 * @example
 * const { manifest, weights } = await loadCheckpoint(dir);
 * await writeFile(`${dir}/model.onnx`, exportWaveGanToOnnx(weights, manifest));
 */
export function exportWaveGanToOnnx(weights: WaveGanWeights, manifest: CheckpointManifest): Uint8Array {
  const { d, latentDim } = manifest;
  for (const [name, shape] of waveGanWeightShapes(d, latentDim)) {
    const tensor = weights.get(name);
    if (!tensor || tensor.data.length !== shapeSize(shape) || show(tensor.shape) !== show(shape)) {
      throw new WavecastError(
        'WAVECAST_ERR_MODEL_SHAPE',
        `ONNX export of "${manifest.id}": tensor "${name}" must have shape ${show(shape)}, got ${show(tensor?.shape)}`,
      );
    }
  }
  const initializer: TensorMessage[] = [
    floatTensor('dense/kernel', weights.get('dense/kernel')!.shape, weights.get('dense/kernel')!.data),
    floatTensor('dense/bias', weights.get('dense/bias')!.shape, weights.get('dense/bias')!.data),
    int64Tensor('seed_shape', [-1, SEED_LENGTH, seedChannels(d)]),
    int64Tensor('audio_shape', [-1, CLIP_SAMPLES]),
  ];
  const node: NodeMessage[] = [
    op('Gemm', ['z', 'dense/kernel', 'dense/bias'], 'dense'),
    op('Reshape', ['dense', 'seed_shape'], 'seed'),
    op('Transpose', ['seed'], 'seed_ncl', [ints('perm', [0, 2, 1])]),
    op('Relu', ['seed_ncl'], 'seed_relu'),
  ];
  let previous = 'seed_relu';
  const layers = upconvLayers(d);
  for (const [i, layer] of layers.entries()) {
    const kernel = weights.get(`${layer.name}/kernel`)!.data;
    initializer.push(
      floatTensor(
        `${layer.name}/kernel`,
        [layer.inChannels, layer.outChannels, KERNEL_SIZE],
        toInOutTaps(kernel, layer.inChannels, layer.outChannels),
      ),
      floatTensor(`${layer.name}/bias`, [layer.outChannels], weights.get(`${layer.name}/bias`)!.data),
    );
    node.push(
      op('ConvTranspose', [previous, `${layer.name}/kernel`, `${layer.name}/bias`], `${layer.name}/conv`, [
        ints('kernel_shape', [KERNEL_SIZE]),
        ints('strides', [STRIDE]),
        ints('pads', PADS),
      ]),
    );
    const last = i === layers.length - 1;
    node.push(op(last ? 'Tanh' : 'Relu', [`${layer.name}/conv`], `${layer.name}/out`));
    previous = `${layer.name}/out`;
  }
  node.push(op('Reshape', [previous, 'audio_shape'], ONNX_OUTPUT));

  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'wavecast',
    producer_version: ONNX_EXPORT_VERSION,
    doc_string: `WaveGAN generator (Donahue et al., ICLR 2019), d=${d}, latentDim=${latentDim}`,
    graph: {
      name: 'wavegan_generator',
      node,
      initializer,
      input: [valueInfo(ONNX_INPUT, [{ dim_param: 'batch' }, { dim_value: latentDim }])],
      output: [valueInfo(ONNX_OUTPUT, [{ dim_param: 'batch' }, { dim_value: CLIP_SAMPLES }])],
    },
    metadata_props: [
      { key: 'wavecast.checkpoint', value: manifest.id },
      { key: 'wavecast.instrument', value: manifest.instrument },
      { key: 'wavecast.d', value: String(d) },
      { key: 'wavecast.latent_dim', value: String(latentDim) },
      { key: 'wavecast.sample_rate', value: String(manifest.sampleRate) },
      { key: 'wavecast.trained', value: String(manifest.trained) },
    ],
  });
}

/** [25, out, in] (tfjs conv2dTranspose filter without its height axis) → [in, out, 25] (ONNX). */
function toInOutTaps(kernel: Float32Array, inChannels: number, outChannels: number): Float32Array {
  const transposed = new Float32Array(kernel.length);
  let source = 0;
  for (let tap = 0; tap < KERNEL_SIZE; tap++) {
    for (let out = 0; out < outChannels; out++) {
      for (let input = 0; input < inChannels; input++) {
        transposed[(input * outChannels + out) * KERNEL_SIZE + tap] = kernel[source++];
      }
    }
  }
  return transposed;
}

function floatTensor(name: string, dims: number[], data: Float32Array): TensorMessage {
  return { name, dims, data_type: DataType.FLOAT, raw_data: float32ToLittleEndian(data) };
}

function int64Tensor(name: string, values: number[]): TensorMessage {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true));
  return { name, dims: [values.length], data_type: DataType.INT64, raw_data: raw };
}

function op(opType: string, input: string[], output: string, attribute: AttributeMessage[] = []): NodeMessage {
  return { name: output, op_type: opType, input, output: [output], attribute };
}

function ints(name: string, values: number[]): AttributeMessage {
  return { name, type: AttributeType.INTS, ints: values };
}

function valueInfo(name: string, dim: ValueInfoMessage['type']['tensor_type']['shape']['dim']): ValueInfoMessage {
  return { name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim } } } };
}
