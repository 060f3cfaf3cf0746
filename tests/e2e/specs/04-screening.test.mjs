// Issue 4 acceptance test: screening suggestions in the real app.
//
// A new library → the sample document (screened on import) → clause 4.5 shows the matched
// words "… högst ett år gammalt" highlighted, with a why in the clause's words and a starting
// consequence and wording (issue 17) → accept that suggestion → a finding appears, prefilled
// with the suggestion's consequence, proposed wording and crime types → dismiss another
// suggestion of the clause with a reason → choose the korruption-sv pack for the document →
// restart the app on the same library → the finding, the dismissal (with its reason) and the
// document's pack are still there.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { screenshot, docAction, shown, startApp, stopApp, tempDir, tid, until, waitSaved, openSample, openMore } from '../lib/harness.mjs';

const REASON = 'Utdraget begärs också vid varje förlängning av avtalet; se avsnitt 9.';
const STALE_WORDS = 'ett år gammalt';
const PROPOSED =
  'För varje person i ledande ställning ska ett utdrag ur belastningsregistret ges in inför avtalstecknande och därefter varje år. Utdraget får vara högst tre månader gammalt.';
const ALTERNATIVE = 'Kommunen hämtar uppgifterna själv med samtycke, vid ansökan och årligen.';
/** A question of the default pack without a fixed field: its answer goes to `answers`. */
const FREE_QUESTION = 'answer-skyddsfaktorer';
const FREE_ANSWER = 'Årlig uppföljning med stickprov.';

/** Selects the clause numbered `number` (e.g. "4.5") whose text contains `words`; returns its id. */
async function selectClauseNumbered(browser, number, words) {
  const clause = await until(
    browser,
    async () => {
      for (const el of await browser.$$(`${tid('outline')} ${tid('clause-item')}`)) {
        const text = (await el.getProperty('textContent')).replace(/\s+/g, ' ').trim();
        if (text.startsWith(`${number} `) && text.includes(words)) return el;
      }
      return false;
    },
    `no clause-item numbered ${number} containing "${words}"`,
  );
  const id = await clause.getAttribute('data-clause-id');
  await clause.scrollIntoView({ block: 'center' });
  await clause.click();
  await until(
    browser,
    async () => (await browser.$(tid('clause-text')).getProperty('textContent'))?.includes(words),
    `clause-text did not show clause ${number}`,
  );
  return id;
}

/** The suggestion-item elements with the given data-state. */
async function suggestionItems(browser, state) {
  const items = await browser.$$(tid('suggestion-item'));
  const out = [];
  for (const item of items) {
    if (!state || (await item.getAttribute('data-state')) === state) out.push(item);
  }
  return out;
}

async function itemById(browser, id) {
  return browser.$(`${tid('suggestion-item')}[data-suggestion-id="${id}"]`);
}

