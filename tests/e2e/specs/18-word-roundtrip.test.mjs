// Issue 23 in the real app: the Word round trip and the memo as a tjänsteskrivelse.
//
// 1. The sample → one finding with a proposed wording → "Exportera…": the memo starts in the
//    public variant, shows its own fields with a generated *Förslag till beslut*; the ärende's
//    Dnr is typed and the memo exported (test hook `--export-dir DIR`, no save dialog).
//    "Öppna" and "Visa i mappen" reach the shell (the hook writes DIR/.opened, nothing launched).
// 2. The review document is exported: its comments part holds the finding's consequence and
//    its body a tracked change by the user.
// 3. LibreOffice answers it (tests/libreoffice/review.py over UNO: the change accepted and a
//    reply), and "Läs in granskad Word-fil…" previews it — one accepted, one reply — before
//    anything is stored; "Spara i biblioteket" stores it and the reply is the finding's comment.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, screenshot, docAction, shown, startApp, stopApp, tempDir, tid, until, waitSaved, openSample, zipEntry } from '../lib/harness.mjs';

const run = promisify(execFile);
const USER_NAME = 'Rut Rundtur';
const CONSEQUENCE = 'Ett gammalt utdrag ur belastningsregistret godtas vid uppföljningen.';
const PROPOSED = 'Utdraget ur belastningsregistret får vara högst tre månader gammalt.';
const CASE_DNR = 'VON 2026/0099';
const REPLY = 'Vi godtar den nya lydelsen.';

/** Exports `format`, waits for success and returns the new file's path. */
async function exportAs(browser, format, outDir, before) {
  await (await shown(browser, `export-format-${format}`)).click();
  await (await shown(browser, 'export-submit')).click();
  const status = browser.$(tid('export-status'));
  await until(browser, async () => {
    const state = await status.getAttribute('data-state');
    if (state === 'error') throw new Error(`export ${format} failed: ${await status.getText()}`);
    return state === 'ok';
  }, `the ${format} export did not report success`);
  const written = readdirSync(outDir).filter((f) => !before.includes(f) && !f.startsWith('.'));
  assert.equal(written.length, 1, `one new file for ${format}, got ${written.join(', ')}`);
  before.push(written[0]);
  return join(outDir, written[0]);
}

test('memo fields, Öppna / Visa i mappen, review document out and back through LibreOffice', async (t) => {
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
    const proposed = await shown(browser, 'finding-proposed');
    await proposed.scrollIntoView({ block: 'center' });
    await proposed.setValue(PROPOSED);
    await waitSaved(browser);

    // ---- The memo: public first, its own fields -------------------------------------------
    const open = await docAction(browser, 'export-open');
    await open.scrollIntoView({ block: 'center' });
    await open.click();
    await shown(browser, 'export-dialog');
    assert.equal(await (await shown(browser, 'export-variant-public')).isSelected(), true, 'the memo starts public');
    const decision = await shown(browser, 'export-decision');
    await until(browser, async () => /revidera/.test(await decision.getValue()), 'no generated Förslag till beslut');
    await (await shown(browser, 'export-case-dnr')).setValue(CASE_DNR);
    const before = [];
    const memo = await exportAs(browser, 'memo-docx', outDir, before);
    const memoXml = zipEntry(memo, 'word/document.xml');
    assert.ok(memoXml.includes(CASE_DNR), 'the memo carries the ärende Dnr');
    assert.ok(memoXml.includes('Förslag till beslut'), 'the memo has Förslag till beslut');
    assert.ok(memoXml.includes('w:tblHeader'), 'table headers repeat');
    await (await shown(browser, 'export-open-file')).click();
    await (await shown(browser, 'export-show-folder')).click();
    await until(browser, async () => {
      try {
        return readFileSync(join(outDir, '.opened'), 'utf8').trim().split('\n').length === 2;
      } catch {
        return false;
      }
    }, 'Öppna and Visa i mappen did not reach the shell');
    const opened = readFileSync(join(outDir, '.opened'), 'utf8').trim().split('\n');
    assert.equal(opened[0], `file ${memo}`);
    assert.equal(opened[1], `folder ${memo}`);

    // ---- The review document -------------------------------------------------------------
    const review = await exportAs(browser, 'review-docx', outDir, before);
    assert.ok(zipEntry(review, 'word/comments.xml').includes(CONSEQUENCE), 'the finding is a comment');
    assert.match(zipEntry(review, 'word/document.xml'), new RegExp(`<w:ins [^>]*w:author="${USER_NAME}"`), 'the proposal is a tracked change by the user');
    await screenshot('word-export-done');
    await browser.keys(['Escape']);
    await until(browser, async () => !(await browser.$(tid('export-dialog')).isExisting()), 'Escape did not close the dialog');

    // ---- LibreOffice answers it ----------------------------------------------------------
    const back = join(dir, 'granskad.docx');
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({
      profile: join(dir, 'lo-profile'),
      jobs: [{
        input: review,
        output: back,
        operations: [
          { action: 'accept', comment: 'Iakttagelse 1:' },
          { action: 'reply', comment: 'Iakttagelse 1:', author: 'Lena Verksamhet', text: REPLY, date: '2026-12-04T10:15:00' },
        ],
      }],
    }));
    await run('/usr/bin/python3', [join(repoRoot, 'tests', 'libreoffice', 'review.py'), plan], { timeout: 180_000 });

    // ---- Read back: preview, then store --------------------------------------------------
    const readButton = await docAction(browser, 'review-open');
    await readButton.scrollIntoView({ block: 'center' });
    await readButton.click();
    await shown(browser, 'review-dialog');
    await browser.$(tid('review-file')).addValue(back);
    const preview = await shown(browser, 'review-preview', 60_000);
    const row = await preview.$(`${tid('review-item')}[data-finding-id="${findingId}"]`);
    assert.equal(await row.getAttribute('data-outcome'), 'accepted');
    assert.match(await (await shown(browser, 'review-reply')).getText(), new RegExp(REPLY));
    assert.equal(await (await shown(browser, 'review-status')).getAttribute('data-state'), 'preview');
    await screenshot('word-review-preview');
    await (await shown(browser, 'review-save')).click();
    await until(browser, async () => (await browser.$(tid('review-status')).getAttribute('data-state')) === 'stored', 'the review was not stored');
    await (await shown(browser, 'review-cancel')).click();
    await until(browser, async () => !(await browser.$(tid('review-dialog')).isExisting()), 'the dialog did not close');
    await until(browser, async () => (await browser.$$(tid('review-decision'))).length === 1, 'the decision is not shown under the clause');
  } finally {
    await stopApp(browser);
  }
});
