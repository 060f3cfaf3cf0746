// Benchmark: opening a 2,000-clause document in the desktop app, split into the core's part
// (the `get_document` command over IPC, measured in the page) and the whole (click → outline
// and first clause painted). Run through the E2E runner, which starts Xvfb and tauri-driver:
//
//   RUNS=10 tests/e2e/run.sh tools/open-large.mjs
//
// Prints medians and p90 in milliseconds. The peer a user has today — Word or LibreOffice
// opening the same text as a DOCX — is measured by scripts/bench-open-large.sh.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, shown, startApp, stopApp, tempDir, tid, until } from '../lib/harness.mjs';
import { largeDocument, timeOpen } from '../lib/large-document.mjs';

const CLI = process.env.KRYPHAL_E2E_CLI ?? join(repoRoot, 'target', 'debug', 'kryphal');
const RUNS = Number(process.env.RUNS ?? 10);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

test(`open a 2,000-clause document ${RUNS} times`, async (t) => {
  const { dir, cleanup } = tempDir('kryphal-bench-');
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const small = join(dir, 'liten.md');
  writeFileSync(small, '# Liten riktlinje\n\n## 1. Syfte\n\n1.1 Riktlinjen gäller alla bidrag.\n');
  const doc = largeDocument();
  const file = join(dir, 'stort.md');
  writeFileSync(file, doc.text);
  const imported = JSON.parse(execFileSync(CLI, ['--library', library, 'import', small, file, '--json'], { encoding: 'utf8' }));
  const [smallId, docId] = imported.map((r) => r.report.document_id);

  const browser = await startApp(library, ['--config-dir', join(dir, 'config')]);
  try {
    await shown(browser, 'doc-list');
    await until(browser, async () => (await browser.$$(tid('doc-item'))).length === 2, 'both documents listed');
    const core = [];
    const whole = [];
    for (let run = 0; run < RUNS; run++) {
      core.push(
        await browser.execute(async (id) => {
          const t0 = performance.now();
          await window.__TAURI_INTERNALS__.invoke('get_document', { docId: id });
          return performance.now() - t0;
        }, docId),
      );
      await timeOpen(browser, smallId, 2);
      whole.push(await timeOpen(browser, docId, doc.rows));
    }
    const line = (name, xs) =>
      `${name}: median ${Math.round(quantile(xs, 0.5))} ms, p90 ${Math.round(quantile(xs, 0.9))} ms (${xs.map(Math.round).join(' ')})`;
    console.log(line('get_document (core + IPC)', core));
    console.log(line('click → outline painted', whole));
  } finally {
    await stopApp(browser);
  }
});
