// Issue 5 in the real app: undo and redo from the keyboard, the help overlay, an automated
// accessibility check (axe-core) of the main view, and imported markup shown as text.
//
// 1. A new finding → a consequence typed → saved → focus off the text field → Ctrl+Z: the
//    consequence is gone (the document is reloaded from the core) → Ctrl+Shift+Z: it is back.
// 2. `?` opens the keyboard help (focus inside), Escape closes it.
// 3. axe-core, injected through WebDriver, reports no serious or critical violation on the
//    main view (library, outline, clause, finding form).
// 4. A Markdown file whose text holds `<img src=x onerror=…>` and `<script>…</script>` is
//    imported and opened: the clause shows those characters literally and nothing ran.
// 5. The user name set in Preferences is the one the history shows for a new finding.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { axeViolations, screenshot, shown, startApp, stopApp, tempDir, tid, until, waitSaved, openSample } from '../lib/harness.mjs';

const USER_NAME = 'Testa Testsson';
const CONSEQUENCE = 'Ersättning kan betalas ut för insatser som aldrig utförts.';
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>window.__pwned=1</script>';
const INJECTION_MD = `---
title: Riktlinje med kod i texten
doc_type: Riktlinje
owner: Kommunstyrelsen
---

# Riktlinje med kod i texten

## 1. Inledning

1.1 Denna mening innehåller ${IMG} och ${SCRIPT} som vanliga tecken.

1.2 En andra klausul utan kod.
`;

async function consequenceValue(browser) {
  const el = browser.$(tid('finding-consequence'));
  return (await el.isExisting()) ? el.getValue() : null;
}

/** Moves the focus off any field, as a click on empty space would. */
async function focusBody(browser) {
  await browser.execute(() => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  });
  await until(browser, () => browser.execute(() => document.activeElement === document.body),
    'the focus did not leave the text field');
}

