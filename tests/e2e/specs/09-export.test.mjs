// Issue 7 in the real app: exporting revision proposals.
//
// 1. The sample document → a finding with a risk rating (matrix), status agreed and a
//    proposed wording → "Exportera…" opens the export dialog → the preview lists the finding
//    (under its risk level), for tracked changes too → axe-core on the open dialog.
// 2. Export memo-docx, tracked-docx and json. The app runs with the test hook
//    `--export-dir DIR`, so the files go to DIR under their suggested names without the
//    native save dialog (WebDriver cannot drive a GTK file chooser).
// 3. Independent readers: LibreOffice converts the memo DOCX to PDF and pdftotext reads it:
//    "Nuvarande lydelse", "Föreslagen lydelse" and the proposed wording are there; the
//    tracked DOCX's word/document.xml has a w:ins by the user; the JSON is a Kryphål analysis
//    holding the finding. One DOCX is rendered to PNG for a look.
// 4. The JSON imported through the import button is read as an analysis and refused as a
//    duplicate of the document already in the library.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ARTIFACTS, axeViolations, screenshot, docAction, shown, startApp, stopApp, tempDir, tid, until, waitSaved, openSample, openMore, zipEntry } from '../lib/harness.mjs';

const run = promisify(execFile);
const USER_NAME = 'Eva Exportsson';
const CONSEQUENCE = 'Ett gammalt utdrag ur belastningsregistret godtas vid uppföljningen.';
const PROPOSED = 'Utdraget ur belastningsregistret får vara högst tre månader gammalt.';
const MUNICIPALITY = 'Ekby kommun';


/** Sets the finding's status, whether the pack shows it as radios or as a select. */
async function setStatus(browser, value) {
  await openMore(browser);
  const radio = browser.$(tid(`finding-status-${value}`));
  if (await radio.isExisting()) {
    await radio.scrollIntoView({ block: 'center' });
    await radio.click();
    return;
  }
  const select = await shown(browser, 'finding-status');
  await select.scrollIntoView({ block: 'center' });
  await select.selectByAttribute('value', value);
}

/** Waits for the export's status line to say ok, and returns the file name it names. */
async function exportAs(browser, format, outDir, before) {
  await (await shown(browser, `export-format-${format}`)).click();
  await (await shown(browser, 'export-submit')).click();
  const status = browser.$(tid('export-status'));
  await until(browser, async () => {
    const state = await status.getAttribute('data-state');
    if (state === 'error') throw new Error(`export ${format} failed: ${await status.getText()}`);
    return state === 'ok';
  }, `the ${format} export did not report success`);
  const text = await status.getText();
  const written = readdirSync(outDir).filter((f) => !before.includes(f) && !f.startsWith('.'));
  assert.equal(written.length, 1, `one new file for ${format}, got ${written.join(', ')}`);
  assert.ok(text.includes(written[0]), `the success message names ${written[0]}: ${text}`);
  before.push(written[0]);
  return join(outDir, written[0]);
}

