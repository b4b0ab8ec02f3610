#!/usr/bin/env node
// The `custos` command (package.json "bin"; `npx custos`, `npm run custos --`, `node bin/custos.mjs`).
// Registers tsx's ESM loader in this process, then runs the TypeScript CLI in electron/cli.
// Worker threads register it themselves (electron/services/verify/boot.mjs).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.node.json', import.meta.url)) });
const { run } = await import('../electron/cli/main.ts');
const code = await run(process.argv.slice(2));
// Exit once stdout and stderr are drained: a stray keep-alive socket or timer must not hold the
// process open, and piped output must not be cut short.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
