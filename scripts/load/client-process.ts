/**
 * A load-test client process (forked by client-pool.ts): opens its share of the listeners at
 * their planned times, keeps them until the end, then sends back what each measured and the CPU
 * it used itself. Its listeners live on its own event loop, so the generator spreads over cores.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ClientPlan, ClientReady, ClientReport } from './client-plan.js';
import { HttpListener } from './http-listener.js';
import { WsListener } from './ws-listener.js';

/** How often due listeners are opened (ms): a ramp of 1 000 a second opens ~5 per tick. */
const TICK_MS = 5;

function run(plan: ClientPlan): void {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const listeners: Array<HttpListener | WsListener> = [];
  let next = 0;
  const opener = setInterval(() => {
    const now = Date.now();
    while (next < plan.listeners.length && plan.listeners[next].startAt <= now) {
      const { kind, channel, icy, localAddress } = plan.listeners[next++];
      listeners.push(
        kind === 'http'
          ? new HttpListener({ url: plan.url, channel, icy, localAddress, stallMs: plan.stallMs, settleMs: plan.settleMs, agent })
          : new WsListener({ url: plan.url, channel, burst: plan.burst, localAddress, stallMs: plan.stallMs, settleMs: plan.settleMs }),
      );
    }
    if (next === plan.listeners.length) clearInterval(opener);
  }, TICK_MS);
  // From the start: a client loop that lags while listeners join delays their first bytes.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpuAtStart = process.cpuUsage();
  let windowStart = performance.now();
  setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    windowStart = performance.now();
  }, Math.max(0, plan.windowStartAt - Date.now()));
  setTimeout(() => {
    clearInterval(opener);
    delay.disable();
    const cpu = process.cpuUsage(cpuAtStart);
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const results = listeners.map((listener) => listener.finish());
    agent.destroy();
    const report: ClientReport = {
      type: 'results',
      results,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      windowSeconds,
      eventLoopMaxMs: Math.max(0, delay.max / 1e6 - 10),
    };
    process.send!(report, () => process.exit(0));
  }, Math.max(0, plan.endAt - Date.now()));
}

process.once('message', (message: ClientPlan) => run(message));
process.send!({ type: 'ready' } satisfies ClientReady);
