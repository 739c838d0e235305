/**
 * The default channel (config/default.json's lobby: the committed model, café style, cafe-piano)
 * played for minutes of stream time: a Channel with its real voice, synth workers and model,
 * its clock driven by the test instead of the wall (so 5 minutes of stream take seconds).
 * What a listener hears over minutes: the MIDI export of 64 bars holds held notes, few
 * re-strikes, bars that come back 4 bars later, and the tempo map of what was played; the key
 * moves and comes home; each style plays in its tempo range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import toneMidi from '@tonejs/midi';
import { loadConfigFile } from '../server/config/load-config.js';
import { PROJECT_ROOT } from '../server/core/project-root.js';
import type { Note } from '../server/families/symbolic/roll-notes.js';
import type { Song } from '../server/families/symbolic/note-sequence.js';
import { STYLE_TEMPOS } from '../server/families/symbolic/symbolic-settings.js';
import { createGenerator } from '../server/inference/create-generator.js';
import type { Generator } from '../server/inference/generator.js';
import { Channel } from '../server/stream/channel.js';
import { measureListenerFigures, similarityAtLag } from '../scripts/training/metrics/listener-figures.js';

const { Midi } = toneMidi;
const config = loadConfigFile(path.join(PROJECT_ROOT, 'config', 'default.json'));
const lobby = config.channels.find((c) => c.id === 'lobby')!;

/** The lobby channel on the committed model, and a clock the test moves. */
async function startLobby(): Promise<{ channel: Channel; generator: Generator; play: (seconds: number, onBar?: () => void) => Promise<void> }> {
  const generator = createGenerator({ dir: path.join(PROJECT_ROOT, config.server.modelsDir, lobby.model), engine: 'tfjs' });
  await generator.initialize();
  const channel = new Channel({
    config: lobby,
    model: generator.info,
    frameDuration: 0.05,
    switchLead: 0.5,
    voices: { historyBars: 64, renderThreads: 1, maxRest: config.server.maxRest },
    playout: { sink: { write() {} }, loudness: { target: -16, ceiling: 1, window: 12, maxSlew: 1 } },
  });
  let now = 0;
  channel.playout.start(now);
  /** Plays `seconds` of stream, keeping 4 s generated ahead, as the scheduler would. */
  const play = async (seconds: number, onTick?: () => void) => {
    const end = now + seconds * 1000;
    while (now < end) {
      while (channel.bufferedSeconds < 4) {
        const [output] = await generator.generate([channel.nextLatent()]);
        await channel.acceptClip(output);
      }
      now += 250;
      channel.playout.tick(now);
      onTick?.();
    }
    assert.equal(channel.playout.counters.underruns, 0);
  };
  return { channel, generator, play };
}

/** The exported file as a Song of what was played (track names from the file), with its tempo map. */
function exported(bytes: Uint8Array): { song: Song; tempos: Array<{ bar: number; bpm: number }> } {
  const midi = new Midi(bytes);
  const stepTicks = midi.header.ppq / 4;
  const notes: Note[] = midi.tracks.flatMap((t) =>
    t.notes.map((n) => ({ track: t.name as Note['track'], pitch: n.midi, step: n.ticks / stepTicks, steps: Math.max(1, Math.round(n.durationTicks / stepTicks)), velocity: Math.round(n.velocity * 127) })),
  );
  const bars = Math.max(...notes.map((n) => Math.floor(n.step / 16))) + 1;
  const tempos = midi.header.tempos.map((t) => ({ bar: t.ticks / stepTicks / 16, bpm: Math.round(t.bpm) }));
  return { song: { style: 'cafe', bars, notes }, tempos };
}

/** Mean Jaccard similarity of every pair of bars (the "random bars" baseline of one export). */
function anyBarsSimilarity(song: Song): number {
  const bars = Array.from({ length: song.bars }, (_, bar) => new Set(song.notes.filter((n) => Math.floor(n.step / 16) === bar).map((n) => `${n.track}:${n.pitch}:${n.step % 16}`)));
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < bars.length; i++) {
    for (let j = i + 1; j < bars.length; j++) {
      const union = new Set([...bars[i], ...bars[j]]).size;
      if (union === 0) continue;
      total += [...bars[i]].filter((k) => bars[j].has(k)).length / union;
      pairs++;
    }
  }
  return total / pairs;
}

