/**
 * The last problems an operator should see on the panel (underruns, failed inference, an encoder
 * failing over, refused changes): a bounded list, newest last. Logs keep everything; this keeps
 * what fits on a screen.
 */
import type { WavecastErrorCode } from '../core/errors.js';

export interface Problem {
  /** Milliseconds since the epoch. */
  time: number;
  channel?: string;
  code: WavecastErrorCode;
  message: string;
}

export class ProblemLog {
  readonly capacity: number;
  #problems: Problem[] = [];

  /** @param capacity problems kept (server.problemsKept) */
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  add(problem: Omit<Problem, 'time'> & { time?: number }): void {
    this.#problems.push({ time: problem.time ?? Date.now(), ...problem } as Problem);
    if (this.#problems.length > this.capacity) this.#problems.shift();
  }

  /** Oldest first. */
  recent(): Problem[] {
    return [...this.#problems];
  }
}
