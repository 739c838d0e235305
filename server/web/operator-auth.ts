/**
 * Operator writes need `Authorization: Bearer <OPERATOR_TOKEN>`. Without it (or with another
 * token) the request is answered 401 before its handler runs, so nothing changes.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { WavecastError } from '../core/errors.js';
import { errorResponse } from './error-response.js';


/** True when `header` is `Bearer <token>`; compared in constant time so timing tells nothing. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Hono middleware: 401 (WAVECAST_ERR_UNAUTHORIZED) unless the bearer token is `token`. */
export function requireOperator(token: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!bearerMatches(header, token)) {
      const why = header ? 'the bearer token is not the operator token' : 'no Authorization header';
      return errorResponse(
        c,
        new WavecastError('WAVECAST_ERR_UNAUTHORIZED', `operator token required (Authorization: Bearer <OPERATOR_TOKEN>): ${why}`),
      );
    }
    await next();
  };
}
