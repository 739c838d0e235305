import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../core/errors.js';
import { createMp3Encoder } from './create-mp3-encoder.js';
import { findLameBinary } from './find-lame-binary.js';

const options = { sampleRate: 44100, channels: 2 } as const;

test('auto picks the lame binary when installed, lamejs otherwise', () => {
  const encoder = createMp3Encoder(options);
  try {
    assert.equal(encoder.name, findLameBinary() === undefined ? 'lamejs' : 'lame-binary');
    assert.equal(encoder.contentType, 'audio/mpeg');
  } finally {
    encoder.dispose();
  }
});

test('lamejs on request', () => {
  assert.equal(createMp3Encoder({ ...options, prefer: 'lamejs' }).name, 'lamejs');
});

test('lame on request: the binary, or an error naming it', () => {
  if (findLameBinary() === undefined) {
    assert.throws(
      () => createMp3Encoder({ ...options, prefer: 'lame' }),
      (error) => hasCode(error, 'WAVECAST_ERR_ENCODER') && /`lame` binary/.test((error as Error).message),
    );
  } else {
    const encoder = createMp3Encoder({ ...options, prefer: 'lame' });
    assert.equal(encoder.name, 'lame-binary');
    encoder.dispose();
  }
});

test('bad MP3 options are named whichever encoder would run', () => {
  for (const prefer of ['auto', 'lamejs', 'lame'] as const) {
    assert.throws(
      () => createMp3Encoder({ ...options, bitrate: 100, prefer }),
      (error) => hasCode(error, 'WAVECAST_ERR_CONFIG') && /^bitrate 100/.test((error as Error).message),
    );
  }
});
