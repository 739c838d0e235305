/**
 * WGAN-GP (Gulrajani et al. 2017) training steps for any conditional generator/critic pair written
 * as plain functions of tf.variables. The critic minimises D(fake) − D(real) + λ·(‖∇D(x̂)‖ − 1)²
 * on random interpolates x̂; the generator minimises −D(fake). Each network has its own Adam
 * (tfjs's Adam keeps its moments by position in the variable list, so one optimizer must never
 * serve two networks).
 *
 * The gradient penalty differentiates the critic twice: its activations must have second-order
 * gradients (see `leakyRelu` in symbolic-model.ts).
 *
 * The condition's type is a parameter: the symbolic code GAN passes a [b, n] tensor; an
 * unconditional GAN (WaveGAN) uses `WganGp<undefined>` and passes `undefined`.
 */
import * as tf from '@tensorflow/tfjs';

export type Network<Condition = tf.Tensor2D> = (
  variables: Record<string, tf.Variable>,
  input: tf.Tensor2D,
  condition: Condition,
) => tf.Tensor2D;

export interface WganGpOptions {
  /** Gradient-penalty weight λ. @default 10 */
  gradientPenalty?: number;
  /** Adam learning rate of both networks. @default 1e-4 */
  learningRate?: number;
  /** Adam β1. @default 0.5 */
  beta1?: number;
  /** Adam β2. @default 0.9 */
  beta2?: number;
}

export interface CriticStepResult {
  /** The critic's loss, gradient penalty included. */
  criticLoss: number;
  /** mean D(real) − mean D(fake): the critic's estimate of the Wasserstein distance. */
  wasserstein: number;
  gradientPenalty: number;
}

export class WganGp<Condition = tf.Tensor2D> {
  readonly lambda: number;
  readonly generatorOptimizer: tf.AdamOptimizer;
  readonly criticOptimizer: tf.AdamOptimizer;
  readonly #generator: Network<Condition>;
  readonly #critic: Network<Condition>;
  readonly #generatorVariables: Record<string, tf.Variable>;
  readonly #criticVariables: Record<string, tf.Variable>;

  /**
   * @param [options.gradientPenalty=10] λ
   * @param [options.learningRate=1e-4] Adam learning rate
   * @param [options.beta1=0.5] Adam β1
   * @param [options.beta2=0.9] Adam β2
   */
  constructor(
    networks: {
      generator: Network<Condition>;
      critic: Network<Condition>;
      generatorVariables: Record<string, tf.Variable>;
      criticVariables: Record<string, tf.Variable>;
    },
    options: WganGpOptions = {},
  ) {
    const { gradientPenalty = 10, learningRate = 1e-4, beta1 = 0.5, beta2 = 0.9 } = options;
    this.lambda = gradientPenalty;
    this.#generator = networks.generator;
    this.#critic = networks.critic;
    this.#generatorVariables = networks.generatorVariables;
    this.#criticVariables = networks.criticVariables;
    this.generatorOptimizer = tf.train.adam(learningRate, beta1, beta2);
    this.criticOptimizer = tf.train.adam(learningRate, beta1, beta2);
  }

  /** One critic update on a real batch and the fakes made from `z` under the same conditions. */
  criticStep(real: tf.Tensor2D, condition: Condition, z: tf.Tensor2D, seed?: number): CriticStepResult {
    const parts: tf.Scalar[] = [];
    const loss = tf.tidy(() => {
      const fake = this.#generator(this.#generatorVariables, z, condition);
      const epsilon = tf.randomUniform([real.shape[0], 1], 0, 1, 'float32', seed);
      const interpolates = tf.add(tf.mul(epsilon, real), tf.mul(tf.sub(1, epsilon), fake)) as tf.Tensor2D;
      const criticVariables = Object.values(this.#criticVariables);
      return this.criticOptimizer.minimize(
        () => {
          const wasserstein = tf.sub(
            tf.mean(this.#critic(this.#criticVariables, real, condition)),
            tf.mean(this.#critic(this.#criticVariables, fake, condition)),
          ) as tf.Scalar;
          const slopes = tf.grad((x: tf.Tensor) => tf.sum(this.#critic(this.#criticVariables, x as tf.Tensor2D, condition)))(interpolates);
          const norms = tf.sqrt(tf.add(tf.sum(tf.square(slopes), 1), 1e-12));
          const penalty = tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
          parts.push(tf.keep(wasserstein), tf.keep(penalty));
          return tf.add(tf.neg(wasserstein), tf.mul(penalty, this.lambda)) as tf.Scalar;
        },
        true,
        criticVariables,
      )!;
    });
    const [wasserstein, gradientPenalty] = parts.map((t) => t.dataSync()[0]);
    const criticLoss = loss.dataSync()[0];
    tf.dispose([loss, ...parts]);
    return { criticLoss, wasserstein, gradientPenalty };
  }

  /** One generator update; returns its loss, −mean D(fake). */
  generatorStep(condition: Condition, z: tf.Tensor2D): number {
    const loss = tf.tidy(() =>
      this.generatorOptimizer.minimize(
        () => tf.neg(tf.mean(this.#critic(this.#criticVariables, this.#generator(this.#generatorVariables, z, condition), condition))) as tf.Scalar,
        true,
        Object.values(this.#generatorVariables),
      )!,
    );
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  dispose(): void {
    this.generatorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }
}
