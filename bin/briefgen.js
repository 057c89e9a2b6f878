#!/usr/bin/env node
// The only place that touches the process: argv, stdio, signals and the exit code.

// Ctrl-C while the CLI is still loading, before a run listens for it: nothing has started (no
// browser, no lock, no file), so stop at once, with the same exit code as an interrupted run.
const early = () => process.exit(130);
process.on('SIGINT', early);
process.on('SIGTERM', early);
const { main } = await import('../dist/cli/main.js');

// Bounded: /dev/zero or an endless pipe on stdin stops at the data-size limit (one byte past it,
// so the caller can tell), and an interrupt gives up on a terminal that never sends anything.
const readStdin = ({ maxBytes = Number.POSITIVE_INFINITY, signal } = {}) =>
  new Promise((resolve, reject) => {
    const stdin = process.stdin;
    const chunks = [];
    let size = 0;
    const finish = (settle) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      stdin.destroy();
      settle();
    };
    const onData = (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) finish(() => resolve(Buffer.concat(chunks).subarray(0, maxBytes + 1)));
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks)));
    const onError = (error) => finish(() => reject(error));
    const onAbort = () => finish(() => reject(signal.reason));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
  });

let interrupts = 0;
const json = process.argv.slice(2).includes('--json');
const onInterrupt = (abort) => {
  const handler = () => {
    interrupts += 1;
    // A second Ctrl-C means "now": skip the clean-up.
    if (interrupts > 1) process.exit(130);
    // Under --json, stderr carries only JSON lines (schema/cli-event.schema.json), this one too.
    process.stderr.write(json ? `${JSON.stringify({ event: 'log', level: 'info', message: 'stopping (Ctrl-C again to force)…' })}\n` : '\nbriefgen: stopping (Ctrl-C again to force)…\n');
    abort();
  };
  process.off('SIGINT', early);
  process.off('SIGTERM', early);
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
