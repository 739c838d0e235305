import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { feedTarget } from './feed-url.js';
import { defaultCacheDir, parsePlayerOptions, type PlayerOptions } from './player-options.js';

test('a channel URL gives the MP3 stream or the float PCM feed, either from either', () => {
  assert.deepEqual(feedTarget('http://shop-box:8000/stream/lobby'), { kind: 'mp3', url: 'http://shop-box:8000/stream/lobby', host: 'shop-box:8000', channel: 'lobby' });
  assert.equal(feedTarget('http://shop-box:8000/stream/lobby', 'ws').url, 'ws://shop-box:8000/ws/lobby?format=f32le&burst=2');
  assert.equal(feedTarget('wss://radio.example/ws/lounge?format=s16le&burst=1').url, 'wss://radio.example/ws/lounge?format=f32le&burst=1');
  assert.equal(feedTarget('wss://radio.example/ws/lounge', 'mp3').url, 'https://radio.example/stream/lounge');
  assert.equal(feedTarget('http://h:1/ws/x/').kind, 'ws');
});

test('bad arguments are refused with what was expected', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /the channel URL is missing/],
    [['shop-box:8000/stream/lobby'], /shop-box:? URLs are not played|not a URL/],
    [['lobby'], /not a URL: "lobby"; expected a channel URL like http:\/\/HOST:8000\/stream\/lobby/],
    [['ftp://h/stream/a'], /ftp: URLs are not played/],
    [['http://h:8000/'], /"\/" is not a channel's stream or feed path/],
    [['http://h/stream/a', 'http://h/stream/b'], /one channel URL only/],
    [['http://h/stream/a', '--feed', 'ogg'], /--feed must be mp3 or ws, got "ogg"/],
    [['http://h/stream/a', '--sink', 'hdmi'], /--sink must be default or none/],
    [['http://h/stream/a', '--volume', 'loud'], /--volume must be a number from 0 to 1, got "loud"/],
    [['http://h/stream/a', '--cache-minutes', '0'], /--cache-minutes must be a number from 0.05/],
    [['http://h/stream/a', '--stall=-1'], /--stall must be a number from 0.1 to 60, got "-1"/],
    [['http://h/stream/a', '--record', 'out.mp3'], /--record writes a WAV file/],
    [['http://h/stream/a', '--schedule', '/nonexistent/volume.json'], /--schedule: cannot read \/nonexistent\/volume.json \(ENOENT\)/],
    [['http://h/stream/a', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [argv, message] of cases) assert.throws(() => parsePlayerOptions(argv), message, argv.join(' '));
});

test('options: defaults, a schedule file, and the cache folder per host and channel', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'player-options-'));
  try {
    const file = path.join(dir, 'volume.json');
    writeFileSync(file, '[{"from":"08:00","to":"11:00","volume":0.6}]');
    const options = parsePlayerOptions(['http://shop-box:8000/stream/lobby', '--schedule', file, '--volume', '0.8']) as PlayerOptions;
    assert.equal(options.cacheMinutes, 30);
    assert.equal(options.stall, 1);
    assert.equal(options.sink, 'default');
    assert.equal(options.volume, 0.8);
    assert.equal(options.schedule.length, 1);
    writeFileSync(file, '[{"from":"08:00","to":"11:00","volume":6}]');
    assert.throws(() => parsePlayerOptions(['http://h/stream/a', '--schedule', file]), /--schedule .*volume.json: schedule\[0\]\.volume must be a number from 0 to 1, got 6/);
    const target = feedTarget('http://shop-box:8000/stream/lobby');
    assert.equal(defaultCacheDir(target, { XDG_CACHE_HOME: '/var/cache/me' }, 'linux'), '/var/cache/me/wavecast-play/shop-box_8000-lobby');
    assert.equal(defaultCacheDir(target, { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32').includes('wavecast-play'), true);
    assert.deepEqual(parsePlayerOptions(['--help']), { help: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
