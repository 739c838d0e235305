/**
 * The root logger's choices: readable lines on a terminal, JSON lines for anything that reads
 * them back (files, pipes, log shippers, tests), LOG_FORMAT to say which; and LOG_DESTINATION,
 * with which a script keeps its stdout for results alone (`npm run bench -- --json`).
 * Run: node --import tsx --test server/core/logger.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chooseLogDestination, chooseLogFormat } from './logger.js';
import { PROJECT_ROOT } from './project-root.js';

test('pretty on a terminal, JSON when piped or under the test runner', () => {
  assert.equal(chooseLogFormat({ isTTY: true, env: {} }), 'pretty');
  assert.equal(chooseLogFormat({ isTTY: false, env: {} }), 'json');
  assert.equal(chooseLogFormat({ isTTY: undefined, env: {} }), 'json', 'a worker thread or a closed stdout');
  assert.equal(chooseLogFormat({ isTTY: true, env: { NODE_TEST_CONTEXT: 'child-v8' } }), 'json');
});

test('LOG_FORMAT overrides the guess, and a wrong value is named', () => {
  assert.equal(chooseLogFormat({ isTTY: true, env: { LOG_FORMAT: 'json' } }), 'json');
  assert.equal(chooseLogFormat({ isTTY: false, env: { LOG_FORMAT: 'pretty' } }), 'pretty');
  assert.equal(chooseLogFormat({ isTTY: false, env: { LOG_FORMAT: '' } }), 'json');
  assert.throws(() => chooseLogFormat({ isTTY: true, env: { LOG_FORMAT: 'yaml' } }), /LOG_FORMAT.*"yaml".*json, pretty/);
});

test('logs go to stdout unless LOG_DESTINATION says stderr', () => {
  assert.equal(chooseLogDestination({}), 'stdout');
  assert.equal(chooseLogDestination({ LOG_DESTINATION: 'stderr' }), 'stderr');
  assert.throws(() => chooseLogDestination({ LOG_DESTINATION: 'syslog' }), /LOG_DESTINATION.*"syslog".*stdout, stderr/);
});

/** Runs a module body in a child with logging on (the test runner would silence it). */
function runLogging(body: string, env: NodeJS.ProcessEnv = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  delete childEnv.LOG_FORMAT;
  delete childEnv.LOG_DESTINATION;
  Object.assign(childEnv, env);
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', body], { cwd: PROJECT_ROOT, env: childEnv, encoding: 'utf8', timeout: 30_000 });
}

test('a script that imports scripts/logs-to-stderr.ts first keeps stdout for its results', () => {
  const run = runLogging(`
    import './scripts/logs-to-stderr.ts';
    import { logger } from './server/core/logger.ts';
    logger('station').info('station stopped');
    console.log(JSON.stringify({ rtf: 12.5 }));`);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { rtf: 12.5 }, 'stdout is one JSON document');
  const line = JSON.parse(run.stderr.trim().split('\n').at(-1)!);
  assert.equal(line.module, 'station');
  assert.equal(line.msg, 'station stopped');
});

test('piped, a log line is JSON; with LOG_FORMAT=pretty it reads as text', () => {
  const body = `import { logger } from './server/core/logger.ts'; logger('mixer').info('ready');`;
  const json = runLogging(body);
  assert.equal(json.status, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).msg, 'ready');
  const pretty = runLogging(body, { LOG_FORMAT: 'pretty' });
  assert.equal(pretty.status, 0, pretty.stderr);
  assert.match(pretty.stdout, /INFO.*\(mixer\).*ready|INFO.*ready/);
  assert.throws(() => JSON.parse(pretty.stdout));
});

test('bench.ts imports logs-to-stderr before anything that could log', () => {
  const source = readFileSync(path.join(PROJECT_ROOT, 'scripts/bench.ts'), 'utf8');
  const firstImport = source.match(/^import .*$/m)?.[0];
  assert.equal(firstImport, "import './logs-to-stderr.js';");
});