test('undo/redo from the keyboard, help overlay, axe-core, markup shown as text', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const mdFile = join(dir, 'kod-i-texten.md');
  writeFileSync(mdFile, INJECTION_MD);

  const browser = await startApp(library);
  try {
    await openSample(browser);
    const undo = await shown(browser, 'undo');
    const redo = await shown(browser, 'redo');
    assert.equal(await undo.isEnabled(), false, 'nothing to undo at start');
    assert.equal(await redo.isEnabled(), false, 'nothing to redo at start');

    // ---- A finding with a consequence -----------------------------------------------
    const clause = (await browser.$$(`${tid('outline')} ${tid('clause-item')}`))[2];
    await clause.scrollIntoView({ block: 'center' });
    await clause.click();
    await (await shown(browser, 'new-finding')).click();
    const item = await until(browser, async () => {
      const list = await browser.$$(tid('finding-item'));
      return list.length === 1 ? list[0] : false;
    }, 'new-finding did not create one finding-item');
    const findingId = await item.getAttribute('data-finding-id');
    const consequence = await shown(browser, 'finding-consequence');
    // One input event, so that the autosave makes exactly one edit of it (typing slower than
    // the debounce would make several, each its own step of undo).
    await consequence.click();
    await browser.execute((text) => {
      const el = document.querySelector('[data-testid="finding-consequence"]');
      el.value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, CONSEQUENCE);
    await waitSaved(browser);
    await focusBody(browser);
    assert.equal(await undo.isEnabled(), true, 'undo is enabled after an edit');

    // ---- Ctrl+Z: the consequence is gone ----------------------------------------------
    await browser.keys(['Control', 'z']);
    await until(browser, async () => (await consequenceValue(browser)) === '',
      'after Ctrl+Z finding-consequence is not empty');
    assert.equal(
      await browser.$(`${tid('finding-item')}[data-finding-id="${findingId}"]`).isExisting(),
      true,
      'undoing the consequence keeps the finding',
    );
    await until(browser, async () => /Ångrade: ändring av fynd/.test(await browser.$(tid('undo-status')).getProperty('textContent')),
      'the live region does not say what was undone');
    await until(browser, () => redo.isEnabled(), 'redo is not enabled after an undo');
    await screenshot('undone');

    // ---- Ctrl+Shift+Z: back again -------------------------------------------------------
    await focusBody(browser).catch(() => {});
    await browser.keys(['Control', 'Shift', 'z']);
    await until(browser, async () => (await consequenceValue(browser)) === CONSEQUENCE,
      'after Ctrl+Shift+Z finding-consequence does not hold the consequence again');
    await until(browser, async () => !(await redo.isEnabled()), 'redo stays enabled with nothing left to redo');
    await waitSaved(browser);
    await screenshot('redone');

    // ---- The help overlay ---------------------------------------------------------------
    // One-letter keys act in the outline (issue 22): focus its current clause first.
    await browser.$(`${tid('outline')} [data-clause-id][aria-current]`).click();
    await browser.keys('?');
    const help = await shown(browser, 'help-overlay');
    const helpText = await help.getText();
    for (const words of ['Nästa klausul', 'Föregående klausul', 'Nytt fynd', 'Acceptera', 'Avfärda', 'Ångra', 'Gör om']) {
      assert.ok(helpText.includes(words), `the help overlay lists "${words}"`);
    }
    assert.equal(
      await browser.execute(() => document.querySelector('[data-testid="help-overlay"]').contains(document.activeElement)),
      true,
      'the focus is inside the help overlay',
    );
    await screenshot('help-overlay');
    await browser.keys('Escape');
    await until(browser, async () => !(await browser.$(tid('help-overlay')).isExisting()),
      'Escape did not close the help overlay');

    // ---- axe-core on the main view --------------------------------------------------------
    const serious = await axeViolations(browser, t, 'main view');
    assert.deepEqual(serious, [], `axe-core found serious or critical violations:\n${JSON.stringify(serious, null, 2)}`);

    // ---- Markup in an imported document stays text -------------------------------------------
    await browser.$(tid('import-input')).addValue(mdFile);
    const summary = await shown(browser, 'import-summary', 60_000);
    const [result1] = await summary.$$(tid('import-result'));
    assert.equal(await result1.getAttribute('data-ok'), 'true', 'the Markdown file is imported');
    await (await shown(browser, 'import-close')).click();
    await until(browser, async () => /kod i texten/i.test(await browser.$(tid('document-title')).getText()),
      'the imported document did not open');
    const target = await until(browser, async () => {
      for (const el of await browser.$$(`${tid('outline')} ${tid('clause-item')}`)) {
        if ((await el.getProperty('textContent')).includes('<img')) return el;
      }
      return false;
    }, 'no clause-item shows "<img" literally');
    await target.click();
    const text = await until(browser, async () => {
      const value = await browser.$(tid('clause-text')).getProperty('textContent');
      return value?.includes('<img') ? value : false;
    }, 'clause-text does not show the clause with the markup');
    assert.ok(text.includes(IMG), `clause-text shows ${IMG} literally: ${text}`);
    assert.ok(text.includes(SCRIPT), `clause-text shows ${SCRIPT} literally: ${text}`);
    const page = await browser.execute(() => ({
      pwned: typeof window.__pwned,
      images: document.querySelectorAll('img[src="x"]').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__pwned')).length,
    }));
    assert.deepEqual(page, { pwned: 'undefined', images: 0, scripts: 0 }, 'the markup was not interpreted');
    await screenshot('markup-as-text');

    // ---- Preferences: the user's name goes into the history -----------------------------------
    await (await shown(browser, 'open-preferences')).click();
    const name = await shown(browser, 'pref-user-name');
    await name.setValue(USER_NAME);
    await (await shown(browser, 'pref-save')).click();
    await until(browser, async () => !(await browser.$(tid('preferences-form')).isExisting()),
      'the preferences dialog did not close after saving');
    await (await shown(browser, 'new-finding')).click();
    await shown(browser, 'finding-item');
    const panel = browser.$('aside.panel');
    await panel.$(tid('history-toggle')).click();
    await until(browser, async () => {
      for (const e of await panel.$$(tid('history-event'))) {
        if ((await e.getProperty('textContent')).includes(USER_NAME)) return true;
      }
      return false;
    }, `the finding's history does not name "${USER_NAME}"`);
    await screenshot('history-with-preferred-name');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
