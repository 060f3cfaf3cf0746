// Issue 5 in the real app, without a mouse: a DOCX fixture is imported (the file goes in
// through the import field — the OS file dialog is the one step outside the page), and from
// there on every action is a key press: F6 to the outline, j to the clause the screening
// flagged, `a` to accept its suggestion, Tab to the risk grid, arrows and Enter to rate it,
// Tab to the proposed wording and typing it; the word diff shows the change; Ctrl+Z (outside
// the text field) takes the whole typed wording back as one step, Ctrl+Shift+Z returns it.
// The language is switched to English from the keyboard and the help overlay, preferences
// and metadata dialogs are opened with keys and checked with axe-core, in English.
// A restart on the same library and the same preferences: everything is still there, still
// in English.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  axeViolations,
  repoRoot,
  screenshot,
  shown,
  startApp,
  stopApp,
  tempDir,
  tid,
  until,
  waitSaved,
} from '../lib/harness.mjs';

const DOCX = join(repoRoot, 'crates', 'kryphal-ingest', 'tests', 'fixtures', 'riktlinje.docx');
const CLAUSE_WORDS = 'Förändringar ska anmälas inom en månad';
const PROPOSED = 'Förändringar ska anmälas skriftligt till nämnden inom fem arbetsdagar.';

/** The `data-pane` of the focused element (or null). */
const paneOfFocus = (browser) =>
  browser.execute(() => document.activeElement?.closest('[data-pane]')?.getAttribute('data-pane') ?? null);
/** The data-testid of the focused element (or null). */
const focusedTestid = (browser) => browser.execute(() => document.activeElement?.getAttribute('data-testid') ?? null);

/** Presses `key` until `done()` is true, at most `max` times; fails with `what` otherwise. */
async function pressUntil(browser, key, done, what, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await done()) return;
    await browser.keys(key);
  }
  if (!(await done())) throw new Error(`${max} × ${JSON.stringify(key)} did not reach ${what}`);
}

/** Tabs forward until the element with `testid` has the focus. */
const tabTo = (browser, testid, max = 60) =>
  pressUntil(browser, 'Tab', async () => (await focusedTestid(browser)) === testid, `data-testid="${testid}"`, max);

const f6To = (browser, pane) => pressUntil(browser, 'F6', async () => (await paneOfFocus(browser)) === pane, `the ${pane} pane`, 8);

async function assertAxeClean(browser, t, label) {
  const serious = await axeViolations(browser, t, label);
  assert.deepEqual(serious, [], `axe-core found serious or critical violations (${label}):\n${JSON.stringify(serious, null, 2)}`);
}

