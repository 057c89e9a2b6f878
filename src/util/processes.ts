import { readFile } from 'node:fs/promises';

/**
 * Whether the process `pid` still runs (on this machine). EPERM means it runs as another user;
 * anything unexpected counts as running, so nothing of a live process is ever removed.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * When the process started, in clock ticks since boot (Linux `/proc/<pid>/stat`, field 22), or
 * undefined elsewhere. With the pid it names one process: a pid reused after a crash has another.
 */
export async function processStart(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  // Fields after the parenthesised command name, which may itself hold spaces and parentheses.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}
