#!/usr/bin/env node
// The only place that touches the process: argv, stdio, signals and the exit code.
import { main } from '../dist/cli/main.js';

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

let interrupts = 0;
const onInterrupt = (abort) => {
  const handler = () => {
    interrupts += 1;
    // A second Ctrl-C means "now": skip the clean-up.
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nbriefgen: stopping (Ctrl-C again to force)…\n');
    abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
};

const code = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  onInterrupt,
  stderrIsTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
});
process.exitCode = code;
