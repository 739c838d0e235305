/**
 * npm reads this project's configuration without complaint: no key in `.npmrc` that npm does not
 * know (npm warns on every command, and its next major version stops passing such keys on), and
 * onnxruntime-node's install script, which would fetch CUDA libraries from nuget.org, denied by
 * package.json's `allowScripts` (npm ≥ 11.16) instead.
 * Run: node --import tsx --test test/npm-config.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../server/core/project-root.js';

test('npm commands print no warning about the project config', () => {
  const run = spawnSync('npm', ['config', 'list'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /Unknown (project|user|global|env) config/);
});

test("onnxruntime-node's install script stays denied", () => {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.allowScripts?.['onnxruntime-node'], false);
});
