// Issue 9 (exchange) in the real app: analysis bundles, a merge conflict, backup and restore.
//
// 1. Two libraries with the CLI: ours ("Anna Analytiker") has the sample with a finding on 4.5;
//    a bundle of it goes to a colleague's library ("Björn Kollega"); then both edit the same
//    finding, and the document's Dnr, differently, and the colleague exports a bundle of it.
// 2. In the app (ours), "Utbyte → Exportera analyspaket…" writes a bundle (the test hook
//    `--export-dir` replaces the save dialog): its manifest names Anna, the format and every
//    entry's size and SHA-256, which match the entries.
// 3. "Läs in analyspaket…" reads the colleague's bundle (the test hook `--open-file`, given
//    once per open dialog, answers it): the result names Björn, a finding conflict and a
//    conflict about the Dnr; the menu button counts both; the conflicts dialog shows both
//    versions of each; keeping the colleague's finding puts it in place (its history names
//    Björn's bundle) and keeping our Dnr keeps it.
// 4. "Säkerhetskopiera biblioteket…" writes a backup that the CLI opens as a library with the
//    resolved finding; "Återställ från säkerhetskopia…" brings it back over a later edit and
//    keeps the library as it was beside itself.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import {
  CLI, SAMPLE, axeViolations, screenshot, shown, startApp, stopApp, tempDir, tid, until, waitSaved, zipEntry,
} from '../lib/harness.mjs';

const ANNA = 'Anna Analytiker';
const BJORN = 'Björn Kollega';
const OURS = 'Ett gammalt utdrag godtas – vi föreslår tre månader.';
const THEIRS = 'Utdraget kan vara ett år gammalt när kunden byter utförare.';
const LATER = 'En ändring efter säkerhetskopian.';

const normalize = (s) => s.replace(/\s+/g, ' ').trim();

/** Clicks an item of the Utbyte menu. */
async function menu(browser, item) {
  await (await shown(browser, 'exchange-menu')).click();
  await (await shown(browser, item)).click();
}

/** Waits for the exchange result dialog, returns its text and closes it. */
async function result(browser, timeout) {
  const dialog = await shown(browser, 'exchange-result', timeout);
  const text = normalize(await dialog.getText());
  return text;
}

async function closeResult(browser) {
  await (await shown(browser, 'exchange-result-close')).click();
  await until(browser, async () => !(await browser.$(tid('exchange-result')).isExisting()), 'the result dialog did not close');
}

