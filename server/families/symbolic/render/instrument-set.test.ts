import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRACKS } from '../piano-roll.js';
import { INSTRUMENT_SETS, INSTRUMENTS, isInstrumentSetName, needsPianoSamples } from './instrument-set.js';

test('every set names a voice (or silence) and a sane level for every track', () => {
  assert.deepEqual(Object.keys(INSTRUMENTS).sort(), [...INSTRUMENT_SETS].sort());
  for (const name of INSTRUMENT_SETS) {
    for (const track of TRACKS) {
      const instrument = INSTRUMENTS[name][track.name];
      assert.notEqual(instrument, undefined, `${name} ${track.name}`);
      if (instrument) assert.ok(instrument.gain > 0 && instrument.gain <= 1, `${name} ${track.name}: gain ${instrument.gain}`);
    }
  }
});

test('piano: sampled bass and chords, silent drums; electronic: synth only, no samples to load', () => {
  assert.equal(INSTRUMENTS.piano.drums, null);
  assert.equal(INSTRUMENTS.piano.bass?.voice.name, 'piano');
  assert.equal(INSTRUMENTS.piano.chords?.voice.name, 'piano');
  assert.equal(INSTRUMENTS.band.chords?.voice.name, 'piano');
  assert.equal(INSTRUMENTS.electronic.chords?.voice.name, 'pad');
  assert.equal(needsPianoSamples(INSTRUMENTS.piano), true);
  assert.equal(needsPianoSamples(INSTRUMENTS.band), true);
  assert.equal(needsPianoSamples(INSTRUMENTS.electronic), false);
});

test('isInstrumentSetName accepts exactly the listed names', () => {
  for (const name of INSTRUMENT_SETS) assert.ok(isInstrumentSetName(name));
  for (const name of ['Piano', 'kazoo', '', 3, null]) assert.ok(!isInstrumentSetName(name), String(name));
});
