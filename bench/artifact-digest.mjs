// node bench/artifact-digest.mjs [--save FILE | --check FILE]
//
// Builds every shipped deck (all audiences, all languages, every format) and renders the render
// fixtures with SOURCE_DATE_EPOCH fixed and no cache, then prints the sha256 of every file written.
// --save writes that digest to FILE; --check compares with FILE and exits 1 naming each file that
// differs. A refactoring that claims "behaviour unchanged" runs --save before and --check after.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({ options: { save: { type: 'string' }, check: { type: 'string' } } });
const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = path.join(root, 'bin', 'briefgen.js');
const work = mkdtempSync(path.join(os.tmpdir(), 'briefgen-digest-'));
const env = { ...process.env, SOURCE_DATE_EPOCH: '1711411200', CI: '1' };
delete env.BRIEFGEN_BROWSER_WS;

const run = (args) => execFileSync(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });

function walk(dir, base = dir, out = {}) {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, base, out);
    else out[path.relative(base, full).split(path.sep).join('/')] = createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return out;
}

try {
  run(['build', '-a', 'all', '--lang', 'all', '--no-cache', '-o', path.join(work, 'build'), '-q']);
  run(['render', 'test/fixtures/render/deck/deck.md', '-o', path.join(work, 'render'), '-q']);
  const digest = { build: walk(path.join(work, 'build')), render: walk(path.join(work, 'render')) };
  const text = `${JSON.stringify(digest, null, 2)}\n`;
  if (flags.save) writeFileSync(flags.save, text);
  if (flags.check) {
    const expected = JSON.parse(readFileSync(flags.check, 'utf8'));
    const problems = [];
    for (const part of ['build', 'render']) {
      const names = new Set([...Object.keys(expected[part]), ...Object.keys(digest[part])]);
      for (const name of [...names].sort()) {
        if (expected[part][name] !== digest[part][name]) problems.push(`${part}/${name}: ${expected[part][name] ?? 'absent'} → ${digest[part][name] ?? 'absent'}`);
      }
    }
    const files = Object.keys(digest.build).length + Object.keys(digest.render).length;
    if (problems.length > 0) {
      console.error(`artifact-digest: ${problems.length} of ${files} files differ:\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
    } else console.error(`artifact-digest: all ${files} files byte-identical`);
  }
  if (!flags.save && !flags.check) process.stdout.write(text);
} finally {
  rmSync(work, { recursive: true, force: true });
}
