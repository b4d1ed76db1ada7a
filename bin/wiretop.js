#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (compiled by `npm install` via the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// React's development build times every commit with performance.measure; on a
// busy dashboard that cost a third of the CPU (measured with --cpu-prof).
process.env.NODE_ENV ??= 'production';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('wiretop: not built yet; run `npm install` (or `npm run build`) in the wiretop folder\n');
  process.exit(1);
}
const { main: run } = await import(main.href);
await run(process.argv.slice(2));
