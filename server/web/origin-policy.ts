/**
 * Which browser origins may use wavecast from another site: the public read API (CORS) and the
 * WebSocket feed (browsers send Origin on a WebSocket handshake and do not apply CORS to it, so
 * the server checks). A request without Origin (a game engine, a player, curl) is always served;
 * so is a page from the server's own origin. Others need `server.corsOrigins` to name them, or `*`.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/** True when a request with this Origin (and Host) may be served. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined || allowed.includes('*')) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // `null` (a sandboxed page, a file) or garbage: not an origin anyone allowed
  }
  if (host !== undefined && parsed.host === host) return true;
  return allowed.includes(parsed.origin);
}

/** CORS for read-only routes (GET, HEAD) from the allowed origins; nothing for the rest. */
export function readOnlyCors(allowed: readonly string[]): MiddlewareHandler {
  return cors({
    origin: (origin) => {
      if (allowed.includes('*')) return '*';
      return allowed.includes(origin) ? origin : null;
    },
    allowMethods: ['GET', 'HEAD'],
    maxAge: 600,
  });
}
