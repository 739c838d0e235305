/**
 * The load generator's client processes: `procs` forked children, the listeners dealt out in
 * turn so each carries an even share of both kinds and of the ramp. Their stdout goes to our
 * stderr, so `--json` keeps stdout for the results.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientPlan, ClientReport, PlannedListener } from './client-plan.js';

const CLIENT_PROCESS = fileURLToPath(new URL('./client-process.ts', import.meta.url));

export interface ClientPool {
  /** Resolves with every process's report once `endAt` has passed. */
  run(plan: Omit<ClientPlan, 'type' | 'listeners'>, listeners: PlannedListener[]): Promise<ClientReport[]>;
  /** Kills processes still running (after a failure). */
  kill(): void;
}

/** Forks `procs` client processes and waits until each has loaded. */
export async function startClientPool(procs: number): Promise<ClientPool> {
  const children: ChildProcess[] = Array.from({ length: procs }, () =>
    fork(CLIENT_PROCESS, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] }),
  );
  await Promise.all(children.map((child) => new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`a client process exited (${code}) before it was ready`)));
  })));
  return {
    async run(plan, listeners) {
      const reports = children.map((child) => new Promise<ClientReport>((resolve, reject) => {
        child.once('message', (report: ClientReport) => resolve(report));
        child.once('exit', (code) => reject(new Error(`a client process exited (${code}) before it reported`)));
      }));
      children.forEach((child, index) => {
        const share = listeners.filter((_, i) => i % children.length === index);
        child.send({ type: 'plan', ...plan, listeners: share } satisfies ClientPlan);
      });
      return Promise.all(reports);
    },
    kill() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
