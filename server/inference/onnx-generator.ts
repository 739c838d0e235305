/**
 * The onnxruntime engine: runs a checkpoint's model.onnx (exported from its weights on first use)
 * with onnxruntime-node, on CUDA when this onnxruntime build can, else on the CPU.
 *
 * onnxruntime-node's `session.run` is synchronous under its Promise (it only defers the call with
 * setImmediate), so on the server run this engine inside a WorkerGenerator.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { writeFileAtomic } from './atomic-write.js';
import type { OnnxExport } from '../families/family.js';
import { familyOf, modelInfo } from '../families/registry.js';
import { inspectCheckpoint, ONNX_FILE, readCheckpointWeights, type CheckpointLayout } from './checkpoint.js';
import { EngineGenerator } from './engine-generator.js';
import { notInitialized, packLatents, splitClips } from './latent-batch.js';

const log = logger('engine');

export interface OnnxGeneratorOptions {
  /** Checkpoint folder, e.g. `models/wavegan-untrained`. */
  dir: string;
  /** Intra-op threads; left out, onnxruntime uses one per physical core. */
  threads?: number;
  /**
   * Execution providers to try, in this order, as one session. Left out: ['cuda', 'cpu'] when
   * this onnxruntime build has the CUDA provider installed, then ['cpu'] if that fails.
   */
  executionProviders?: readonly string[];
}

export class OnnxGenerator extends EngineGenerator<OnnxGeneratorOptions> {
  #session: ort.InferenceSession | undefined;
  #onnx: OnnxExport | undefined;

  /** Cheap: nothing is read until `initialize()`. */
  constructor(options: OnnxGeneratorOptions) {
    super(options, 'onnx');
  }

  async initialize(): Promise<void> {
    const started = performance.now();
    const layout = await inspectCheckpoint(this.options.dir);
    const onnx = familyOf(layout.manifest).onnx;
    if (!onnx) {
      throw new WavecastError('WAVECAST_ERR_ENGINE', `${layout.dir}: the onnx engine has no export of ${layout.manifest.family} models; they run on tfjs`);
    }
    const model = await modelSource(layout, onnx);
    const { session, provider } = await createSession(model, this.options);
    if (!session.inputNames.includes(onnx.inputName) || !session.outputNames.includes(onnx.outputName)) {
      await session.release();
      throw new WavecastError(
        'WAVECAST_ERR_MODEL_SHAPE',
        `${path.join(layout.dir, ONNX_FILE)}: expected input "${onnx.inputName}" and output "${onnx.outputName}", ` +
          `got ${JSON.stringify(session.inputNames)} → ${JSON.stringify(session.outputNames)}; delete it to re-export`,
      );
    }
    this.#session = session;
    this.#onnx = onnx;
    this.loadedInfo = modelInfo(layout.manifest);
    this.engineName = `onnx-${provider}`;
    const ms = Math.round(performance.now() - started);
    log.info({ checkpoint: layout.manifest.id, engine: this.engineName, ms }, 'onnx model loaded');
  }

  async generate(latents: readonly Float32Array[]): Promise<Float32Array[]> {
    const session = this.#session;
    const onnx = this.#onnx;
    if (!session || !onnx || !this.loadedInfo) throw notInitialized(this.engineName);
    if (latents.length === 0) return [];
    const { inputSize, outputSize, id } = this.loadedInfo;
    const z = new ort.Tensor('float32', packLatents(latents, inputSize), [latents.length, inputSize]);
    const started = performance.now();
    let audio: ort.Tensor;
    try {
      audio = (await session.run({ [onnx.inputName]: z }))[onnx.outputName];
    } catch (error) {
      throw new WavecastError('WAVECAST_ERR_ENGINE', `${this.engineName} run failed for "${id}": ${String(error)}`, {
        cause: error,
      });
    }
    const clips = splitClips(audio.data as Float32Array, latents.length, outputSize);
    log.debug({ checkpoint: id, engine: this.engineName, batch: latents.length, ms: performance.now() - started }, 'generated');
    return clips;
  }

  async dispose(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#onnx = undefined;
    this.loadedInfo = undefined;
    await session?.release();
  }
}

/**
 * The model to load: model.onnx when it is newer than the weights, else a fresh export, written
 * beside the weights for next time (atomically) or, in a read-only folder, kept in memory.
 */
