// Removes dist/ before a build, so files of modules that no longer exist never reach a package.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
