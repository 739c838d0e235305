/**
 * How an error leaves the HTTP edge: a JSON body `{ error: { code, message, field? } }` with the status
 * of its code. Errors without a code are logged and answered 500 without their details.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { WavecastError } from '../core/errors.js';
import { logger } from '../core/logger.js';

const log = logger('http');

export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof WavecastError) {
    const field = error.field === undefined ? {} : { field: error.field };
    return c.json({ error: { code: error.code, message: error.message, ...field } }, error.httpStatus as ContentfulStatusCode);
  }
  log.error({ err: error, path: c.req.path }, 'unhandled error');
  return c.json({ error: { code: 'WAVECAST_ERR_INTERNAL', message: 'internal error' } }, 500);
}