test('export dialog with preview; memo, tracked changes and JSON read by independent tools', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.kryphal');
  const config = join(dir, 'config');
  const outDir = join(dir, 'out');
  mkdirSync(config);
  mkdirSync(outDir);
  writeFileSync(join(config, 'preferences.json'), JSON.stringify({ user_name: USER_NAME, language: 'sv' }));

  const browser = await startApp(library, ['--config-dir', config, '--export-dir', outDir]);
  try {
    await openSample(browser);
    // ---- A rated, agreed finding with a proposed wording ----------------------------------
    const clause = (await browser.$$(`${tid('outline')} ${tid('clause-item')}`))[3];
    await clause.scrollIntoView({ block: 'center' });
    await clause.click();
    await (await shown(browser, 'new-finding')).click();
    const item = await until(browser, async () => {
      const list = await browser.$$(tid('finding-item'));
      return list.length === 1 ? list[0] : false;
    }, 'new-finding did not create one finding-item');
    const findingId = await item.getAttribute('data-finding-id');
    await (await shown(browser, 'finding-consequence')).setValue(CONSEQUENCE);
    const cell = await shown(browser, 'matrix-cell-3-4');
    await cell.scrollIntoView({ block: 'center' });
    await cell.click();
    await until(browser, async () => (await cell.getAttribute('aria-pressed')) === 'true', 'the matrix cell is not pressed');
    const proposed = await shown(browser, 'finding-proposed');
    await proposed.scrollIntoView({ block: 'center' });
    await proposed.setValue(PROPOSED);
    await setStatus(browser, 'agreed');
    await waitSaved(browser);

    // ---- The dialog and its preview ------------------------------------------------------
    const open = await docAction(browser, 'export-open');
    await open.scrollIntoView({ block: 'center' });
    await open.click();
    const dialog = await shown(browser, 'export-dialog');
    assert.equal(await dialog.getAttribute('role'), 'dialog');
    const previewItem = `${tid('export-preview')} ${tid('export-preview-item')}[data-finding-id="${findingId}"]`;
    await until(browser, () => browser.$(previewItem).isExisting(), 'the preview does not list the finding');
    const group = await browser.$(previewItem).parentElement().parentElement();
    assert.equal(await group.getAttribute('data-level'), 'very_high', 'the finding is listed under its risk level');
    // The header fields are saved back to the library.
    const municipality = await shown(browser, 'export-municipality');
    await municipality.setValue(MUNICIPALITY);
    await (await shown(browser, 'export-variant-public')).click();
    await shown(browser, 'export-public-note');
    await (await shown(browser, 'export-variant-internal')).click();
    await (await shown(browser, 'export-format-tracked-docx')).click();
    await until(browser, () => browser.$(previewItem).isExisting(), 'the tracked-changes preview does not list the agreed finding');
    await (await shown(browser, 'export-format-memo-docx')).click();
    await screenshot('export-dialog');

    const serious = await axeViolations(browser, t, 'export dialog open');
    assert.deepEqual(serious, [], 'axe finds no serious or critical violation with the export dialog open');

    // ---- Three exports ---------------------------------------------------------------------
    const before = [];
    const memo = await exportAs(browser, 'memo-docx', outDir, before);
    const tracked = await exportAs(browser, 'tracked-docx', outDir, before);
    const json = await exportAs(browser, 'json', outDir, before);
    await screenshot('export-done');
    assert.match(memo, /\.docx$/);
    assert.match(tracked, /\.docx$/);
    assert.match(json, /\.json$/);

    // The dialog closes with Escape and gives the focus back.
    await browser.keys(['Escape']);
    await until(browser, async () => !(await browser.$(tid('export-dialog')).isExisting()), 'Escape did not close the dialog');

    // The JSON goes back in through the import button as an analysis: this library has the
    // document already, so it is refused as a duplicate (not as an unsupported file).
    await browser.$(tid('import-input')).addValue(json);
    const summary = await shown(browser, 'import-summary', 60_000);
    const [result] = await summary.$$(tid('import-result'));
    assert.equal(await result.getAttribute('data-ok'), 'false', 'the analysis of a document in the library is refused');
    assert.match(await result.getText(), /finns redan/, 'refused as a duplicate');
    await (await shown(browser, 'import-close')).click();

    // ---- Independent readers -------------------------------------------------------------
    const pdfDir = join(dir, 'pdf');
    mkdirSync(pdfDir);
    await run('soffice', [
      `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
      '--headless', '--convert-to', 'pdf', '--outdir', pdfDir, memo,
    ], { timeout: 180_000 });
    const pdf = join(pdfDir, readdirSync(pdfDir).find((f) => f.endsWith('.pdf')));
    const { stdout: text } = await run('pdftotext', [pdf, '-'], { maxBuffer: 16 << 20 });
    const flat = text.replace(/\s+/g, ' ');
    for (const needle of ['Nuvarande lydelse', 'Föreslagen lydelse', MUNICIPALITY]) {
      assert.ok(flat.includes(needle), `the memo read by LibreOffice holds "${needle}"`);
    }
    // The proposed wording may wrap inside its table cell; compare without line breaks.
    assert.ok(flat.includes(PROPOSED) || flat.replace(/- /g, '').includes(PROPOSED),
      'the memo holds the proposed wording');
    const png = join(ARTIFACTS, '09-export--memo');
    await run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdf, png]);
    t.diagnostic(`memo rendered to ${png}-*.png`);

    const xml = zipEntry(tracked, 'word/document.xml');
    const ins = xml.match(/<w:ins [^>]*>/g) ?? [];
    assert.ok(ins.length > 0, 'the tracked DOCX has a w:ins');
    assert.ok(ins.some((tag) => tag.includes(`w:author="${USER_NAME}"`)), `a w:ins is by ${USER_NAME}: ${ins[0]}`);
    assert.ok(xml.includes('<w:del '), 'the tracked DOCX has a w:del of the old wording');

    const analysis = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(analysis.kind, 'kryphal-analysis');
    const exported = analysis.findings.find((f) => f.id === findingId);
    assert.ok(exported, 'the JSON holds the finding');
    assert.equal(exported.status, 'agreed');
    assert.equal(exported.proposed_wording, PROPOSED);
  } finally {
    await stopApp(browser);
  }
});
