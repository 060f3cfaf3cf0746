// Issue 3 in the app: import files through the file input, read the summary, open the new
// document, edit its Dnr, split a clause and merge it back — in the real app and library.
//
// Two files are chosen at once: a copy of the seeded sample under another name (the same
// bytes, so it is refused as a duplicate) and our own DOCX fixture under a Swedish name with
// å, ä and ö (which must survive the trip through the request header). Afterwards the app is
// restarted to see that the Dnr and the outline were stored.

import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SAMPLE, repoRoot, screenshot, docAction, shown, startApp, stopApp, tempDir, tid, until } from '../lib/harness.mjs';

const DOCX = join(repoRoot, 'crates', 'kryphal-ingest', 'tests', 'fixtures', 'riktlinje.docx');
const NEW_DNR = 'KS 2026/0042';

const normalize = (s) => s.replace(/\s+/g, ' ').trim();

async function docItems(browser) {
  return browser.$$(`${tid('doc-list')} ${tid('doc-item')}`);
}

async function clauseIds(browser) {
  const items = await browser.$$(`${tid('outline')} ${tid('clause-item')}`);
  const ids = [];
  for (const item of items) ids.push(await item.getAttribute('data-clause-id'));
  return ids;
}

async function selectedClauseId(browser) {
  const current = browser.$(`${tid('outline')} ${tid('clause-item')}[aria-current="true"]`);
  return (await current.isExisting()) ? current.getAttribute('data-clause-id') : null;
}

async function clauseText(browser) {
  return browser.$(tid('clause-text')).getProperty('textContent');
}

/** Puts the caret at UTF-16 offset `offset` of the clause text, as a click there would. */
async function placeCaret(browser, offset) {
  await browser.execute((at) => {
    const el = document.querySelector('[data-testid="clause-text"]');
    el.focus();
    const range = document.createRange();
    range.setStart(el.firstChild, at);
    range.collapse(true);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }, offset);
}

