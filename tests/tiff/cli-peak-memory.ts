// Runs one fibrecon CLI command in this process and prints, as the last line on
// stderr, its peak memory: {"maxRssMB": N} (process.resourceUsage().maxRSS).
// Started as a child by tests that bound the memory a command may take:
//   node --import tsx tests/tiff/cli-peak-memory.ts import P.fibrecon bomb.tif ...
import { main } from '../../src-main/cli/main';

const code = await main(process.argv.slice(2));
process.stderr.write(`\n${JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exitCode = code;
