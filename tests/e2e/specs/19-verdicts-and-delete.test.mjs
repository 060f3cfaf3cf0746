// Issue 22, items 2 and 3 in the real app: a whole section given "checked — no risk" counts in
// the coverage; "mark final" is refused with what is missing; a document is deleted after a
// confirmation that says what goes, Ctrl+Z brings it back with its clauses.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { docAction, openSample, screenshot, shown, startApp, stopApp, tempDir, tid, until } from '../lib/harness.mjs';

const done = async (browser) => {
  const m = /(\d+) av (\d+) klausuler har en bedömning/.exec(await browser.$(tid('coverage')).getText());
  assert.ok(m, 'the coverage line is shown');
  return { done: Number(m[1]), all: Number(m[2]) };
};

test('verdicts by section, final refused, delete and undo', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const browser = await startApp(join(dir, 'lib.sqlite'));
  try {
    await openSample(browser);
    const before = await done(browser);
    await (await shown(browser, 'verdict-section-checked')).click();
    await until(browser, async () => (await done(browser)).done > before.done, 'the section verdict did not count');
    assert.equal(await browser.$(tid('verdict-bar')).getAttribute('data-verdict'), 'checked');
    await screenshot('section-checked');

    await (await docAction(browser, 'mark-final')).click();
    await until(browser, async () => /saknar bedömning/.test(await browser.$(tid('final-error')).getText()),
      'mark final was not refused with what is missing');
    await screenshot('final-refused');

    const title = await browser.$(tid('document-title')).getText();
    await (await docAction(browser, 'delete-document')).click();
    const what = await shown(browser, 'delete-what');
    assert.match(await what.getText(), /klausuler, \d+ fynd/);
    await screenshot('delete-confirmation');
    await browser.$(tid('delete-confirm')).click();
    // Read in one go in the page: the list re-renders while it is read.
    const listed = async () => browser.execute(
      (t) => [...document.querySelectorAll('[data-testid="doc-item"]')].some((el) => el.textContent.includes(t)),
      title,
    );
    await until(browser, async () => !(await listed()), 'the deleted document is still listed');
    await screenshot('deleted');
    await browser.$(tid('undo')).click();
    await until(browser, listed, 'undo did not bring the document back');
    await screenshot('delete-undone');
  } finally {
    await stopApp(browser);
  }
});
