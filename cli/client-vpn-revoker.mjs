#!/usr/bin/env node
// Launcher of the operator CLI: plain Node runs it, tsx compiles the TypeScript sources as they load.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('./main.ts');
