// Issue 22, item 1 in the real app: one-letter keys never act behind the user's back.
//
// The user writes a consequence in a new finding, then clicks into empty space (the heading of
// the findings pane: nothing there takes the focus, so the page itself has it) and types a
// sentence full of n, a, d, j and k. Nothing may happen: no new finding, no accepted or
// dismissed suggestion, no other clause, no help overlay, and the consequence is unchanged.
// Then the same keys from the outline do act (j moves), so the test can tell the difference.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSample, screenshot, shown, startApp, stopApp, tempDir, tid, until, waitSaved } from '../lib/harness.mjs';

const CONSEQUENCE = 'Ansvaret kan falla mellan två stolar.';
const SENTENCE = 'Kommunledningsförvaltningen ansvarar för att nämnden kan dokumentera avtal, jämföra anbud och kontrollera dem.';

const count = async (browser, testid, extra = '') => (await browser.$$(`${tid(testid)}${extra}`)).length;
const OPEN = '[data-state="open"]';
const clauseLabel = (browser) => browser.$(tid('clause-label')).getText();

test('a sentence typed after a click into empty space does nothing', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const browser = await startApp(join(dir, 'lib.sqlite'));
  try {
    await openSample(browser);
    // A clause with an open suggestion, so that `a` and `d` would have something to act on.
    const flagged = await until(browser, async () => {
      for (const el of await browser.$$(`${tid('outline')} [data-clause-id]`)) {
        if ((await el.$$(tid('clause-suggestion-count'))).length > 0) return el;
      }
      return false;
    }, 'no clause in the sample has an open suggestion');
    await flagged.click();
    await (await shown(browser, 'new-finding')).click();
    const consequence = await shown(browser, 'finding-consequence');
    await consequence.setValue(CONSEQUENCE);
    await waitSaved(browser);

    const before = {
      findings: await count(browser, 'finding-item'),
      suggestions: await count(browser, 'suggestion-item', OPEN),
      label: await clauseLabel(browser),
    };

    // The click into empty space.
    await browser.$('#findings-heading').click();
    await until(browser, () => browser.execute(() => document.activeElement === document.body),
      'a click on the findings heading did not leave the focus on the page itself');
    await browser.keys(SENTENCE);
    await screenshot('after-typing-on-body');

    assert.equal(await count(browser, 'finding-item'), before.findings, 'no finding was created');
    assert.ok(before.suggestions > 0, 'the clause has an open suggestion');
    assert.equal(await count(browser, 'suggestion-item', OPEN), before.suggestions, 'no suggestion was accepted or dismissed');
    assert.equal(await clauseLabel(browser), before.label, 'the clause did not change');
    assert.equal(await count(browser, 'dismiss-reason'), 0, 'no dismissal field opened');
    assert.equal(await count(browser, 'help-overlay'), 0, 'the help did not open');
    assert.equal(await browser.$(tid('finding-consequence')).getValue(), CONSEQUENCE, 'the consequence is unchanged');

    // The same keys from the outline act: the test can see a key that works.
    await browser.$(`${tid('outline')} [data-clause-id][aria-current]`).click();
    await browser.keys('j');
    await until(browser, async () => (await clauseLabel(browser)) !== before.label, 'j in the outline did not move');
    await screenshot('j-in-outline-moves');
  } finally {
    await stopApp(browser);
  }
});