test('bundles out and in through the Utbyte menu, a conflict resolved in the app, backup and restore', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.kryphal');
  const colleague = join(dir, 'kollega.kryphal');
  const outDir = join(dir, 'out');
  const config = join(dir, 'config');
  mkdirSync(outDir);
  mkdirSync(config);
  writeFileSync(join(config, 'preferences.json'), JSON.stringify({ user_name: ANNA, language: 'sv' }));

  const cli = (lib, user, args, input) =>
    execFileSync(CLI, ['--library', lib, ...args], { encoding: 'utf8', input, env: { ...process.env, KRYPHAL_USER: user } });

  // ---- 1. Two libraries with the same finding, edited differently -------------------------
  const [imported] = JSON.parse(cli(library, ANNA, ['import', SAMPLE, '--json']));
  const docId = imported.report.document_id;
  const clauses = JSON.parse(cli(library, ANNA, ['show', docId, '--json'])).outline.clauses;
  const clauseId = clauses.find((c) => c.number === '4.5').id;
  const finding = JSON.parse(cli(library, ANNA, ['finding', 'add', clauseId, '--json', '-'], JSON.stringify({ unintended_consequence: 'Utdraget får vara gammalt.' })));
  const base = join(dir, 'bas.kryphal');
  cli(library, ANNA, ['bundle', 'export', docId, '--out', base]);
  cli(colleague, BJORN, ['bundle', 'import', base]);
  cli(library, ANNA, ['finding', 'update', finding.id, '--json', '-'], JSON.stringify({ unintended_consequence: OURS }));
  cli(colleague, BJORN, ['finding', 'update', finding.id, '--json', '-'], JSON.stringify({ unintended_consequence: THEIRS, exploitation: 'En bulvan byter utförare.' }));
  // Both correct the Dnr, differently: a conflict about the document's metadata too.
  cli(library, ANNA, ['meta', docId, '--set', 'dnr=VON 2026/0001']);
  cli(colleague, BJORN, ['meta', docId, '--set', 'dnr=VON 2026/0002']);
  const theirsBundle = join(dir, 'från Björn.kryphal');
  cli(colleague, BJORN, ['bundle', 'export', docId, '--out', theirsBundle]);

  // The open dialogs answer, in turn, the colleague's bundle and then the backup (which the
  // app writes during the test, under the name save_target gives it).
  const backup = join(outDir, `lib-backup-${new Date().toISOString().slice(0, 10)}.kryphal`);
  const browser = await startApp(library, [
    '--config-dir', config, '--export-dir', outDir, '--open-file', theirsBundle, '--open-file', backup,
  ]);
  try {
    await shown(browser, 'outline');
    await (await browser.$(`[data-testid="doc-item"][data-doc-id="${docId}"]`)).click();
    await shown(browser, 'outline');

    // ---- 2. Export a bundle ----------------------------------------------------------------
    await menu(browser, 'exchange-export');
    const exported = await result(browser, 60_000);
    const files = readdirSync(outDir).filter((f) => f.endsWith('.kryphal'));
    assert.equal(files.length, 1, `one bundle written, got ${files.join(', ')}`);
    assert.ok(exported.includes(files[0]), `the result names ${files[0]}: ${exported}`);
    assert.match(exported, /1 dokument, 1 fynd/);
    await screenshot('bundle-exported');
    await closeResult(browser);
    const bundle = join(outDir, files[0]);
    const manifest = JSON.parse(zipEntry(bundle, 'manifest.json'));
    t.diagnostic(`manifest: ${JSON.stringify({ ...manifest, entries: manifest.entries?.length })}`);
    assert.equal(manifest.author, ANNA, 'the bundle names its author');
    assert.equal(typeof manifest.format_version, 'number');
    const analysisEntry = manifest.entries.find((e) => e.name.endsWith('analysis.json'));
    assert.ok(analysisEntry, 'the manifest lists an analysis.json');
    const analysis = zipEntry(bundle, analysisEntry.name);
    assert.equal(Buffer.byteLength(analysis), analysisEntry.size, 'the analysis has the size the manifest says');
    assert.equal(createHash('sha256').update(analysis).digest('hex'), analysisEntry.sha256, 'and its SHA-256');
    const parsed = JSON.parse(analysis);
    assert.ok(JSON.stringify(parsed).includes(OURS), 'the bundle holds our wording of the finding');

    // ---- 3. Import the colleague's bundle: a conflict, resolved here -----------------------
    await menu(browser, 'exchange-import');
    const imported2 = await result(browser, 60_000);
    assert.match(imported2, new RegExp(`Från ${BJORN}`), `the result names the colleague: ${imported2}`);
    assert.match(imported2, /konflikter: 1\b/);
    assert.match(imported2, /1 fynd har ändrats i båda biblioteken/);
    assert.match(imported2, /Ändrade i båda biblioteken \(dokumentets metadata eller beslut om förslag\): 1\./);
    await screenshot('bundle-imported');
    await closeResult(browser);
    assert.equal(normalize(await (await shown(browser, 'conflict-count')).getText()), '2', 'the menu counts the open conflicts');

    await menu(browser, 'exchange-conflicts');
    const dialog = await shown(browser, 'conflicts-dialog');
    const item = await dialog.$(tid('conflict-item'));
    const itemText = normalize(await item.getText());
    assert.ok(itemText.includes(OURS) && itemText.includes(THEIRS), `both versions are shown: ${itemText}`);
    assert.match(itemText, new RegExp(BJORN));
    const serious = await axeViolations(browser, t, 'conflicts dialog');
    assert.deepEqual(serious, [], `axe-core found serious or critical violations:\n${JSON.stringify(serious, null, 2)}`);
    const record = await dialog.$(tid('record-conflict-item'));
    assert.equal(await record.getAttribute('data-kind'), 'metadata');
    const recordText = normalize(await record.getText());
    assert.ok(recordText.includes('VON 2026/0001') && recordText.includes('VON 2026/0002'), `both Dnr are shown: ${recordText}`);
    await screenshot('conflicts-dialog');
    await (await item.$(tid('conflict-keep-theirs'))).click();
    await until(browser, async () => !(await browser.$(tid('conflict-item')).isExisting()), 'the finding conflict stayed open');
    await (await record.$(tid('record-keep-mine'))).click();
    await shown(browser, 'conflicts-none');
    await (await shown(browser, 'conflicts-close')).click();
    await until(browser, async () => !(await browser.$(tid('conflict-count')).isExisting()), 'the conflict count did not go away');

    const meta = JSON.parse(cli(library, ANNA, ['list', '--json']))[0];
    assert.equal(meta.dnr, 'VON 2026/0001', 'keeping mine keeps our Dnr');
    const resolved = JSON.parse(cli(library, ANNA, ['conflicts', '--all', '--records', '--json']));
    assert.deepEqual(resolved.map((c) => [c.resolution, c.resolved_by]), [['mine', ANNA]]);

    // The finding reads the colleague's version, and its history names the bundle's author.
    const clause = browser.$(`${tid('outline')} [data-testid="clause-item"][data-clause-id="${clauseId}"]`);
    await clause.scrollIntoView({ block: 'center' });
    await clause.click();
    await (await shown(browser, 'finding-item')).click();
    const consequence = await shown(browser, 'finding-consequence');
    await until(browser, async () => (await consequence.getValue()) === THEIRS, 'the finding does not read the colleague’s version');
    const panel = browser.$('aside.panel');
    const toggle = panel.$(tid('history-toggle'));
    await toggle.scrollIntoView({ block: 'center' });
    await toggle.click();
    const origins = await until(browser, async () => {
      const list = [];
      for (const el of await panel.$$(tid('history-origin'))) list.push(normalize(await el.getText()));
      return list.length > 0 ? list : false;
    }, 'no line of the finding’s history names a bundle');
    assert.ok(origins.every((o) => o.includes(BJORN) && o.includes('från Björn.kryphal')), `history origins: ${origins.join(' | ')}`);
    const actions = [];
    for (const el of await panel.$$(tid('history-event'))) actions.push(await el.getAttribute('data-action'));
    assert.ok(actions.includes('finding.conflict') && actions.includes('finding.resolve'), `history actions: ${actions.join(', ')}`);
    await panel.$(tid('history-list')).scrollIntoView({ block: 'center' });
    await screenshot('finding-history');

    // ---- 4. Backup, a later edit, restore -------------------------------------------------
    await menu(browser, 'exchange-backup');
    const backedUp = await result(browser, 60_000);
    const backups = readdirSync(outDir).filter((f) => f.endsWith('.kryphal') && f !== files[0]);
    assert.deepEqual(backups, [basename(backup)], 'the backup is written under its suggested name');
    assert.ok(backedUp.includes(backup), `the result names the backup: ${backedUp}`);
    await closeResult(browser);
    const inBackup = JSON.parse(execFileSync(CLI, ['--library', backup, 'finding', 'list', docId, '--json'], { encoding: 'utf8' }));
    assert.deepEqual(inBackup.map((f) => f.unintended_consequence), [THEIRS], 'the backup opens as a library with the resolved finding');

    await consequence.setValue(LATER);
    await waitSaved(browser);
    await menu(browser, 'exchange-restore');
    await (await shown(browser, 'restore-confirm')).isDisplayed();
    await screenshot('restore-confirm');
    await (await shown(browser, 'restore-continue')).click();
    const restored = await result(browser, 60_000);
    assert.match(restored, /1 dokument återställdes/, restored);
    const kept = readdirSync(dir).filter((f) => f.startsWith('lib.before-restore-'));
    assert.equal(kept.length, 1, `the library as it was is kept beside itself: ${readdirSync(dir).join(', ')}`);
    await screenshot('restored');
    await closeResult(browser);
    const now = JSON.parse(cli(library, ANNA, ['finding', 'list', docId, '--json']));
    assert.deepEqual(now.map((f) => f.unintended_consequence), [THEIRS], 'the restore undid the later edit');
    const before = JSON.parse(cli(join(dir, kept[0]), ANNA, ['finding', 'list', docId, '--json']));
    assert.deepEqual(before.map((f) => f.unintended_consequence), [LATER], 'the kept copy has the later edit');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
