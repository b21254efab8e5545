#!/usr/bin/env node
// The `vireo` command: the CLI's TypeScript runs through tsx, as the engine does.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
