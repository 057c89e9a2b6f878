import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

export interface WatchPathsOptions {
  /** Called once per burst of events with every path that changed in it. */
  onChange: (paths: ReadonlySet<string>) => void;
  /** Quiet time that ends a burst; editors save in several writes. Default 30 ms. */
  debounceMs?: number;
  /** A burst never waits longer than this, even if events keep coming. Default 500 ms. */
  maxWaitMs?: number;
  onError?: (error: Error) => void;
}

export interface PathWatcher {
  close(): void;
  /** Folders currently watched (for tests and debugging). */
  readonly folders: readonly string[];
}

/** Swap files, backups and atomic-save temporaries: noise from editors, never an input. */
export function isEditorNoise(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || /^\d+$/.test(name) || /^#.*#$/.test(name) || /\.(swp|swx|swo|tmp|bak|crswap)$/i.test(name);
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

const within = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/**
 * Watches files and folders (a folder with everything under it) and reports changed paths in
 * debounced batches.
 *
 * One non-recursive `fs.watch` per folder: Node 20's recursive mode on Linux loses a file after an
 * editor's atomic save (write a temporary, rename it over the file) and reports nothing after that.
 * A folder watcher sees the rename and keeps working whatever the editor does to the file.
 */
export function watchPaths(targets: readonly string[], options: WatchPathsOptions): PathWatcher {
  const debounceMs = options.debounceMs ?? 30;
  const maxWaitMs = options.maxWaitMs ?? 500;
  /** Folder → names of interest there (undefined: everything, and sub-folders too). */
  const scopes = new Map<string, Set<string> | undefined>();
  const watchers = new Map<string, FSWatcher>();
  const recursiveRoots: string[] = [];
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  let closed = false;

  const flush = (): void => {
    timer = undefined;
    if (closed || pending.size === 0) return;
    const batch = pending;
    pending = new Set();
    options.onChange(batch);
  };

  const schedule = (path: string): void => {
    pending.add(path);
    const now = Date.now();
    if (!timer) firstEventAt = now;
    clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstEventAt + maxWaitMs - now));
    timer = setTimeout(flush, wait);
  };

  const unwatch = (folder: string): void => {
    for (const [path, watcher] of watchers) {
      if (within(path, folder)) {
        watcher.close();
        watchers.delete(path);
      }
    }
  };

  const watchFolder = (folder: string): void => {
    if (closed || watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, { persistent: false }, (_event, name) => onEvent(folder, name ? String(name) : undefined));
    } catch (error) {
      options.onError?.(error as Error);
      return;
    }
    watcher.on('error', () => {
      // The folder itself went away; its parent's watcher reports that.
      watcher.close();
      watchers.delete(folder);
    });
    watchers.set(folder, watcher);
  };

  /** A folder and its sub-folders; `report` adds the files found (a folder moved in brings them). */
  const watchTree = (folder: string, report: boolean): void => {
    watchFolder(folder);
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (isEditorNoise(entry.name) || entry.name === 'node_modules') continue;
      const full = join(folder, entry.name);
      if (entry.isDirectory()) watchTree(full, report);
      else if (report) schedule(full);
    }
  };

  const onEvent = (folder: string, name: string | undefined): void => {
    if (closed) return;
    if (name === undefined) {
      schedule(folder);
      return;
    }
    const full = join(folder, name);
    const names = scopes.get(folder);
    const recursive = recursiveRoots.some((root) => within(folder, root));
    if (names?.has(name)) {
      schedule(full);
      return;
    }
    if (!recursive || isEditorNoise(name)) return;
    if (isDirectory(full)) {
      if (!watchers.has(full)) watchTree(full, true);
    } else if (watchers.has(full)) {
      unwatch(full);
    }
    schedule(full);
  };

  for (const target of targets.map((t) => resolve(t))) {
    if (isDirectory(target)) {
      recursiveRoots.push(target);
      scopes.set(target, undefined);
      watchTree(target, false);
    } else {
      const folder = dirname(target);
      const names = scopes.has(folder) ? scopes.get(folder) : new Set<string>();
      names?.add(basename(target));
      scopes.set(folder, names);
      watchFolder(folder);
    }
  }

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
    get folders() {
      return [...watchers.keys()].sort();
    },
  };
}
