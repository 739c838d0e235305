/**
 * A WebSocket f32le listener for fault tests: it records every frame's sequence number, arrival
 * time and audio, and measures what a person would hear go wrong: silence in the audio, and
 * delivery falling behind real time (a stalled stream is silence to a player too).
 */
import WebSocket from 'ws';

export interface PcmListener {
  ws: WebSocket;
  /** Binary frames so far: sequence number, arrival (performance.now() ms), first channel's samples. */
  frames: Array<{ seq: number; at: number; pcm: Float32Array }>;
  /** Title frames' titles and the header's, in order. */
  titles: string[];
  sampleRate: number;
  frameSeconds: number;
  close(): void;
}

/** Opens `ws://…/ws/<channel>?format=f32le&burst=0` on `server` and resolves once the header came. */
export async function listenPcm(serverUrl: string, channel: string): Promise<PcmListener> {
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/ws/${channel}?format=f32le&burst=0`);
  const listener: PcmListener = { ws, frames: [], titles: [], sampleRate: 0, frameSeconds: 0, close: () => ws.close() };
  let channels = 1;
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const message = JSON.parse(String(data));
        if (message.type === 'header') {
          channels = message.channels;
          listener.sampleRate = message.sampleRate;
          listener.frameSeconds = message.frameSamples / message.sampleRate;
          listener.titles.push(message.title);
          resolve();
        }
        if (message.type === 'title') listener.titles.push(message.title);
        return;
      }
      const bytes = data as Buffer;
      const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + bytes.length));
      listener.frames.push({ seq: bytes.readUInt32LE(0), at: performance.now(), pcm: all.filter((_, i) => i % channels === 0) });
    });
    ws.once('error', reject);
  });
  return listener;
}

/** True when the frames' sequence numbers follow on without a gap. */
export function contiguous(frames: ReadonlyArray<{ seq: number }>): boolean {
  return frames.every((f, i) => i === 0 || f.seq === frames[i - 1].seq + 1);
}

/** Longest run of samples under −80 dBFS, in seconds. */
export function longestSilence(frames: ReadonlyArray<{ pcm: Float32Array }>, sampleRate: number): number {
  let longest = 0;
  let run = 0;
  for (const { pcm } of frames) {
    for (const x of pcm) {
      run = Math.abs(x) < 1e-4 ? run + 1 : 0;
      if (run > longest) longest = run;
    }
  }
  return longest / sampleRate;
}

/**
 * The most the stream fell behind real time over any stretch (seconds): a player that started
 * with no margin would have been silent this long. Timer jitter gives some tens of ms; a stalled
 * channel gives the length of the stall.
 */
export function worstShortfall(frames: ReadonlyArray<{ at: number }>, frameSeconds: number): number {
  let worst = 0;
  let best = Infinity;
  frames.forEach(({ at }, i) => {
    const lead = at / 1000 - i * frameSeconds;
    best = Math.min(best, lead);
    worst = Math.max(worst, lead - best);
  });
  return worst;
}
