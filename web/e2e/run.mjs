// ctest's entry for the `browser` label: exit 77 (skipped) without chromium, else
// `node --test` over web/e2e/*.test.mjs.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { chromiumPath, WEB_DIR } from './lib.mjs';

if (!chromiumPath()) {
  console.log('browser tests skipped: no chromium (apt-get install chromium, or set MC_CHROMIUM)');
  process.exit(77);
}
const dir = path.join(WEB_DIR, 'e2e');
// `node run.mjs serve` runs only serve*.test.mjs; MC_E2E_SKIP=serve leaves them out (ctest runs
// the report and the server tests as two tests).
const only = process.argv.slice(2), skip = (process.env.MC_E2E_SKIP ?? '').split(',').filter(Boolean);
const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => (!only.length || only.some((p) => f.startsWith(p))) && !skip.some((p) => f.startsWith(p)))
  .sort().map((f) => path.join(dir, f));
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
