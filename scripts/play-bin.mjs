#!/usr/bin/env node
// The `wavecast-play` command (package.json "bin"): plain node cannot run TypeScript, so this
// registers tsx's loader in this process and then loads the player's CLI, scripts/play.ts.
import { register } from 'tsx/esm/api';

register();
await import('./play.ts');
