/**
 * An Adam optimizer's whole state, out and back in, so a resumed run continues bit for bit:
 * the step count, both moments of every variable, and the running powers β1^t, β2^t.
 * tfjs' getWeights/setWeights keep the first two but recompute the powers as pow(β, t + 1),
 * which can differ from the running product in the last bit; those are read and written here.
 */
import * as tf from '@tensorflow/tfjs';

/** An Adam optimizer's state as plain numbers. */
export interface AdamState {
  /** Updates applied so far. */
  iterations: number;
  /** β1^(iterations + 1) and β2^(iterations + 1), as the optimizer holds them. */
  accBeta1: number;
  accBeta2: number;
  /** First moments, then second moments, in the order of the variables it updates. */
  moments: Array<{ shape: number[]; data: Float32Array }>;
}

/** The parts of tf.AdamOptimizer that getWeights leaves out (private in its typings). */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/** Copies `optimizer`'s state out. */
export async function readAdamState(optimizer: tf.AdamOptimizer): Promise<AdamState> {
  const [iterations, ...moments] = await optimizer.getWeights();
  const internals = optimizer as unknown as AdamInternals;
  return {
    iterations: (await iterations.tensor.data())[0],
    accBeta1: (await internals.accBeta1.data())[0],
    accBeta2: (await internals.accBeta2.data())[0],
    moments: await Promise.all(moments.map(async (m) => ({ shape: m.tensor.shape.slice(), data: (await m.tensor.data()).slice() as Float32Array }))),
  };
}

/**
 * Puts `state` into a fresh optimizer (one that has not stepped yet: its old moments are not freed).
 * @param names the variables' names, for the moments' names (tfjs keys them by position).
 */
export async function writeAdamState(optimizer: tf.AdamOptimizer, state: AdamState, names: readonly string[]): Promise<void> {
  const half = state.moments.length / 2;
  const iterations = tf.scalar(state.iterations, 'int32');
  const tensors = state.moments.map((m) => tf.tensor(m.data, m.shape, 'float32'));
  await optimizer.setWeights([
    { name: 'iter', tensor: iterations },
    ...tensors.map((tensor, i) => ({ name: `${names[i % half] ?? i}/${i < half ? 'm' : 'v'}`, tensor })),
  ]);
  // setWeights made variables of these (sharing their data); the tensors themselves can go.
  tf.dispose([iterations, ...tensors]);
  const internals = optimizer as unknown as AdamInternals;
  tf.tidy(() => {
    internals.accBeta1.assign(tf.scalar(state.accBeta1));
    internals.accBeta2.assign(tf.scalar(state.accBeta2));
  });
}
