// Issue 6 in the real app: search everything. A fresh library gets the sample document; Ctrl+K
// opens the search; `belastningsregister` finds clause 4.5 (its text says
// "belastningsregistret": Swedish stemming and compounds), grouped under the document's title;
// a facet chip narrows the hits; ↓ and Enter open the clause with the searched words marked in
// it. A hostile query shows no error; axe-core finds nothing serious with the dialog open; a
// finding written in the app is found by the next search (the index is kept in step), and the
// index folder lies beside the library.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { axeViolations, screenshot, shown, startApp, stopApp, tempDir, tid, until, waitSaved } from '../lib/harness.mjs';

const WORD = 'belastningsregister';
const FINDING_WORD = 'kolibrimetoden';

async function openSearch(browser) {
  await browser.execute(() => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  });
  await browser.keys(['Control', 'k']);
  return shown(browser, 'search-input');
}

/**
 * Types the query as one input event and waits for the answer to it (debounced ~150 ms);
 * `filters` is the number of facet filters on.
 */
async function searchFor(browser, query, filters = 0) {
  await browser.execute((q) => {
    const el = document.querySelector('[data-testid="search-input"]');
    el.value = q;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, query);
  return until(browser, async () => {
    const status = browser.$(tid('search-status'));
    if ((await status.getAttribute('data-answered')) !== `${filters}:${query}`) return false;
    const state = await status.getAttribute('data-state');
    // While the index is being built at start the dialog says so and tries again itself.
    return state !== 'building' ? state : false;
  }, `the search for ${query.slice(0, 30)} did not finish`);
}

test('search: Ctrl+K, hits by document, a facet narrows, Enter opens the clause marked', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.kryphal');
  const browser = await startApp(library, ['--config-dir', join(dir, 'config')]);
  try {
    await shown(browser, 'doc-list');
    await until(browser, async () => (await browser.$$(tid('doc-item'))).length === 1, 'the sample is seeded');
    await shown(browser, 'outline');

    // ---- Ctrl+K and a word of the sample -----------------------------------------------------
    await openSearch(browser);
    assert.equal(await browser.execute(() => document.activeElement?.dataset.testid), 'search-input',
      'the search field has the focus');
    const state = await searchFor(browser, WORD);
    assert.equal(state, 'ready');
    const groups = await browser.$$(tid('search-group'));
    assert.equal(groups.length, 1, 'one document, one group');
    assert.match(await groups[0].getText(), /Reglemente för kundval/);
    const hits = await browser.$$(tid('search-hit'));
    assert.ok(hits.length >= 1, 'at least one hit');
    const marked = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="search-snippet"] mark')].map((m) => m.textContent));
    assert.ok(marked.some((m) => /^belastningsregistret$/i.test(m)), `the stemmed word is marked: ${marked}`);
    await screenshot('search-dialog');

    const serious = await axeViolations(browser, t, 'search dialog open');
    assert.deepEqual(serious, [], 'no serious or critical axe violation with the search open');

    // ---- A facet narrows a broader search ------------------------------------------------------
    await searchFor(browser, 'hemtjänst');
    const before = (await browser.$$(tid('search-hit'))).length;
    const kindChips = await browser.$$(`${tid('search-facet-value')}[data-key="kind"]`);
    assert.ok(kindChips.length >= 2, 'hemtjänst is in clauses and in the document title: two kinds to choose');
    let clauseChip = null;
    for (const chip of kindChips) if ((await chip.getAttribute('data-value')) === 'clause') clauseChip = chip;
    assert.ok(clauseChip, 'a "clause" chip');
    await clauseChip.click();
    await until(browser, async () => (await browser.$(`${tid('search-facet-value')}[data-key="kind"][data-value="clause"]`)
      .getAttribute('aria-pressed')) === 'true', 'the chip is pressed');
    await until(browser, async () => {
      const kinds = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid="search-hit"]')].map((h) => h.dataset.kind));
      return kinds.length > 0 && kinds.length <= before && kinds.every((k) => k === 'clause');
    }, 'the facet did not narrow the hits to clauses');
    await screenshot('search-facet');
    await browser.$(`${tid('search-facet-value')}[data-key="kind"][data-value="clause"]`).click();

    // ---- ↓ and Enter: the clause opens with the words marked -----------------------------------
    await searchFor(browser, WORD);
    const input = await browser.$(tid('search-input'));
    await input.click();
    const first = await browser.$$(tid('search-hit'));
    const target = await first[0].getAttribute('data-clause-id');
    if (first.length > 1) {
      await browser.keys('ArrowDown');
      await browser.keys('ArrowUp');
    } else {
      await browser.keys('ArrowDown'); // wraps to the only hit
    }
    assert.equal(await input.getAttribute('aria-activedescendant'), await first[0].getAttribute('id'));
    await browser.keys('Enter');
    await until(browser, async () => !(await browser.$(tid('search-dialog')).isExisting()), 'Enter closes the dialog');
    await until(browser, async () =>
      (await browser.$(`${tid('clause-item')}[aria-current="true"]`).getAttribute('data-clause-id')) === target,
    'Enter selects the clause of the hit');
    const marks = await until(browser, () => browser.execute(() =>
      [...document.querySelectorAll('[data-testid="suggestion-mark"]')]
        .filter((m) => m.dataset.suggestionIds.split(' ').includes('search-hit'))
        .map((m) => m.textContent)), 'the searched words are marked in the clause');
    assert.ok(marks.some((m) => /belastningsregistret/i.test(m)), `marked in the clause: ${marks}`);
    await screenshot('search-opened-clause');

    // ---- A hostile query: no error, no crash ---------------------------------------------------
    await openSearch(browser);
    const hostile = await searchFor(browser, '"unbalanced AND (');
    assert.notEqual(hostile, 'error');
    assert.equal(await browser.$(tid('fatal-error')).isExisting(), false);
    const long = await searchFor(browser, 'ord '.repeat(2_500));
    assert.notEqual(long, 'error');
    await browser.keys('Escape');
    await until(browser, async () => !(await browser.$(tid('search-dialog')).isExisting()), 'Escape closes the dialog');

    // ---- Kept in step: a finding written now is found ------------------------------------------
    await (await shown(browser, 'new-finding')).click();
    const consequence = await shown(browser, 'finding-consequence');
    await consequence.click();
    await browser.execute((text) => {
      const el = document.querySelector('[data-testid="finding-consequence"]');
      el.value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, `Gamla utdrag godtas enligt ${FINDING_WORD}.`);
    await waitSaved(browser);
    // Ctrl+F from the text field opens the search too.
    await browser.keys(['Control', 'f']);
    await shown(browser, 'search-input');
    await searchFor(browser, FINDING_WORD);
    const found = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="search-hit"]')].map((h) => h.dataset.kind));
    assert.deepEqual(found, ['finding'], 'the new finding is found');
    await screenshot('search-finding');
    await browser.keys('Enter');
    await until(browser, async () =>
      (await browser.$(`${tid('finding-item')}[aria-pressed="true"]`).isExisting()), 'the finding is selected');

    assert.ok(existsSync(`${library}.search`), 'the index folder lies beside the library');
  } finally {
    await stopApp(browser);
  }
});
