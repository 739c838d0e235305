/**
 * The phrase dataset file the symbolic trainer reads: styled 4-bar piano-roll phrases, stored
 * sparse (the indices of the active cells), one phrase a line so a diff shows which changed:
 *
 *     { "format": "wavecast-phrases", "version": 1, "steps": 64, "rows": 81,
 *       "phrases": [{ "style": "cafe", "cells": [0, 57, 1296, …] }, …] }
 *
 * File I/O lives here; `phrase-cutting.ts` makes the phrases. A bad file is a WAVECAST_ERR_CONFIG (the
 * dataset is operator-supplied input, like the config) whose message names the file and field,
 * e.g. `data/x.json: field "phrases[3].style" must be "house" or "cafe" or "ambient", got "jazz"`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { formatFieldPath } from '../../server/core/field-path.js';
import { WavecastError } from '../../server/core/errors.js';
import { assertPhrase, emptyRoll, PHRASE_VALUES, ROWS, STEPS_PER_PHRASE, STYLES, type PianoRoll, type Style } from '../../server/families/symbolic/piano-roll.js';

export const PHRASE_DATASET_FORMAT = 'wavecast-phrases';
export const PHRASE_DATASET_VERSION = 1;

/** One training example: a binary phrase and the style it is an example of. */
export interface StyledPhrase {
  style: Style;
  roll: PianoRoll;
}

const phraseDatasetSchema = z.object({
  format: z.literal(PHRASE_DATASET_FORMAT),
  version: z.literal(PHRASE_DATASET_VERSION),
  steps: z.literal(STEPS_PER_PHRASE),
  rows: z.literal(ROWS),
  phrases: z.array(
    z.object({
      style: z.enum(STYLES),
      cells: z.array(z.number().int().min(0).max(PHRASE_VALUES - 1)),
    }),
  ),
});

/**
 * Writes phrases to `file` atomically (a temporary file beside it, renamed into place), creating
 * the folder when missing. Cells at or above 0.5 are stored as active.
 */
export async function writePhraseDataset(file: string, phrases: readonly StyledPhrase[]): Promise<void> {
  const lines = phrases.map(({ style, roll }, index) => {
    if (!STYLES.includes(style)) throw new RangeError(`phrase ${index}: unknown style ${JSON.stringify(style)}`);
    assertPhrase(roll);
    const cells: number[] = [];
    for (let i = 0; i < roll.length; i++) if (roll[i] >= 0.5) cells.push(i);
    return JSON.stringify({ style, cells });
  });
  const head = { format: PHRASE_DATASET_FORMAT, version: PHRASE_DATASET_VERSION, steps: STEPS_PER_PHRASE, rows: ROWS };
  const text = `${JSON.stringify(head).slice(0, -1)},\n"phrases": [${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads and validates a phrase dataset. Throws WAVECAST_ERR_CONFIG naming the file and field. */
export async function readPhraseDataset(file: string): Promise<StyledPhrase[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: ${reason === 'ENOENT' ? 'missing' : `cannot read (${reason})`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: not valid JSON (${(error as Error).message})`);
  }
  const result = phraseDatasetSchema.safeParse(json, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path.length ? `field "${formatFieldPath(issue.path)}"` : 'the file';
      return issue.input === undefined && issue.path.length ? `${field} is missing` : `${field}: ${issue.message}`;
    });
    throw new WavecastError('WAVECAST_ERR_CONFIG', `${file}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
  }
  return result.data.phrases.map(({ style, cells }) => {
    const roll = emptyRoll();
    for (const cell of cells) roll[cell] = 1;
    return { style, roll };
  });
}
