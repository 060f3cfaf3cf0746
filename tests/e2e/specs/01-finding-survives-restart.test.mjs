// Issue 2 acceptance test: a finding written in the app is still there after a restart.
//
// Empty library → the sample document is seeded and listed → open it → select a clause →
// new finding → consequence, crime type BID, matrix cell 3-4, proposed wording → autosave
// says "saved" → close the app → start it again on the same library → everything is back.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  screenshot,
  shown,
  startApp,
  stopApp,
  tempDir,
  tid,
  until,
  waitSaved,
  x11WindowNames,
} from '../lib/harness.mjs';

const CONSEQUENCE =
  'En utförare kan registrera insatser som aldrig utförts och få ersättning för dem, eftersom kommunen inte följer upp tidrapporterna.';
const PROPOSED =
  'Utföraren ska rapportera utförd tid via kommunens system; nämnden stämmer av rapporterad tid mot beviljade insatser varje månad.';

/** The document item of the seeded sample ("Reglemente för kundval inom hemtjänst"). */
async function sampleDocItems(browser) {
  await shown(browser, 'doc-list');
  return until(
    browser,
    async () => {
      const items = await browser.$$(`${tid('doc-list')} ${tid('doc-item')}`);
      const matching = [];
      for (const item of items) {
        if (/kundval/i.test(await item.getText())) matching.push(item);
      }
      return matching.length > 0 ? matching : false;
    },
    'no doc-item containing "kundval" appeared in doc-list (was the sample document seeded?)',
  );
}

async function clauseItems(browser) {
  await shown(browser, 'outline');
  return until(
    browser,
    async () => {
      const items = await browser.$$(`${tid('outline')} ${tid('clause-item')}`);
      return items.length > 0 ? items : false;
    },
    'the outline shows no clause-item',
  );
}

async function selectClause(browser, clauseId) {
  const clause = browser.$(`${tid('outline')} ${tid('clause-item')}[data-clause-id="${clauseId}"]`);
  await clause.waitForDisplayed({ timeoutMsg: `clause-item data-clause-id="${clauseId}" not shown` });
  await clause.scrollIntoView({ block: 'center' });
  await clause.click();
  // The clause panel shows the chosen clause: most of the first words of clause-text are in
  // the clicked item, which shows the clause's number and first line. (textContent, since
  // WebDriver's visible text leaves out the ellipsised first line.)
  const itemWords = new Set(words(await clause.getProperty('textContent')));
  await until(
    browser,
    async () => {
      const el = browser.$(tid('clause-text'));
      if (!(await el.isExisting()) || !(await el.isDisplayed())) return false;
      const first = words(await el.getText()).slice(0, 6);
      return first.length > 0 && first.filter((w) => itemWords.has(w)).length * 2 >= first.length;
    },
    `clause-text did not show the text of clause ${clauseId} after clicking it`,
  );
}

const words = (s) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const normalize = (s) => s.replace(/\s+/g, ' ').trim();

async function findingItems(browser) {
  return browser.$$(tid('finding-item'));
}

