import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IcyInterleaver } from '../../server/broadcast/icy-metadata.js';
import { IcyAudioCounter } from './icy-audio-counter.js';

test('counts the audio of an ICY body without its metadata blocks, however it is cut', () => {
  const interleaver = new IcyInterleaver({ metaint: 100 });
  const pieces: Uint8Array[] = [];
  let audio = 0;
  for (let i = 0; i < 40; i++) {
    const bytes = new Uint8Array(37 + (i % 5) * 11).fill(0xaa);
    audio += bytes.length;
    pieces.push(...interleaver.write(bytes, i < 20 ? 'first' : 'second'));
  }
  const body = Buffer.concat(pieces);
  for (const cut of [1, 7, 100, 101, body.length]) {
    const counter = new IcyAudioCounter(100);
    for (let at = 0; at < body.length; at += cut) counter.push(body.subarray(at, at + cut));
    assert.equal(counter.audioBytes, audio, `cut every ${cut} bytes`);
    assert.equal(counter.titles, 2, 'the first block and the change carry a title');
  }
});

test('without metaint every byte is audio', () => {
  const counter = new IcyAudioCounter(undefined);
  counter.push(new Uint8Array(300));
  assert.equal(counter.audioBytes, 300);
});