test('keyboard only: DOCX → accept a suggestion → risk grid → proposed wording → diff → undo → English → restart', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  // Preferences of this test's own, so that English does not leak into other specs.
  const args = ['--config-dir', join(dir, 'config')];

  let browser = await startApp(library, args);
  let findingId;
  try {
    await shown(browser, 'doc-list');
    // ---- Import (the file dialog's part) --------------------------------------------------
    await browser.$(tid('import-input')).addValue(DOCX);
    const summary = await shown(browser, 'import-summary', 60_000);
    const [result] = await summary.$$(tid('import-result'));
    assert.equal(await result.getAttribute('data-ok'), 'true', 'the DOCX fixture is imported');
    await assertAxeClean(browser, t, 'import summary dialog');
    await screenshot('import-summary');
    await browser.keys('Escape');
    await until(browser, async () => !(await browser.$(tid('import-summary')).isExisting()),
      'Escape did not close the import summary');
    await until(browser, async () => /Riktlinje för kundval i hemtjänst/.test(await browser.$(tid('document-title')).getText()),
      'the imported document did not open');
    await screenshot('imported-docx-open');

    // ---- To the flagged clause -----------------------------------------------------------
    await f6To(browser, 'outline');
    await pressUntil(
      browser,
      'j',
      async () => (await browser.$(tid('clause-text')).getProperty('textContent'))?.includes(CLAUSE_WORDS),
      `the clause "${CLAUSE_WORDS}"`,
    );
    assert.equal(await paneOfFocus(browser), 'outline', 'j keeps the focus in the outline');
    const marks = await browser.$$(tid('suggestion-mark'));
    assert.ok(marks.length > 0, 'the clause shows the screening match highlighted');

    // ---- a: accept the first open suggestion → a prefilled finding -----------------------------
    await browser.keys('a');
    const item = await until(browser, async () => {
      const list = await browser.$$(tid('finding-item'));
      return list.length === 1 ? list[0] : false;
    }, '`a` did not turn the suggestion into one finding');
    findingId = await item.getAttribute('data-finding-id');
    await until(browser, async () => (await focusedTestid(browser)) === 'finding-item', 'the new finding did not get the focus');
    const prefilled = await browser.$(tid('finding-consequence')).getValue();
    assert.ok(prefilled.length > 0, 'the accepted suggestion prefilled the consequence');
    // The rule's starting wording: the clause with the long deadline replaced.
    const startingWording = await browser.$(tid('finding-proposed')).getValue();
    assert.ok(startingWording.includes('fem arbetsdagar') && !startingWording.includes('en månad'),
      `the accepted suggestion prefilled the proposed wording: ${startingWording}`);

    // ---- The risk grid: one tab stop, arrows, Enter ---------------------------------------------
    await pressUntil(browser, 'Tab', async () => ((await focusedTestid(browser)) ?? '').startsWith('matrix-cell-'),
      'the risk grid', 60);
    assert.equal(await focusedTestid(browser), 'matrix-cell-1-1', 'the grid is entered at its lowest corner');
    // One key per call: an array would be pressed as a chord.
    for (const key of ['ArrowUp', 'ArrowUp', 'ArrowRight', 'ArrowRight', 'ArrowRight']) await browser.keys(key);
    assert.equal(await focusedTestid(browser), 'matrix-cell-3-4', 'the arrows move across the grid');
    await browser.keys('Enter');
    await until(browser, async () => (await browser.$(tid('finding-risk')).getAttribute('data-level')) === 'very_high',
      'Enter on likelihood 3 × consequence 4 did not give "very_high"');
    assert.equal(await browser.$(tid('matrix-cell-3-4')).getAttribute('aria-pressed'), 'true');

    // ---- The proposed wording, typed ----------------------------------------------------------
    await tabTo(browser, 'finding-proposed');
    // Element Send Keys types into the focused field key by key (browser.keys would press
    // repeated letters such as the "mm" of "gammalt" as one chord).
    await browser.$(tid('finding-proposed')).setValue(PROPOSED);
    await until(browser, async () => (await browser.$(tid('finding-proposed')).getValue()) === PROPOSED,
      'the proposed wording was not typed in full');
    await shown(browser, 'finding-diff');
    const { dels, inss } = await browser.execute(() => {
      const texts = (id) =>
        [...document.querySelectorAll(`[data-testid="finding-diff"] [data-testid="${id}"]`)].map((e) => e.textContent);
      return { dels: texts('diff-del'), inss: texts('diff-ins') };
    });
    assert.ok(dels.join(' ').includes('månad'), `the diff strikes "en månad": ${dels}`);
    assert.ok(inss.join(' ').includes('skriftligt till nämnden'), `the diff marks "skriftligt till nämnden" as new: ${inss}`);
    await waitSaved(browser);
    await screenshot('keyboard-finding-with-diff');

    // ---- Undo the typing as one step, redo it ---------------------------------------------------
    await f6To(browser, 'header');
    await browser.keys(['Control', 'z']);
    await until(browser, async () => (await browser.$(tid('finding-proposed')).getValue()) === startingWording,
      'one Ctrl+Z did not take back the whole typed wording (back to the starting wording)');
    assert.equal(await browser.$(tid('finding-risk')).getAttribute('data-level'), 'very_high',
      'undoing the wording keeps the rating made before it');
    await browser.keys(['Control', 'Shift', 'z']);
    await until(browser, async () => (await browser.$(tid('finding-proposed')).getValue()) === PROPOSED,
      'Ctrl+Shift+Z did not bring the wording back');
    await waitSaved(browser);

    // ---- English, from the keyboard -------------------------------------------------------------
    await f6To(browser, 'header');
    await tabTo(browser, 'language-en', 20);
    await browser.keys('Enter');
    await until(browser, async () => (await browser.$('#findings-heading').getProperty('textContent')) === 'Findings',
      'the findings pane is not headed "Findings" after switching to English');
    assert.equal(await browser.execute(() => document.documentElement.lang), 'en', 'the page language follows');
    await assertAxeClean(browser, t, 'main view in English');

    // ---- Dialogs, opened with keys, checked with axe ---------------------------------------------
    await f6To(browser, 'outline');
    await browser.keys('?');
    const help = await shown(browser, 'help-overlay');
    const helpText = await help.getText();
    for (const words of ['Next clause', 'First or last clause', 'toolbar, library, outline', 'Swedish Hunspell dictionary', 'GNU LGPL version 3']) {
      assert.ok(helpText.includes(words), `the English help overlay lists "${words}"`);
    }
    await assertAxeClean(browser, t, 'help overlay');
    await browser.keys('Escape');
    await until(browser, async () => !(await browser.$(tid('help-overlay')).isExisting()), 'Escape did not close the help');

    await f6To(browser, 'header');
    await tabTo(browser, 'open-preferences', 20);
    await browser.keys('Enter');
    await shown(browser, 'preferences-form');
    assert.equal(await focusedTestid(browser), 'pref-user-name', 'the preferences dialog opens with the focus in it');
    await assertAxeClean(browser, t, 'preferences dialog');
    await browser.keys('Escape');
    await until(browser, async () => !(await browser.$(tid('preferences-form')).isExisting()), 'Escape did not close preferences');

    await f6To(browser, 'header');
    // Metadata is one of the document's less used actions, behind "Mer".
    await tabTo(browser, 'doc-more', 40);
    await browser.keys('Enter');
    await tabTo(browser, 'edit-metadata', 6);
    await browser.keys('Enter');
    await shown(browser, 'metadata-form');
    await until(browser, async () => (await focusedTestid(browser)) === 'meta-title', 'the metadata dialog did not take the focus');
    await assertAxeClean(browser, t, 'metadata dialog');
    await screenshot('metadata-dialog-english');
    await browser.keys('Escape');
    await until(browser, async () => !(await browser.$(tid('metadata-form')).isExisting()), 'Escape did not close the metadata dialog');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }

  // ---- Restart: the finding, its rating and wording, and English are all there ------------------
  browser = await startApp(library, args);
  try {
    await until(browser, async () => (await browser.$('#library-heading').getProperty('textContent')) === 'Governing documents',
      'after a restart the app is not in English');
    const doc = await until(browser, async () => {
      for (const el of await browser.$$(tid('doc-item'))) {
        if (/Riktlinje för kundval/.test(await el.getText())) return el;
      }
      return false;
    }, 'the imported document is not listed after a restart');
    // Keyboard again: F6 to the library, Tab to the document, Enter.
    await f6To(browser, 'library');
    await pressUntil(browser, 'Tab', async () => browser.execute((el) => document.activeElement === el, doc), 'the imported document');
    await browser.keys('Enter');
    await until(browser, async () => /Riktlinje för kundval/.test(await browser.$(tid('document-title')).getText()),
      'Enter on the document did not open it');
    await f6To(browser, 'outline');
    await pressUntil(
      browser,
      'j',
      async () => (await browser.$(tid('clause-text')).getProperty('textContent'))?.includes(CLAUSE_WORDS),
      'the clause with the finding',
    );
    const item = await shown(browser, 'finding-item');
    assert.equal(await item.getAttribute('data-finding-id'), findingId);
    await browser.keys('F6');
    await browser.keys('F6');
    await until(browser, async () => (await browser.$(tid('finding-proposed')).isExisting()), 'the finding form is not open');
    assert.equal(await browser.$(tid('finding-proposed')).getValue(), PROPOSED);
    assert.equal(await browser.$(tid('finding-risk')).getAttribute('data-level'), 'very_high');
    assert.ok((await browser.$$(`${tid('finding-diff')} ${tid('diff-ins')}`)).length > 0, 'the diff is shown again');
    await screenshot('after-restart-english');
  } catch (err) {
    await screenshot('failure-after-restart');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
