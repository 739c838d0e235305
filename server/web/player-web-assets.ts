/**
 * The browser pages (player-web/): bundled with esbuild when the server starts, into memory, and
 * served from there. No build step to forget on a fresh clone, and the bundle always matches the
 * source (30–60 ms of start-up, measured here).
 *
 *   GET /         player-web/index.html   (listener page)
 *   GET /panel    player-web/panel.html   (operator panel)
 *   GET /assets/* the bundles: listener.js, panel.js (+ panel.css), pcm-worklet.js, style.css
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { Hono } from 'hono';
import { PROJECT_ROOT } from '../core/project-root.js';
import { WavecastError } from '../core/errors.js';

export const PLAYER_WEB_DIR = path.join(PROJECT_ROOT, 'player-web');
const ENTRY_POINTS = ['listener.ts', 'panel.ts', 'pcm-worklet.ts', 'style.css'];
const PAGES = { '/': 'index.html', '/panel': 'panel.html' } as const;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export interface Asset {
  bytes: Uint8Array;
  contentType: string;
}

/** Bundles the pages' scripts and styles; the map's keys are URL paths (`/assets/panel.js`, `/`, `/panel`). */
export async function buildPlayerWeb(dir = PLAYER_WEB_DIR): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  let result;
  try {
    result = await build({
      entryPoints: ENTRY_POINTS.map((name) => path.join(dir, 'src', name)),
      outdir: path.join(dir, 'dist'),
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
  } catch (error) {
    throw new WavecastError('WAVECAST_ERR_CONFIG', `player-web did not build: ${(error as Error).message}`, { cause: error });
  }
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    assets.set(`/assets/${name}`, { bytes: file.contents, contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream' });
  }
  for (const [route, file] of Object.entries(PAGES)) {
    assets.set(route, { bytes: await readFile(path.join(dir, file)), contentType: CONTENT_TYPES['.html'] });
  }
  return assets;
}

/** Routes that answer from the built assets (404 JSON for an unknown asset). */
export function playerWebRoutes(assets: Map<string, Asset>): Hono {
  const routes = new Hono();
  const send = (asset: Asset) =>
    new Response(asset.bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': asset.contentType, 'cache-control': 'no-cache' },
    });
  for (const route of Object.keys(PAGES)) routes.get(route, () => send(assets.get(route)!));
  routes.get('/assets/:name', (c) => {
    const asset = assets.get(`/assets/${c.req.param('name')}`);
    if (!asset) return c.json({ error: { code: 'WAVECAST_ERR_NOT_FOUND', message: `no asset ${c.req.path}` } }, 404);
    return send(asset);
  });
  return routes;
}