test('import files, see the summary, edit the Dnr, split a clause and merge it back', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const duplicate = join(dir, 'kopia av reglementet.md');
  copyFileSync(SAMPLE, duplicate);
  const docx = join(dir, 'Riktlinje för kundval – åäö.docx');
  copyFileSync(DOCX, docx);

  let newDocId;
  let clauseCount;

  let browser = await startApp(library);
  try {
    // The seeded sample is there.
    await shown(browser, 'doc-list');
    const [sample] = await until(browser, async () => {
      const items = await docItems(browser);
      return items.length === 1 ? items : false;
    }, 'the library does not list exactly the seeded sample');
    const sampleId = await sample.getAttribute('data-doc-id');

    // "Importera…" is a real, focusable button; the file input behind it gets the files.
    const button = await shown(browser, 'import-button');
    assert.equal(await button.getTagName(), 'button');
    assert.match(normalize(await button.getText()), /^Importera/);
    const input = browser.$(tid('import-input'));
    assert.equal(await input.getAttribute('type'), 'file');
    assert.equal(await input.getAttribute('multiple'), 'true');
    await input.addValue(`${duplicate}\n${docx}`);

    const summary = await shown(browser, 'import-summary', 60_000);
    const results = await summary.$$(tid('import-result'));
    assert.equal(results.length, 2, 'one import-result per chosen file');
    const [dupResult, docxResult] = results;
    assert.equal(await dupResult.getAttribute('data-ok'), 'false', 'the copy of the sample is refused');
    const dupText = normalize(await dupResult.getText());
    assert.match(dupText, /kopia av reglementet\.md/);
    assert.match(dupText, /finns redan i biblioteket/, `duplicate sentence missing in: ${dupText}`);
    assert.equal(await docxResult.getAttribute('data-ok'), 'true', 'the DOCX is imported');
    const docxText = normalize(await docxResult.getText());
    assert.match(docxText, /Hittade \d+ avsnitt och \d+ klausuler?\./, `no counts in: ${docxText}`);
    const docxTitle = normalize(await docxResult.$('h3').getText());
    assert.ok(docxTitle.length > 0, 'the imported document has a title');
    t.diagnostic(`imported: ${docxText}`);

    // The library lists the new document and it is open.
    const items = await until(browser, async () => {
      const list = await docItems(browser);
      return list.length === 2 ? list : false;
    }, 'the library does not list two documents after the import');
    for (const item of items) {
      const id = await item.getAttribute('data-doc-id');
      if (id !== sampleId) newDocId = id;
    }
    assert.ok(newDocId, 'a new doc-item appeared');
    await until(browser, async () => normalize(await browser.$(tid('document-title')).getText()) === docxTitle,
      `document-title did not become "${docxTitle}"`);
    const selected = browser.$(`${tid('doc-item')}[data-doc-id="${newDocId}"]`);
    assert.equal(await selected.getAttribute('aria-current'), 'page', 'the new document is the selected one');
    assert.ok(await summary.isDisplayed(), 'the summary stays until it is closed');
    await screenshot('import-summary');

    await (await shown(browser, 'import-close')).click();
    await until(browser, async () => !(await browser.$(tid('import-summary')).isExisting()),
      'the import summary did not close');

    // ---- Metadata: the Dnr ----------------------------------------------------------
    await (await docAction(browser, 'edit-metadata')).click();
    const dnr = await shown(browser, 'meta-dnr');
    for (const field of ['title', 'doc_type', 'owner', 'decided', 'decided_by', 'responsible', 'valid_from', 'valid_to', 'version_label']) {
      assert.ok(await browser.$(tid(`meta-${field}`)).isExisting(), `meta-${field} is in the form`);
    }
    assert.equal(normalize(await browser.$(tid('meta-title')).getValue()), docxTitle);
    await dnr.setValue(NEW_DNR);
    await screenshot('metadata-form');
    await (await shown(browser, 'meta-save')).click();
    await until(browser, async () => {
      const el = browser.$(tid('document-dnr'));
      return (await el.isExisting()) && normalize(await el.getText()) === `Dnr ${NEW_DNR}`;
    }, `document-dnr did not show "Dnr ${NEW_DNR}" after saving`);
    assert.equal(await browser.$(tid('metadata-form')).isExisting(), false, 'the form closed after saving');

    // ---- Split and merge ------------------------------------------------------------
    await shown(browser, 'outline');
    const ids = await clauseIds(browser);
    assert.ok(ids.length > 0, 'the imported document has clauses');
    clauseCount = ids.length;
    // A clause with two sentences (or at least two words) to split between.
    let target = null;
    for (const id of ids) {
      const item = browser.$(`${tid('clause-item')}[data-clause-id="${id}"]`);
      await item.scrollIntoView({ block: 'center' });
      await item.click();
      const text = await until(browser, async () => (await selectedClauseId(browser)) === id && clauseText(browser),
        `clause ${id} was not selected`);
      const sentence = text.indexOf('. ');
      const at = sentence > 0 && sentence < text.length - 3 ? sentence + 2 : text.indexOf(' ', Math.floor(text.length / 2)) + 1;
      if (at > 0 && text.slice(0, at).trim() && text.slice(at).trim()) {
        target = { id, text, at };
        break;
      }
    }
    assert.ok(target, 'some clause has text to split');
    const first = target.text.slice(0, target.at).trim();
    const second = target.text.slice(target.at).trim();

    const split = browser.$(tid('split-clause'));
    assert.equal(await split.isEnabled(), false, 'split is disabled before the caret is placed');
    await placeCaret(browser, target.at);
    await until(browser, () => split.isEnabled(), 'split-clause did not become enabled after placing the caret');
    await screenshot('caret-placed');
    await split.click();

    await until(browser, async () => (await clauseIds(browser)).length === clauseCount + 1,
      'the outline did not gain a clause after the split');
    const afterSplit = await clauseIds(browser);
    const at = afterSplit.indexOf(target.id);
    assert.ok(at >= 0, 'the first part keeps the clause id');
    assert.equal(await selectedClauseId(browser), target.id, 'the selection stays on the first part');
    await until(browser, async () => normalize(await clauseText(browser)) === normalize(first),
      `clause-text is not the first part "${first}"`);
    const newId = afterSplit[at + 1];
    assert.ok(newId && !ids.includes(newId), 'a new clause follows the split one');
    await screenshot('clause-split');

    await (await shown(browser, 'merge-next')).click();
    await until(browser, async () => (await clauseIds(browser)).length === clauseCount,
      'the outline did not lose a clause after the merge');
    assert.deepEqual(await clauseIds(browser), ids, 'merging restores the original clause ids');
    assert.equal(await selectedClauseId(browser), target.id, 'the selection stays on the merged clause');
    await until(browser, async () => normalize(await clauseText(browser)) === normalize(`${first} ${second}`),
      'clause-text is not the merged text');

    // The clause's history tells who did both.
    const reader = browser.$('section.reader');
    await reader.$(tid('history-toggle')).click();
    const events = await until(browser, async () => {
      const list = await reader.$$(tid('history-event'));
      return list.length >= 2 ? list : false;
    }, 'the clause history does not show the split and the merge');
    const lines = [];
    for (const e of events) lines.push(normalize(await e.getText()));
    assert.match(lines[0], /slog ihop klausulen med nästa \d{4}-\d\d-\d\d \d\d:\d\d/);
    assert.match(lines[1], /delade klausulen \d{4}-\d\d-\d\d \d\d:\d\d/);
    await screenshot('clause-history');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
    browser = null;
  }

  // ---- Restart: the Dnr and the outline are stored -------------------------------------
  browser = await startApp(library);
  try {
    await shown(browser, 'doc-list');
    const item = browser.$(`${tid('doc-item')}[data-doc-id="${newDocId}"]`);
    await item.waitForDisplayed({ timeoutMsg: 'the imported document is not listed after the restart' });
    await item.click();
    await until(browser, async () => {
      const el = browser.$(tid('document-dnr'));
      return (await el.isExisting()) && normalize(await el.getText()) === `Dnr ${NEW_DNR}`;
    }, 'the edited Dnr is not there after the restart');
    assert.equal((await clauseIds(browser)).length, clauseCount, 'the clause count is as before the split');
  } catch (err) {
    await screenshot('restart-failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
