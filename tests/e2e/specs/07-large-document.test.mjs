// Issue 5 in the real app: a 2,000-clause document. It is imported with the CLI into a fresh
// library, opened in the app, and its outline is windowed: the list says it has 2,040 rows
// while only a screenful or two of them are in the DOM; End and Home (keyboard) reach the
// last and the first clause, which are then rendered, selected and visible; scrolling the
// list renders the rows that come into view. The open time is reported (a diagnostic — the
// benchmark is tests/e2e/tools/open-large.mjs), not asserted.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, screenshot, shown, startApp, stopApp, tempDir, tid, until } from '../lib/harness.mjs';
import { largeDocument, timeOpen } from '../lib/large-document.mjs';


test('a 2,000-clause document opens with a windowed outline that the keyboard can cross', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  // A small document first (the app opens the first one at start), then the long one.
  const small = join(dir, 'liten-riktlinje.md');
  writeFileSync(small, '# Liten riktlinje\n\n## 1. Syfte\n\n1.1 Riktlinjen gäller alla bidrag.\n\n1.2 Bidrag betalas ut en gång per år.\n');
  const doc = largeDocument();
  const file = join(dir, 'stort-reglemente.md');
  writeFileSync(file, doc.text);
  const imported = JSON.parse(
    execFileSync(CLI, ['--library', library, 'import', small, file, '--json'], { encoding: 'utf8' }),
  );
  assert.deepEqual(imported.map((r) => r.ok), [true, true], 'the CLI imports both documents');
  assert.equal(imported[1].report.clauses, doc.clauses);
  const smallId = imported[0].report.document_id;
  const docId = imported[1].report.document_id;

  const browser = await startApp(library, ['--config-dir', join(dir, 'config')]);
  try {
    await shown(browser, 'doc-list');
    // The sample is seeded only into a library that never had a document: this one has ours.
    await until(browser, async () => (await browser.$$(tid('doc-item'))).length === 2, 'both documents listed');
    await until(browser, async () => /Liten riktlinje/.test(await browser.$(tid('document-title')).getText()),
      'the small document is open at start');

    const times = [];
    for (let run = 0; run < 3; run++) {
      times.push(await timeOpen(browser, docId, doc.rows));
      if (run < 2) await timeOpen(browser, smallId, 3);
    }
    t.diagnostic(`open ${doc.clauses} clauses: ${times.map((ms) => `${Math.round(ms)} ms`).join(', ')}`);

    const outline = await shown(browser, 'outline');
    assert.equal(await outline.getAttribute('data-rows'), String(doc.rows));
    const rendered = (await browser.$$(tid('clause-item'))).length;
    assert.ok(rendered > 5 && rendered < 150, `a window of rows is rendered, not all ${doc.clauses}: ${rendered}`);
    await screenshot('large-document-open');

    // ---- End: the last clause, from the keyboard ---------------------------------------------
    await browser.$(`${tid('clause-item')}[aria-current="true"]`).click();
    await browser.keys('End');
    await until(browser, async () => (await browser.$(tid('clause-label')).getText()).includes('50 §')
      && (await browser.$(tid('clause-text')).getProperty('textContent')).length > 0, 'End did not select the last clause');
    const last = await browser.execute(() => {
      const el = document.querySelector('[data-testid="clause-item"][aria-current="true"]');
      const box = el?.getBoundingClientRect();
      const pane = document.querySelector('[data-pane="outline"]')?.getBoundingClientRect();
      return {
        posinset: el?.closest('li')?.getAttribute('aria-posinset'),
        focused: document.activeElement === el,
        visible: Boolean(box && pane && box.top >= pane.top - 1 && box.bottom <= pane.bottom + 1),
        firstRendered: document.querySelector('[data-testid="clause-item"]')?.closest('li')?.getAttribute('aria-posinset'),
      };
    });
    assert.equal(last.posinset, String(doc.rows), 'the selected row is the last of the list');
    assert.ok(last.focused, 'the last clause has the keyboard focus');
    assert.ok(last.visible, 'the last clause is scrolled into view');
    assert.ok(Number(last.firstRendered) > 1000, `rows at the top are no longer rendered (first: ${last.firstRendered})`);
    await screenshot('large-document-end');

    // ---- Home: back to the first clause -------------------------------------------------------
    await browser.keys('Home');
    await until(browser, async () => (await browser.$(tid('clause-label')).getText()).includes('1 §')
      && (await browser.execute(() => document.querySelector('[data-testid="clause-item"][aria-current="true"]')
        ?.closest('li')?.getAttribute('aria-posinset'))) === '2', 'Home did not select the first clause');

    // ---- Scrolling renders what comes into view --------------------------------------------------
    const middle = await browser.execute(async () => {
      const pane = document.querySelector('[data-pane="outline"]');
      pane.scrollTop = pane.scrollHeight / 2;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const box = pane.getBoundingClientRect();
      const row = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)?.closest('li');
      return row?.getAttribute('aria-posinset') ?? null;
    });
    assert.ok(middle && Math.abs(Number(middle) - doc.rows / 2) < 60, `the middle of the list shows rows from the middle (${middle})`);
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
