/**
 * The import rules (.dependency-cruiser.cjs) catch what they forbid: a throwaway tree with one
 * planted violation per rule is cruised with the project's own rules file, and each rule must
 * name its violation; a tree that keeps the rules must pass. (`npm test` also cruises the real
 * tree before anything else runs.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/core/project-root.js';

const DEPCRUISE = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'depcruise');

/** A tree of files (path → imported paths, each written as a relative `.js` import), cruised with the project's rules. */
function cruise(files: Record<string, string[]>): { status: number | null; output: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'wavecast-import-rules-'));
  try {
    cpSync(path.join(PROJECT_ROOT, '.dependency-cruiser.cjs'), path.join(root, '.dependency-cruiser.cjs'));
    writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
    const all = new Set([...Object.keys(files), ...Object.values(files).flat()]);
    for (const file of all) {
      const imports = (files[file] ?? []).map((target) => {
        let relative = path.relative(path.dirname(file), target).replace(/\.ts$/, '.js');
        if (!relative.startsWith('.')) relative = `./${relative}`;
        return `import { value as v${Math.abs(hash(target))} } from '${relative}';\n`;
      });
      mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(root, file), `${imports.join('')}export const value = 1;\n`);
    }
    const result = spawnSync(DEPCRUISE, ['server', 'scripts', 'player-web', '--config', '.dependency-cruiser.cjs'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

const LAYERS = ['core', 'dsp', 'families', 'config', 'inference', 'stream', 'broadcast', 'station', 'web'];

/** Each rule and a violation of it: the importing file and the file it must not import. */
const PLANTED: Array<[rule: string, from: string, to: string]> = [
  ...LAYERS.slice(0, -1).map((layer, i): [string, string, string] => [`no-upward-from-${layer}`, `server/${layer}/planted-${layer}.ts`, `server/${LAYERS[i + 1]}/above-${layer}.ts`]),
  ['no-upward-from-web', 'server/web/planted-web.ts', 'server/main.ts'],
  ['families-apart', 'server/families/waveform/planted-apart.ts', 'server/families/symbolic/other-family.ts'],
  ['families-not-registry', 'server/families/symbolic/planted-registry.ts', 'server/families/registry.ts'],
  ['only-through-the-family-interface', 'server/stream/planted-family.ts', 'server/families/symbolic/family-inside.ts'],
  ['server-not-into-scripts', 'server/web/planted-scripts.ts', 'scripts/some-cli.ts'],
  ['training-through-families-and-inference', 'scripts/training/planted-trainer.ts', 'server/stream/stream-inside.ts'],
  ['player-web-only-wire', 'player-web/src/planted-page.ts', 'server/core/core-inside.ts'],
  ['no-test-code-in-production', 'server/stream/planted-helper-user.ts', 'server/stream/fake.test-helper.ts'],
];

test('each rule names a violation planted against it, and a cycle is caught', () => {
  const files: Record<string, string[]> = {
    'server/dsp/cycle-a.ts': ['server/dsp/cycle-b.ts'],
    'server/dsp/cycle-b.ts': ['server/dsp/cycle-a.ts'],
  };
  for (const [, from, to] of PLANTED) files[from] = [...(files[from] ?? []), to];
  const { status, output } = cruise(files);
  assert.notEqual(status, 0, output);
  for (const [rule, from, to] of PLANTED) assert.ok(output.includes(`error ${rule}: ${from} → ${to}`), `${rule} did not fire on ${from} → ${to}:\n${output}`);
  assert.match(output, /error no-circular: server\/dsp\/cycle-a\.ts → /);
});

test('a tree that imports only downward, and through the family interface, passes', () => {
  const { status, output } = cruise({
    'server/main.ts': ['server/web/app.ts'],
    'server/web/app.ts': ['server/station/station.ts', 'server/web/wire.ts'],
    'server/station/station.ts': ['server/broadcast/output.ts', 'server/stream/channel.ts'],
    'server/broadcast/output.ts': ['server/stream/channel.ts'],
    'server/stream/channel.ts': ['server/inference/generator.ts', 'server/families/registry.ts', 'server/config/schema.ts'],
    'server/inference/generator.ts': ['server/families/family.ts'],
    'server/config/schema.ts': ['server/families/registry.ts'],
    'server/families/registry.ts': ['server/families/symbolic/symbolic-family.ts', 'server/families/family.ts'],
    'server/families/symbolic/symbolic-family.ts': ['server/families/family.ts', 'server/dsp/limiter.ts'],
    'server/dsp/limiter.ts': ['server/core/units.ts'],
    'server/stream/channel.test.ts': ['server/families/symbolic/symbolic-family.ts', 'server/stream/fake.test-helper.ts'],
    'scripts/training/trainer.ts': ['server/families/symbolic/symbolic-family.ts', 'server/inference/generator.ts', 'server/core/units.ts'],
    'scripts/bench.ts': ['server/web/app.ts', 'scripts/training/trainer.ts'],
    'player-web/src/page.ts': ['server/web/wire.ts'],
  });
  assert.equal(status, 0, output);
  assert.match(output, /no dependency violations found/);
});
