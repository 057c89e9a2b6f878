import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Whether a process with this pid exists (zombies count as gone: they hold no resources). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readProc(pid, 'stat');
  return stat === undefined || !/^\d+ \(.*\) Z/.test(stat);
}

function readProc(pid: number | string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Live processes whose command line mentions `text` (Linux /proc). */
export function processesMentioning(text: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => readProc(pid, 'cmdline')?.includes(text))
    .map(Number)
    .filter(isAlive);
}

/** The browser's `--user-data-dir`, read from its launch arguments. */
export function userDataDirOf(spawnargs: readonly string[]): string {
  const arg = spawnargs.find((a) => a.startsWith('--user-data-dir='));
  if (!arg) throw new Error('no --user-data-dir in the browser arguments');
  return arg.slice('--user-data-dir='.length);
}

/** Command lines of this process's live children (Linux /proc), keyed by pid. */
export function childCommandLines(): Map<number, string[]> {
  const children = new Map<number, string[]>();
  if (!existsSync('/proc')) return children;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(name, 'stat');
    // Field 4, after the parenthesised command name, is the parent pid.
    const ppid = stat && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== process.pid || !isAlive(Number(name))) continue;
    children.set(Number(name), (readProc(name, 'cmdline') ?? '').split('\0').filter(Boolean));
  }
  return children;
}
