/**
 * wavecast's import rules, checked by `npm test` (dependency-cruiser). The server reads top-down
 * as a clip travels, and each folder imports only the folders below it:
 *
 *   main.ts
 *   web/        HTTP routes, WebSocket feed, auth, wire.ts (every JSON shape)
 *   station/    channels, operator changes, model catalogue, problem log
 *   broadcast/  encoders, channel output, chunk queues, ICY, listener sessions
 *   stream/     channel, playout, latent walk, generation scheduler
 *   inference/  Generator port, worker threads, runtimes (onnx, tfjs), checkpoints
 *   config/     the config schema (composed with the families' settings) and its loading
 *   families/   one folder per model family behind families/family.ts, listed in registry.ts
 *   dsp/        pure signal processing
 *   core/       errors, units, logger, seeded random, project root
 *
 * Each forbidden direction is a rule of its own, named for what it forbids, so a failure says
 * which layer reached where. test/import-rules.e2e.test.ts plants a violation of each and checks
 * the rule fires.
 */
const LAYERS = ['core', 'dsp', 'families', 'config', 'inference', 'stream', 'broadcast', 'station', 'web'];

const TESTS = '\\.test\\.ts$|\\.test-helper\\.ts$';

/** One rule per layer: nothing in it imports a layer above it (or main.ts). */
const upward = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `no-upward-from-${layer}`,
  comment: `server/${layer}/ may import only ${LAYERS.slice(0, index).join(', ') || 'node and npm packages'}: it may not reach up into ${LAYERS.slice(index + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^server/${layer}/` },
  to: { path: `^server/(${LAYERS.slice(index + 1).join('|')})/|^server/main\\.ts$` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one; split the shared part out.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'no-upward-from-web',
      comment: 'server/web/ is the top of the server; only main.ts imports it.',
      severity: 'error',
      from: { path: '^server/web/' },
      to: { path: '^server/main\\.ts$' },
    },
    {
      name: 'families-apart',
      comment: 'A family folder never imports another family: what they share lives in families/ itself.',
      severity: 'error',
      from: { path: '^server/families/([^/]+)/' },
      to: { path: '^server/families/[^/]+/', pathNot: '^server/families/$1/' },
    },
    {
      name: 'families-not-registry',
      comment: 'A family folder never imports the registry (the registry imports the families).',
      severity: 'error',
      from: { path: '^server/families/[^/]+/' },
      to: { path: '^server/families/registry\\.ts$' },
    },
    {
      name: 'only-through-the-family-interface',
      comment:
        'Outside families/, server code reaches a family only through families/family.ts, model.ts, ' +
        'registry.ts and tfjs-weights.ts (tests may build fixtures from a family directly).',
      severity: 'error',
      from: { path: '^server/', pathNot: `^server/families/|${TESTS}` },
      to: { path: '^server/families/[^/]+/' },
    },
    {
      name: 'server-not-into-scripts',
      comment: 'The server never imports the offline side (trainers, datasets, metrics, CLIs).',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^scripts/' },
    },
    {
      name: 'training-through-families-and-inference',
      comment:
        'scripts/training/ reaches into server/ only through families/ and inference/ (and core/, ' +
        'the shared vocabulary of errors, units and seeded random): never the stream, station or web.',
      severity: 'error',
      from: { path: '^scripts/training/' },
      to: { path: '^server/', pathNot: '^server/(families|inference|core)/' },
    },
    {
      name: 'player-web-only-wire',
      comment: 'The pages type the API only through server/web/wire.ts; they never import server code.',
      severity: 'error',
      from: { path: '^player-web/' },
      to: { path: '^server/', pathNot: '^server/web/wire\\.ts$' },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Tests and test helpers are imported only by tests and test helpers.',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { path: TESTS },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules|/dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
