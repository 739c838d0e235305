import assert from 'node:assert/strict';
import test from 'node:test';
import { WavecastError } from '../core/errors.js';
import { parseChannelPatch } from './channel-patch.js';

function refusal(body: unknown): { field?: string; message: string } {
  try {
    parseChannelPatch(body);
  } catch (error) {
    assert.ok(error instanceof WavecastError);
    assert.equal(error.code, 'WAVECAST_ERR_BAD_REQUEST');
    return { field: error.field, message: error.message };
  }
  assert.fail(`accepted ${JSON.stringify(body)}`);
}

test('a valid change passes through with only the fields given', () => {
  assert.deepEqual(parseChannelPatch({ model: 'symbolic-songs', tempo: 120, volume: 0.5 }), { model: 'symbolic-songs', tempo: 120, volume: 0.5 });
});

test('each bad field is refused by name', () => {
  assert.equal(refusal({ tempo: 500 }).field, 'tempo');
  assert.match(refusal({ tempo: 500 }).message, /tempo: .*200/);
  assert.equal(refusal({ tempo: 100.5 }).field, 'tempo');
  assert.match(refusal({ tempo: 100.5 }).message, /tempo: tempos are whole bpm/);
  assert.equal(refusal({ variation: -1 }).field, 'variation');
  assert.equal(refusal({ volume: 'loud' }).field, 'volume');
  assert.equal(refusal({ instrument: 'kazoo' }).field, 'instrument');
  assert.match(refusal({ instrument: 'kazoo' }).message, /piano/);
  assert.equal(refusal({ style: 'polka' }).field, 'style');
  assert.equal(refusal({ model: '' }).field, 'model');
  assert.equal(refusal({ tempo: 100, colour: 'red' }).field, 'colour');
});

test('an empty change or a body that is not an object is refused', () => {
  assert.match(refusal({}).message, /at least one of model, version, style/);
  assert.match(refusal(null).message, /bad channel change/);
  assert.match(refusal([1]).message, /bad channel change/);
});
