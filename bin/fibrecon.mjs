#!/usr/bin/env node
// Entry point of the headless CLI. Runs the TypeScript sources through tsx so
// that no build step stands between a checkout and the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
