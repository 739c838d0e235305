import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasCode } from '../../server/core/errors.js';
import { mulberry32 } from '../../server/core/seeded-random.js';
import { readPhraseDataset, writePhraseDataset, type StyledPhrase } from './phrase-dataset.js';
import { emptyRoll, PHRASE_VALUES } from '../../server/families/symbolic/piano-roll.js';

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wavecast-phrases-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function randomPhrase(seed: number, density: number): Float32Array {
  const random = mulberry32(seed);
  const roll = emptyRoll();
  for (let i = 0; i < roll.length; i++) roll[i] = random() < density ? 1 : 0;
  return roll;
}

test('writePhraseDataset then readPhraseDataset gives back the same styles and cells', async () => {
  await withTempDir(async (dir) => {
    const phrases: StyledPhrase[] = [
      { style: 'cafe', roll: randomPhrase(1, 0.05) },
      { style: 'house', roll: randomPhrase(2, 0.2) },
      { style: 'ambient', roll: emptyRoll() },
    ];
    phrases[0].roll[PHRASE_VALUES - 1] = 1;
    const file = path.join(dir, 'nested', 'phrases.json');
    await writePhraseDataset(file, phrases);
    const back = await readPhraseDataset(file);
    assert.deepEqual(back.map((p) => p.style), ['cafe', 'house', 'ambient']);
    for (const [i, phrase] of back.entries()) assert.deepEqual(phrase.roll, phrases[i].roll, `phrase ${i}`);

    const json = JSON.parse(await readFile(file, 'utf8'));
    assert.deepEqual(
      { format: json.format, version: json.version, steps: json.steps, rows: json.rows },
      { format: 'wavecast-phrases', version: 1, steps: 64, rows: 81 },
    );
    const cells: number[] = json.phrases[0].cells;
    assert.equal(cells.length, phrases[0].roll.filter((v) => v === 1).length, 'sparse: only active cells');
    assert.equal(cells.at(-1), PHRASE_VALUES - 1);
    assert.deepEqual(await readdir(path.dirname(file)), ['phrases.json'], 'no temporary file left behind');

    // Writing again replaces the file as a whole.
    await writePhraseDataset(file, phrases.slice(2));
    assert.equal((await readPhraseDataset(file)).length, 1);
  });
});

test('readPhraseDataset names the file and the bad field', async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, 'bad.json');
    const good = { format: 'wavecast-phrases', version: 1, steps: 64, rows: 81, phrases: [{ style: 'cafe', cells: [1, 2] }] };
    const cases: [unknown, RegExp][] = [
      [{ ...good, phrases: [good.phrases[0], { style: 'jazz', cells: [] }] }, /field "phrases\[1\]\.style"/],
      [{ ...good, phrases: [{ style: 'cafe', cells: [0, 5, PHRASE_VALUES] }] }, /field "phrases\[0\]\.cells\[2\]"/],
      [{ ...good, phrases: [{ style: 'cafe', cells: [0.5] }] }, /field "phrases\[0\]\.cells\[0\]"/],
      [{ ...good, rows: 80 }, /field "rows"/],
      [{ ...good, format: 'something-else' }, /field "format"/],
      [{ ...good, phrases: [{ style: 'cafe' }] }, /field "phrases\[0\]\.cells" is missing/],
    ];
    for (const [content, field] of cases) {
      await writeFile(file, JSON.stringify(content));
      await assert.rejects(readPhraseDataset(file), (error: Error) => {
        assert.ok(hasCode(error, 'WAVECAST_ERR_CONFIG'), String(error));
        assert.ok(error.message.startsWith(`${file}: `), error.message);
        assert.match(error.message, field);
        return true;
      });
    }
    await writeFile(file, '{ not json');
    await assert.rejects(readPhraseDataset(file), new RegExp(`${file}: not valid JSON`));
    await assert.rejects(readPhraseDataset(path.join(dir, 'absent.json')), /absent\.json: missing/);
    await assert.rejects(writePhraseDataset(file, [{ style: 'cafe', roll: new Float32Array(10) }]), RangeError);
  });
});