async function modelSource(layout: CheckpointLayout, onnx: OnnxExport): Promise<string | Uint8Array> {
  const onnxFile = path.join(layout.dir, ONNX_FILE);
  const existing = await stat(onnxFile).catch(() => undefined);
  if (existing?.isFile() && existing.mtimeMs > layout.weightsModifiedMs && (await isCurrentExport(onnxFile, onnx.version))) {
    return onnxFile;
  }

  const started = performance.now();
  const { manifest, weights } = await readCheckpointWeights(layout); // inspected already: no second pass
  const bytes = onnx.export(manifest, weights);
  const ms = Math.round(performance.now() - started);
  try {
    await writeFileAtomic(onnxFile, bytes);
    log.info({ checkpoint: manifest.id, file: onnxFile, bytes: bytes.byteLength, ms }, 'exported model.onnx');
  } catch (error) {
    // The export is still good: serve it from memory and re-export on the next start.
    const code = (error as NodeJS.ErrnoException).code;
    const readOnly = code === 'EACCES' || code === 'EROFS' || code === 'EPERM';
    log[readOnly ? 'info' : 'warn'](
      { checkpoint: manifest.id, file: onnxFile, code, ms },
      readOnly ? 'checkpoint folder is read-only: ONNX model kept in memory' : 'could not write model.onnx: kept in memory',
    );
  }
  return bytes;
}

/**
 * True when model.onnx was written by this version of the exporter (its producer_version), so
 * an export from an older graph layout is replaced rather than served. Reads only the file's
 * first bytes: ModelProto fields 1–3 (ir_version, producer_name, producer_version) come first.
 */
async function isCurrentExport(onnxFile: string, version: string): Promise<boolean> {
  const handle = await open(onnxFile, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    let offset = 0;
    const varint = () => {
      let value = 0;
      for (let shift = 0; offset < bytesRead && shift < 35; shift += 7) {
        const byte = buffer[offset++];
        value += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) break;
      }
      return value;
    };
    while (offset < bytesRead) {
      const tag = varint();
      if (tag === 0x08) varint(); // ir_version
      else if (tag === 0x12 || tag === 0x1a) {
        const length = varint();
        const text = buffer.toString('utf8', offset, offset + length);
        offset += length;
        if (tag === 0x1a) return text === version; // producer_version
      } else return false;
    }
    return false;
  } finally {
    await handle.close();
  }
}

async function createSession(
  model: string | Uint8Array,
  options: OnnxGeneratorOptions,
): Promise<{ session: ort.InferenceSession; provider: string }> {
  const attempts = options.executionProviders
    ? [options.executionProviders]
    : (await cudaProviderInstalled())
      ? [['cuda', 'cpu'], ['cpu']]
      : [['cpu']];
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  };
  let lastError: unknown;
  for (const providers of attempts) {
    const withProviders = { ...sessionOptions, executionProviders: providers };
    try {
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, withProviders)
          : await ort.InferenceSession.create(model, withProviders);
      log.info({ providers }, `onnxruntime session on ${providers[0]}`);
      return { session, provider: providers[0] };
    } catch (error) {
      lastError = error;
      log.warn({ providers, err: String(error) }, 'onnxruntime could not create a session with these providers');
    }
  }
  throw new WavecastError('WAVECAST_ERR_ENGINE', `onnxruntime could not load the model: ${String(lastError)}`, {
    cause: lastError,
  });
}

/**
 * Whether onnxruntime-node lists CUDA and its provider library is on disk. The library is not in
 * the npm package: onnxruntime-node's install script downloads it (that needs the internet).
 * Looking first saves a failed session and the native error line onnxruntime prints for it.
 */
async function cudaProviderInstalled(): Promise<boolean> {
  const listed = ort.listSupportedBackends().some((backend) => backend.name === 'cuda');
  if (!listed) {
    log.info('onnxruntime build has no CUDA provider: using the CPU');
    return false;
  }
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  const binDir = path.join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
  const files = await readdir(binDir).catch(() => undefined);
  // An unknown package layout: just try CUDA and fall back if the session fails.
  if (!files) return true;
  const installed = files.some((file) => file.includes('providers_cuda'));
  if (!installed) {
    log.info({ binDir }, 'onnxruntime CUDA provider library not installed: using the CPU');
  }
  return installed;
}