test('a 64-bar MIDI export of the default channel: held notes, few one-16ths and re-strikes, bars that return, and its tempo map', async () => {
  const { channel, generator, play } = await startLobby();
  try {
    await play(20 * ((4 * 60) / 88)); // 20 bars at 88
    channel.retune({ settings: { tempo: 140 } });
    await play(16 * ((4 * 60) / 140));
    channel.retune({ settings: { tempo: 88 } });
    await play(32 * ((4 * 60) / 88));
    const midi = channel.midi(64);
    assert.equal(midi.bars, 64);
    const { song, tempos } = exported(midi.bytes);

    // The tempo map: 88, then 140 for the bars played at 140, then 88 again.
    assert.deepEqual(tempos.map((t) => t.bpm), [88, 140, 88]);
    const fastBars = tempos[2].bar - tempos[1].bar;
    assert.ok(fastBars >= 14 && fastBars <= 18, `${fastBars} bars at 140 (16 asked, the switch lands on a bar line)`);

    const { figures } = measureListenerFigures([song]);
    for (const track of ['bass', 'chords', 'lead'] as const) {
      assert.ok(figures[`oneStep.${track}`] <= 0.25, `${track}: ${(figures[`oneStep.${track}`] * 100).toFixed(0)} % of notes one 16th long`);
      assert.ok(figures[`restrike.${track}`] <= 0.1, `${track}: ${(figures[`restrike.${track}`] * 100).toFixed(0)} % immediate re-strikes`);
    }
    const held = figures['heldAcross.bass'] + figures['heldAcross.chords'] + figures['heldAcross.lead'];
    assert.ok(held > 0, 'some notes held across bar lines');
    const lag4 = (['drums', 'bass', 'chords', 'lead'] as const).map((track) => similarityAtLag(song, track, 4).value);
    const baseline = anyBarsSimilarity(song);
    const allTracks = { ...song, notes: song.notes.map((n) => ({ ...n, track: 'chords' as const })) };
    assert.ok(similarityAtLag(allTracks, 'chords', 4).value > baseline, `bars 4 apart share ${similarityAtLag(allTracks, 'chords', 4).value.toFixed(2)}, any two bars ${baseline.toFixed(2)}`);
    assert.ok(lag4.filter((v) => v > 0).length >= 3, `lag-4 similarity per track ${lag4.map((v) => v.toFixed(2)).join(' ')}`);
  } finally {
    channel.dispose();
    await generator.dispose();
  }
});

test('over 5 minutes the key moves and comes home; each style plays in its tempo range unless a tempo is asked', async () => {
  const { channel, generator, play } = await startLobby();
  try {
    const keys: string[] = [];
    await play(300, () => {
      const key = channel.voice.key as string | null;
      if (key && keys.at(-1) !== key) keys.push(key);
    });
    assert.ok(keys.length >= 3, `keys in order: ${keys.join(' → ')}`);
    assert.equal(keys[0], 'C major');
    assert.ok(keys.slice(1).some((k) => k !== 'C major'), 'it leaves C');
    const away = keys.findIndex((k) => k !== keys[0]);
    assert.ok(keys.slice(away).includes(keys[0]) || keys.slice(away + 1).includes(keys[away - 1]), `and comes back: ${keys.join(' → ')}`);

    for (const style of ['house', 'ambient', 'cafe'] as const) {
      channel.retune({ settings: { style } });
      await play(12);
      const { min, max } = STYLE_TEMPOS[style];
      const tempo = channel.voice.tempo as number;
      assert.ok(tempo >= min && tempo <= max, `${style} at ${tempo} bpm, its range ${min}–${max}`);
      assert.match(channel.title, new RegExp(`${style} on cafe-piano, ${tempo} bpm`));
    }
    channel.retune({ settings: { style: 'house', tempo: 100 } });
    assert.equal(channel.voice.tempo, 100, 'a tempo asked with the style is kept');
  } finally {
    channel.dispose();
    await generator.dispose();
  }
});