test('screening: highlighted match, accept → finding, dismiss with a reason, both survive a restart', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');

  let clauseId;
  let acceptedId;
  let dismissedId;
  let findingId;

  // ---- First run ---------------------------------------------------------------------
  let browser = await startApp(library);
  try {
    await openSample(browser);
    // The outline marks clauses that have open suggestions.
    await until(browser, async () => (await browser.$$(tid('clause-suggestion-count'))).length > 0,
      'no clause in the outline shows clause-suggestion-count');

    clauseId = await selectClauseNumbered(browser, '4.5', 'belastningsregistret');
    const count = await browser.$(`${tid('clause-item')}[data-clause-id="${clauseId}"] ${tid('clause-suggestion-count')}`);
    assert.ok(await count.isExisting(), 'clause 4.5 shows a suggestion count in the outline');
    const before = Number(await count.getAttribute('data-count'));
    assert.ok(before >= 2, `clause 4.5 has at least two open suggestions (got ${before})`);

    // The matched words of the stale-evidence rule are highlighted.
    const mark = await until(
      browser,
      async () => {
        for (const m of await browser.$$(tid('suggestion-mark'))) {
          if ((await m.getProperty('textContent')).includes(STALE_WORDS)) return m;
        }
        return false;
      },
      `no suggestion-mark containing "${STALE_WORDS}"`,
    );
    assert.ok(await mark.isDisplayed(), 'the highlight is displayed');
    // (The highlight lies behind the text field, so WebDriver will not measure it as an
    // interactable element; the page measures it.)
    const size = await browser.execute((el) => {
      const r = el.getBoundingClientRect();
      return { width: Math.round(r.width), height: Math.round(r.height) };
    }, mark);
    assert.ok(size.width > 20 && size.height > 5, `the highlight has a visible size (${JSON.stringify(size)})`);
    acceptedId = (await mark.getAttribute('data-suggestion-ids')).split(' ')[0];
    assert.ok(acceptedId, 'the mark names its suggestion');
    // The text field itself stays plain text (the caret for splitting relies on it).
    const plain = await browser.execute(() => {
      const el = document.querySelector('[data-testid="clause-text"]');
      return el.childNodes.length === 1 && el.firstChild.nodeType === Node.TEXT_NODE;
    });
    assert.equal(plain, true, 'clause-text holds one text node');
    // …so the caret can still be placed for a split, highlights or not.
    await browser.execute(() => {
      const el = document.querySelector('[data-testid="clause-text"]');
      el.focus();
      const range = document.createRange();
      range.setStart(el.firstChild, el.textContent.indexOf('Utdraget'));
      range.collapse(true);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
    });
    const split = browser.$(tid('split-clause'));
    await until(browser, () => split.isEnabled(), 'split-clause is not enabled with the caret in a highlighted clause');

    const stale = await itemById(browser, acceptedId);
    await stale.waitForDisplayed({ timeoutMsg: `suggestion-item ${acceptedId} not shown` });
    assert.equal(await stale.getAttribute('data-state'), 'open');
    await screenshot('clause-4.5-highlights-and-suggestions');
    await stale.scrollIntoView({ block: 'center' });

    // ---- Why, in the clause's words, and a starting point for the finding ------------
    const why = await stale.$(tid('suggestion-why'));
    assert.ok((await why.getText()).includes(STALE_WORDS), 'the why quotes the matched words');
    const start = await stale.$(tid('suggestion-start'));
    await (await start.$('summary')).click();
    const startProposal = await start.$(tid('suggestion-proposal'));
    await startProposal.waitForDisplayed({ timeoutMsg: 'the starting proposal is not shown' });
    const startText = await startProposal.getText();
    assert.ok(startText.includes('belastningsregistret'), `the starting proposal is the clause's text (got ${startText})`);
    assert.ok(!startText.includes('högst ett år gammalt'), 'the starting proposal replaces the stale limit');
    assert.ok((await (await start.$(tid('suggestion-consequence'))).getText()).length > 20, 'a starting consequence');
    await screenshot('suggestion-why-and-starting-wording');

    // ---- Accept: a finding, prefilled -----------------------------------------------
    await (await stale.$(tid('suggestion-accept'))).click();
    const finding = await until(browser, async () => {
      const list = await browser.$$(tid('finding-item'));
      return list.length === 1 ? list[0] : false;
    }, 'accepting did not create exactly one finding-item on the clause');
    findingId = await finding.getAttribute('data-finding-id');
    assert.equal(await finding.getAttribute('aria-pressed'), 'true', 'the new finding is selected');
    const consequence = await shown(browser, 'finding-consequence');
    await until(browser, async () => (await consequence.getValue()).length > 0,
      'the accepted finding has no consequence text');
    const ticked = [];
    for (const box of await browser.$$('input[data-testid^="crime-type-"]')) {
      if (await box.isSelected()) ticked.push((await box.getAttribute('data-testid')).slice('crime-type-'.length));
    }
    const prefilled = await (await shown(browser, 'finding-proposed')).getValue();
    const flat = (x) => x.replace(/\s+/g, ' ').trim();
    assert.equal(flat(prefilled), flat(startText), 'accepting puts the starting wording in the proposed wording');
    assert.ok(ticked.length > 0, 'the accepted finding has crime types ticked');
    assert.ok(ticked.includes('URK') || ticked.includes('BED'), `expected BED/URK among ${ticked}`);
    await until(browser, async () => (await (await itemById(browser, acceptedId)).getAttribute('data-state')) === 'accepted',
      'the accepted suggestion is not data-state="accepted"');
    t.diagnostic(`clause ${clauseId}: accepted ${acceptedId} → finding ${findingId}, crime types ${ticked.join(',')}`);
    await screenshot('accepted-finding');

    // ---- Dismiss another suggestion with a reason -----------------------------------
    const [other] = await suggestionItems(browser, 'open');
    assert.ok(other, 'another open suggestion is left on the clause');
    dismissedId = await other.getAttribute('data-suggestion-id');
    await other.scrollIntoView({ block: 'center' });
    await (await other.$(tid('suggestion-dismiss'))).click();
    const reason = await shown(browser, 'dismiss-reason');
    await reason.setValue(REASON);
    await screenshot('dismiss-reason');
    await (await shown(browser, 'dismiss-confirm')).click();
    await until(browser, async () => (await (await itemById(browser, dismissedId)).getAttribute('data-state')) === 'dismissed',
      'the dismissed suggestion is not data-state="dismissed"');
    const after = await until(browser, async () => {
      const c = await browser.$(`${tid('clause-item')}[data-clause-id="${clauseId}"] ${tid('clause-suggestion-count')}`);
      const n = (await c.isExisting()) ? Number(await c.getAttribute('data-count')) : 0;
      return n === before - 2 ? String(n) : false;
    }, 'the clause-suggestion-count did not drop by two');
    t.diagnostic(`dismissed ${dismissedId}; ${after} open left on the clause`);

    await waitSaved(browser);
    await screenshot('after-accept-and-dismiss');

    // ---- The generated form: a proposed wording with its word diff, an alternative and a
    // free question of the pack (stored under its id in the finding's answers) ----------
    const proposed = await shown(browser, 'finding-proposed');
    await proposed.scrollIntoView({ block: 'center' });
    await proposed.setValue(PROPOSED);
    const diff = await shown(browser, 'finding-diff');
    await until(browser, async () => (await diff.$$('[data-testid="diff-ins"]')).length > 0,
      'finding-diff shows no insertion');
    const deleted = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="diff-del"]')].map((e) => e.textContent).join(' | '));
    assert.match(deleted, /ett år/, `the diff strikes "ett år" (got ${deleted})`);
    await screenshot('proposed-wording-diff');

    // Alternatives and the free questions are behind "Mer".
    await openMore(browser);
    const add = await shown(browser, 'add-alternative');
    await add.scrollIntoView({ block: 'center' });
    await add.click();
    const alternative = await shown(browser, 'alternative-item');
    await (await alternative.$(tid('alternative-wording'))).setValue(ALTERNATIVE);
    await (await alternative.$(tid('alternative-likelihood'))).selectByAttribute('value', '2');
    await (await alternative.$(tid('alternative-impact'))).selectByAttribute('value', '3');
    const free = await shown(browser, FREE_QUESTION);
    await free.scrollIntoView({ block: 'center' });
    await free.setValue(FREE_ANSWER);
    await browser.keys('Tab');
    await waitSaved(browser);
    await alternative.scrollIntoView({ block: 'center' });
    await screenshot('alternative-and-free-answer');

    // ---- The pack is chosen per document -----------------------------------------------
    const pack = await docAction(browser, 'pack-select');
    await pack.scrollIntoView({ block: 'center' });
    await pack.selectByAttribute('value', 'korruption-sv');
    await until(browser, async () => (await pack.getValue()) === 'korruption-sv' &&
      (await (await browser.$(tid('rescreen-status'))).getText()).length > 0,
      'choosing korruption-sv did not screen the document again');
    await until(browser, async () => (await (await itemById(browser, acceptedId)).getAttribute('data-state')) === 'accepted',
      'the accepted suggestion lost its decision when the pack changed');
    await screenshot('korruption-sv-chosen');

    // Narrow window: nothing spills out sideways.
    try {
      await browser.setWindowSize(1024, 768);
      await until(browser, async () => (await browser.execute(() => window.innerWidth)) <= 1024, 'window did not shrink');
      await (await browser.$(tid('clause-text'))).scrollIntoView({ block: 'start' });
      await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
      const overflow = await browser.execute(() => {
        const el = document.scrollingElement;
        const reader = document.querySelector('[data-testid="suggestion-list"]');
        return {
          page: el.scrollWidth - el.clientWidth,
          list: reader ? reader.scrollWidth - reader.clientWidth : 0,
        };
      });
      t.diagnostic(`1024×768 overflow: ${JSON.stringify(overflow)}`);
      assert.ok(overflow.list <= 1, 'the suggestion list does not overflow sideways at 1024×768');
      await screenshot('narrow-1024x768');
      await browser.setWindowSize(1280, 800);
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      t.diagnostic(`window could not be resized: ${err?.message ?? err}`);
    }
  } catch (err) {
    await screenshot('first-run-failure');
    throw err;
  } finally {
    await stopApp(browser);
    browser = null;
  }

  // ---- Second run: the finding and the dismissal are back ----------------------------
  browser = await startApp(library);
  try {
    await openSample(browser);
    await selectClauseNumbered(browser, '4.5', 'belastningsregistret');
    const findings = await until(browser, async () => {
      const list = await browser.$$(tid('finding-item'));
      return list.length > 0 ? list : false;
    }, 'after the restart, clause 4.5 shows no finding-item');
    assert.equal(findings.length, 1, 'exactly one finding on clause 4.5 after the restart');
    assert.equal(await findings[0].getAttribute('data-finding-id'), findingId, 'the accepted finding keeps its id');
    assert.equal(await (await shown(browser, 'finding-proposed')).getValue(), PROPOSED, 'the proposed wording is back');
    await openMore(browser);
    assert.equal(await (await shown(browser, FREE_QUESTION)).getValue(), FREE_ANSWER, 'the free answer is back');
    const alt = await shown(browser, 'alternative-item');
    assert.equal(await (await alt.$(tid('alternative-wording'))).getValue(), ALTERNATIVE, 'the alternative is back');
    assert.equal(await (await alt.$(tid('alternative-impact'))).getValue(), '3', 'its residual impact is back');

    assert.equal(await browser.$(tid('pack-select')).getValue(), 'korruption-sv',
      'the document keeps the pack chosen for it');
    const accepted = await itemById(browser, acceptedId);
    assert.equal(await accepted.getAttribute('data-state'), 'accepted', 'the suggestion is still accepted');
    const dismissed = await itemById(browser, dismissedId);
    assert.equal(await dismissed.getAttribute('data-state'), 'dismissed', 'the suggestion is still dismissed');
    const toggle = await shown(browser, 'dismissed-toggle');
    await toggle.scrollIntoView({ block: 'center' });
    await toggle.click();
    const reasonShown = await dismissed.$(tid('dismissed-reason'));
    await reasonShown.waitForDisplayed({ timeoutMsg: 'the dismissal reason is not shown after opening "Avfärdade"' });
    assert.ok((await reasonShown.getText()).includes(REASON), 'the dismissal reason survived the restart');
    assert.ok(await (await dismissed.$(tid('suggestion-reopen'))).isExisting(), 'a dismissed suggestion can be reopened');
    // No highlight for decided suggestions.
    for (const m of await browser.$$(tid('suggestion-mark'))) {
      const ids = (await m.getAttribute('data-suggestion-ids')).split(' ');
      assert.ok(!ids.includes(acceptedId) && !ids.includes(dismissedId), 'decided suggestions are not highlighted');
    }
    await screenshot('second-start-decisions-restored');
  } catch (err) {
    await screenshot('second-run-failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
