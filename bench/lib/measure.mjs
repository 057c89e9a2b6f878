// Runs a command and measures it from outside: wall time, CPU time of the whole process tree, and
// peak memory of the tree (the command plus every browser process it starts), sampled from /proc.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const pageSize = 4096;
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** One pass over /proc: pid → { ppid, cpuTicks, rssBytes }. */
function scanProcesses() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    const code = name.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue; // exited between readdir and read
    }
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    table.set(Number(name), {
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      rssBytes: Number(fields[21]) * pageSize,
    });
  }
  return table;
}

function descendants(table, root) {
  const children = new Map();
  for (const [pid, { ppid }] of table) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop();
    if (!table.has(pid)) continue;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** `node`, `browser` (Chromium's main process), `renderer`, `gpu-process`, `utility`, ... */
function processKind(pid) {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split(/[\0 ]/);
    const type = argv.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
    const subType = argv.find((arg) => arg.startsWith('--utility-sub-type='))?.slice('--utility-sub-type='.length);
    if (type) return subType ? `${type}:${subType.replace(/\.mojom\./, '.')}` : type;
    const exe = argv[0].split('/').pop() ?? '';
    if (/chrom|chrome/i.test(exe)) return 'browser';
    return exe || 'other';
  } catch {
    return 'other';
  }
}

function pssBytes(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Spawns `command args` and resolves when it exits. CPU time is the sum over every process of the
 * tree of its user + system time at the last sample that saw it (a process loses at most one
 * sampling interval). Memory: `peakRssBytes` sums resident sets, so pages shared between the
 * browser's processes count once per process (an upper bound); `peakPssBytes` shares them out
 * (proportional set size, sampled less often because it costs more to read).
 * @returns {Promise<{ok: boolean, code: number|null, timedOut: boolean, wallMs: number, cpuMs: number,
 *   peakRssBytes: number, peakPssBytes: number, stdout: string, stderr: string}>}
 */
export function measure(command, args, { cwd, env, timeoutMs = 600_000, sampleMs = 100, pssEvery = 5 } = {}) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    // Own process group, so a timeout can take the whole tree down.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      if (stderr.length > 4_000_000) stderr = stderr.slice(-2_000_000);
    });
    let peakRssBytes = 0;
    let peakPssBytes = 0;
    let samples = 0;
    const cpuTicks = new Map();
    const kinds = new Map();
    let lastTree = [];
    const sample = () => {
      const table = scanProcesses();
      lastTree = descendants(table, child.pid);
      let rss = 0;
      for (const pid of lastTree) {
        const { rssBytes, cpuTicks: ticks } = table.get(pid);
        rss += rssBytes;
        cpuTicks.set(pid, Math.max(ticks, cpuTicks.get(pid) ?? 0));
        // Re-read: a process may exec (Chromium's launcher script) or rename itself (zygote forks).
        const kind = processKind(pid);
        if (kind !== 'other' || !kinds.has(pid)) kinds.set(pid, kind);
      }
      if (rss > peakRssBytes) peakRssBytes = rss;
      if (samples++ % pssEvery === 0) {
        const pss = lastTree.reduce((sum, pid) => sum + pssBytes(pid), 0);
        if (pss > peakPssBytes) peakPssBytes = pss;
      }
    };
    const sampler = setInterval(sample, sampleMs);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      // Browsers launched by Puppeteer lead groups of their own: kill every process we saw.
      for (const pid of [child.pid, ...lastTree]) {
        try {
          process.kill(pid === child.pid ? -pid : pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearInterval(sampler);
      clearTimeout(killer);
      reject(error);
    });
    child.on('close', (code) => {
      const wallMs = performance.now() - startedAt;
      clearInterval(sampler);
      clearTimeout(killer);
      const cpuMs = ([...cpuTicks.values()].reduce((a, b) => a + b, 0) / ticksPerSecond) * 1000;
      const cpuMsByKind = {};
      for (const [pid, ticks] of cpuTicks) {
        const kind = kinds.get(pid) ?? 'other';
        cpuMsByKind[kind] = (cpuMsByKind[kind] ?? 0) + (ticks / ticksPerSecond) * 1000;
      }
      resolve({ ok: code === 0 && !timedOut, code, timedOut, wallMs, cpuMs, cpuMsByKind, peakRssBytes, peakPssBytes, stdout, stderr });
    });
    sample();
  });
}

export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
