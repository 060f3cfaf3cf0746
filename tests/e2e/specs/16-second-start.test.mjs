// A `.kryphal` bundle opened from the file manager while the app already runs on the library:
// the second start (`kryphal-desktop --library L BUNDLE`, as the desktop entry's Exec line runs
// it) hands the file to the running app and exits; the running window offers the import, and
// the document arrives in the library. A second start on another library is not handed over.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { APP, CLI, SAMPLE, screenshot, shown, startApp, stopApp, tempDir, tid, until } from '../lib/harness.mjs';

/** Runs the desktop binary as a second start; resolves with its exit code and output. */
function secondStart(args, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(APP, args, { env: { ...process.env, KRYPHAL_USER: 'e2e' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the second start did not exit within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

test('a bundle opened while the app runs is handed to the running window and imported there', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.kryphal');
  const colleague = join(dir, 'bertil.kryphal');
  const cli = (lib, args, user = 'e2e') =>
    execFileSync(CLI, ['--library', lib, ...args], { encoding: 'utf8', env: { ...process.env, KRYPHAL_USER: user } });
  cli(library, ['import', SAMPLE]);
  const policy = join(dir, 'inkopspolicy.md');
  writeFileSync(policy, '# Inköpspolicy för Ekby kommun\n\n1.1 Inköp över 100 000 kronor attesteras av förvaltningschefen.\n');
  const [imported] = JSON.parse(cli(colleague, ['import', policy, '--json'], 'bertil'));
  const bundle = join(dir, 'Inköpspolicy från Bertil.kryphal');
  cli(colleague, ['bundle', 'export', imported.report.document_id, '--out', bundle], 'bertil');

  const browser = await startApp(library, ['--config-dir', join(dir, 'config')]);
  try {
    await shown(browser, 'outline');
    assert.equal(await browser.$(tid('opened-file')).isExisting(), false, 'started without a file: no offer');

    const second = await secondStart(['--library', library, '--config-dir', join(dir, 'config'), bundle]);
    t.diagnostic(`second start: exit ${second.code}: ${second.out.trim()}`);
    assert.equal(second.code, 0);
    assert.match(second.out, /^KRYPHAL_HANDED_OVER$/m, 'the second start handed the file over');

    const offer = await shown(browser, 'opened-file');
    assert.match(await offer.getText(), /Inköpspolicy från Bertil\.kryphal/);
    await screenshot('handed-over-offer');
    await (await shown(browser, 'opened-import')).click();
    await until(browser, async () => /Inköpspolicy för Ekby kommun/.test(await browser.$(tid('opened-file')).getText()),
      'the import result does not name the document');
    await (await shown(browser, 'opened-close')).click();
    await until(browser, async () => /Inköpspolicy för Ekby kommun/.test(await browser.$(tid('doc-list')).getText()),
      'the document is not in the library list');
    assert.match(cli(library, ['list']), /\tInköpspolicy för Ekby kommun\t/);

    // Started again without a file: brought forward, nothing offered.
    const focus = await secondStart(['--library', library]);
    assert.equal(focus.code, 0);
    assert.match(focus.out, /^KRYPHAL_HANDED_OVER$/m);
    await browser.pause(500);
    assert.equal(await browser.$(tid('opened-file')).isExisting(), false, 'a plain second start offers nothing');

    // Another library is another app: it is not handed over (it starts, and is stopped here).
    const other = join(dir, 'other.kryphal');
    const child = spawn(APP, ['--library', other, '--config-dir', join(dir, 'config-other')], { env: process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const ready = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 30_000);
      child.stdout.on('data', () => {
        if (/^KRYPHAL_READY /m.test(out)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    // Stopped and waited for, so no window of it is left for the next spec.
    const exited = new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    assert.ok(ready, `a start on another library ran on its own:\n${out}`);
    assert.doesNotMatch(out, /KRYPHAL_HANDED_OVER/);
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
