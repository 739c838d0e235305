import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sniffSampleRate } from './audio-sample-rate.js';

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const u32 = (value: number) => [value & 255, (value >> 8) & 255, (value >> 16) & 255, value >>> 24];
const u16 = (value: number) => [value & 255, value >> 8];

test('sample rate from the header: WAV (after other chunks), FLAC, Ogg Vorbis, Opus, MP3 after an ID3 tag', () => {
  const wav = [...ascii('RIFF'), ...u32(0), ...ascii('WAVE'), ...ascii('LIST'), ...u32(3), 1, 2, 3, 0, ...ascii('fmt '), ...u32(16), ...u16(1), ...u16(2), ...u32(44100), ...u32(0), ...u16(4), ...u16(16)];
  assert.equal(sniffSampleRate(new Uint8Array(wav)), 44100);
  // STREAMINFO: 2+2 block sizes, 3+3 frame sizes, then 20 bits of rate (22050 = 0x05622).
  const flac = [...ascii('fLaC'), 0x80, 0, 0, 34, 0, 16, 0, 16, 0, 0, 0, 0, 0, 0, 0x05, 0x62, 0x20 | 0x02, ...Array(21).fill(0)];
  assert.equal(sniffSampleRate(new Uint8Array(flac)), 22050);
  const oggPage = (packet: number[]) => [...ascii('OggS'), 0, 2, ...Array(20).fill(0), 1, packet.length, ...packet];
  assert.equal(sniffSampleRate(new Uint8Array(oggPage([1, ...ascii('vorbis'), ...u32(0), 2, ...u32(32000), ...Array(16).fill(0)]))), 32000);
  assert.equal(sniffSampleRate(new Uint8Array(oggPage([...ascii('OpusHead'), 1, 2, 0, 0, ...u32(44100)]))), 48000);
  const id3 = [...ascii('ID3'), 4, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5];
  assert.equal(sniffSampleRate(new Uint8Array([...id3, 0xff, 0xfb, 0x90, 0x64, 0, 0])), 44100); // MPEG-1 layer III, 128 kbit/s
  assert.equal(sniffSampleRate(new Uint8Array([0xff, 0xf3, 0x94, 0x64, 0, 0])), 24000); // MPEG-2, rate index 1
  assert.equal(sniffSampleRate(new Uint8Array(ascii('garbage, not audio'))), undefined);
  assert.equal(sniffSampleRate(new Uint8Array(0)), undefined);
});
