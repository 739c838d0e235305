/**
 * Operator writes: `PATCH /api/channels/:id` changes what a channel plays, live;
 * `PUT /api/models/:id/current` rolls a model back (or forward) to a kept version; `GET /api/operator`
 * checks a token and tells the panel the controls' ranges. Every route here needs the operator
 * token (401 before anything runs otherwise).
 */
import { Hono } from 'hono';
import { CONTROL_CHOICES, CONTROL_RANGES } from '../config/config-schema.js';
import { WavecastError } from '../core/errors.js';
import { errorResponse } from './error-response.js';
import { requireOperator } from './operator-auth.js';
import { parseChannelPatch } from '../station/channel-patch.js';
import type { Station } from '../station/station.js';
import { channelSummary } from './channel-summary.js';
import type { CurrentVersionChange, ModelSummary, OperatorInfo } from './wire.js';

export function operatorRoutes(station: Station, operatorToken: string): Hono {
  const api = new Hono();
  const operator = requireOperator(operatorToken);
  api.get('/operator', operator, (c) => c.json({ ok: true, controls: CONTROL_RANGES, choices: CONTROL_CHOICES as OperatorInfo['choices'] } satisfies OperatorInfo));
  api.patch('/channels/:id', operator, async (c) => {
    const id = c.req.param('id');
    try {
      station.channel(id); // 404 before reading the body
      const body = await jsonBody(c.req.raw, 'bad channel change');
      const on = await station.updateChannel(id, parseChannelPatch(body));
      // The title the change puts on air (in about server.switchLead s), not the one still playing.
      return c.json({ ...channelSummary(station, on), title: on.channel.upcomingTitle });
    } catch (error) {
      if (error instanceof WavecastError && error.code === 'WAVECAST_ERR_BAD_REQUEST') {
        station.problems.add({ channel: id, code: error.code, message: `change refused: ${error.message}` });
      }
      return errorResponse(c, error);
    }
  });
  api.put('/models/:id/current', operator, async (c) => {
    const id = c.req.param('id');
    try {
      const body = await jsonBody(c.req.raw, 'bad version change');
      const version = (body as Partial<CurrentVersionChange> | null)?.version;
      if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
        throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `bad version change: version must be a positive whole number, got ${JSON.stringify(version)}`, { field: 'version' });
      }
      await station.setLatest(id, version);
      const model = station.models().find((m) => m.id === id);
      return c.json(model satisfies ModelSummary | undefined);
    } catch (error) {
      if (error instanceof WavecastError) station.problems.add({ code: error.code, message: `version change refused: ${error.message}` });
      return errorResponse(c, error);
    }
  });
  return api;
}

/** The request's body as JSON, or WAVECAST_ERR_BAD_REQUEST saying it is not valid JSON and where. */
async function jsonBody(request: Request, what: string): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    const empty = text.trim() === '';
    throw new WavecastError('WAVECAST_ERR_BAD_REQUEST', `${what}: the body ${empty ? 'is empty' : `is not valid JSON (${(error as Error).message})`}; send a JSON object`);
  }
}
