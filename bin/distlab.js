#!/usr/bin/env node
// The distlab command: runs the compiled core (built by `npm install` / `npm run build:core`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/core/cli/main.js');
if (!existsSync(entry)) {
  process.stderr.write('distlab: the core is not built yet; run `npm run build:core` in the distlab folder first\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
await main(process.argv.slice(2));
