/**
 * Read-only API: what is playing, which models exist, and the notes a symbolic channel played as
 * a MIDI file. Operator writes are in operator-routes.ts.
 */
import { Hono } from 'hono';
import { WavecastError } from '../core/errors.js';
import { errorResponse } from './error-response.js';
import type { Station } from '../station/station.js';
import { notesToMidi } from '../families/symbolic/midi-file.js';
import { STEPS_PER_BAR } from '../families/symbolic/piano-roll.js';
import type { Note } from '../families/symbolic/roll-notes.js';
import { channelSummary } from './channel-summary.js';

/** Bars a MIDI export may ask for. */
export const MIDI_BARS = { min: 1, max: 64, default: 8 } as const;

export function apiRoutes(station: Station): Hono {
  const api = new Hono();
  api.get('/channels', (c) => c.json([...station.channels.values()].map((channel) => channelSummary(station, channel))));
  api.get('/channels/:id/midi', (c) => {
    try {
      const channel = station.channel(c.req.param('id'));
      const bars = parseBars(c.req.query('bars'));
      if (!channel.symbolic) {
        throw new WavecastError('WAVECAST_ERR_NO_NOTES', `channel "${channel.id}" plays a waveform model: it has no notes to export`);
      }
      const played = channel.playedBars(bars);
      if (played.length === 0) {
        throw new WavecastError('WAVECAST_ERR_NO_NOTES', `channel "${channel.id}" has not played a bar yet; try again in a few seconds`);
      }
      // Bars laid end to end from bar 0; a note keeps its length, even past the last bar.
      const notes: Note[] = played.flatMap((bar, i) => bar.notes.map((note) => ({ ...note, step: note.step + i * STEPS_PER_BAR })));
      const bytes = notesToMidi(notes, { bpm: played[played.length - 1].bpm, name: `wavecast ${channel.id}` });
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'audio/midi',
        'Content-Disposition': `attachment; filename="${channel.id}-${played.length}-bars.mid"`,
        'Cache-Control': 'no-store',
      });
    } catch (error) {
      return errorResponse(c, error);
    }
  });
  api.get('/models', async (c) => {
    // A trainer may have published a checkpoint since start: the picker should offer it.
    await station.refreshModels();
    return c.json(station.models());
  });
  return api;
}

/** `?bars=` as a whole number of bars in MIDI_BARS, or WAVECAST_ERR_BAD_REQUEST naming the value. */
function parseBars(raw: string | undefined): number {
  if (raw === undefined) return MIDI_BARS.default;
  const bars = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(bars) || bars < MIDI_BARS.min || bars > MIDI_BARS.max) {
    throw new WavecastError(
      'WAVECAST_ERR_BAD_REQUEST',
      `bars must be a whole number from ${MIDI_BARS.min} to ${MIDI_BARS.max}, got ${JSON.stringify(raw)}`,
    );
  }
  return bars;
}