test('a finding is saved automatically and is still there after restarting the app', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  assert.ok(!existsSync(library), 'the library must start out missing');

  let docId;
  let clauseId;

  // ---- First run: write the finding --------------------------------------------------
  let browser = await startApp(library);
  try {
    const title = await until(browser, async () => (await browser.getTitle()) === 'Kryphål' && 'Kryphål',
      'the document title never became "Kryphål"').catch(async (err) => {
      err.message += ` (got "${await browser.getTitle()}")`;
      throw err;
    });
    assert.equal(title, 'Kryphål');
    // The native window title too (document.title is only the page's).
    const windows = await x11WindowNames();
    if (windows) {
      assert.ok(windows.includes('Kryphål'), `no X11 window titled "Kryphål"; windows: ${JSON.stringify(windows)}`);
    } else {
      t.diagnostic('xwininfo (x11-utils) not available: native window title not checked');
    }

    const [sample, ...more] = await sampleDocItems(browser);
    assert.equal(more.length, 0, 'the sample document is listed once');
    docId = await sample.getAttribute('data-doc-id');
    assert.ok(docId, 'doc-item has a data-doc-id');
    await screenshot('first-start-doc-list');

    await sample.click();
    const clauses = await clauseItems(browser);
    // A clause from the middle of the document, so that a finding on the wrong clause shows.
    const clause = clauses[Math.min(2, clauses.length - 1)];
    clauseId = await clause.getAttribute('data-clause-id');
    assert.ok(clauseId, 'clause-item has a data-clause-id');
    await selectClause(browser, clauseId);
    assert.equal((await findingItems(browser)).length, 0, 'a new library has no findings on the clause');
    await screenshot('clause-selected');

    await (await shown(browser, 'new-finding')).click();
    await until(browser, async () => (await findingItems(browser)).length === 1,
      'new-finding did not create exactly one finding-item');
    const findingId = await (await findingItems(browser))[0].getAttribute('data-finding-id');
    assert.ok(findingId, 'finding-item has a data-finding-id');

    const consequence = await shown(browser, 'finding-consequence');
    await consequence.setValue(CONSEQUENCE);
    assert.equal(await consequence.getValue(), CONSEQUENCE);

    const bid = await shown(browser, 'crime-type-BID');
    await bid.scrollIntoView({ block: 'center' });
    await bid.click();
    await until(browser, () => bid.isSelected(), 'crime-type-BID was not ticked by clicking it');

    const cell = await shown(browser, 'matrix-cell-3-4');
    await cell.scrollIntoView({ block: 'center' });
    await cell.click();
    await until(browser, async () => (await cell.getAttribute('aria-pressed')) === 'true',
      'matrix-cell-3-4 is not aria-pressed="true" after clicking it');
    const risk = normalize(await (await shown(browser, 'finding-risk')).getText());
    assert.ok(risk.length > 0, 'finding-risk shows a level once likelihood and impact are chosen');

    const proposed = await shown(browser, 'finding-proposed');
    await proposed.scrollIntoView({ block: 'center' });
    await proposed.setValue(PROPOSED);
    assert.equal(await proposed.getValue(), PROPOSED);
    await browser.keys('Tab'); // blur flushes the autosave

    await waitSaved(browser);
    await screenshot('finding-saved');
    t.diagnostic(`doc ${docId}, clause ${clauseId}, finding ${findingId}, risk "${risk}"`);
  } catch (err) {
    await screenshot('first-run-failure');
    throw err;
  } finally {
    await stopApp(browser);
    browser = null;
  }
  assert.ok(existsSync(library), 'the library file was created');

  // ---- Second run: the same library, everything is back ------------------------------
  browser = await startApp(library);
  try {
    const items = await sampleDocItems(browser);
    assert.equal(items.length, 1, 'the sample document is not seeded a second time');
    assert.equal(await items[0].getAttribute('data-doc-id'), docId, 'the document keeps its id');
    await items[0].click();
    await clauseItems(browser);
    await selectClause(browser, clauseId);

    const findings = await until(browser, async () => {
      const list = await findingItems(browser);
      return list.length > 0 ? list : false;
    }, `after the restart, clause ${clauseId} shows no finding-item`);
    assert.equal(findings.length, 1, 'exactly one finding on the clause after the restart');
    await findings[0].click();

    const consequence = await shown(browser, 'finding-consequence');
    await until(browser, async () => (await consequence.getValue()) === CONSEQUENCE,
      'finding-consequence does not hold the typed text after the restart');
    assert.equal(await (await shown(browser, 'finding-proposed')).getValue(), PROPOSED);
    assert.equal(await (await shown(browser, 'crime-type-BID')).isSelected(), true, 'crime-type-BID is still ticked');
    assert.equal(await (await shown(browser, 'matrix-cell-3-4')).getAttribute('aria-pressed'), 'true',
      'matrix-cell-3-4 is still pressed');
    const otherPressed = await browser.$$('[data-testid^="matrix-cell-"][aria-pressed="true"]');
    assert.equal(otherPressed.length, 1, 'exactly one matrix cell is pressed');
    await screenshot('second-start-finding-restored');
  } catch (err) {
    await screenshot('second-run-failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
