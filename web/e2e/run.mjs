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
const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(dir, f));
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
