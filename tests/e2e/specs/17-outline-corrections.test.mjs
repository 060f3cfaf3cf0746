// Issue 16 (item 4) in the real app: the analyst fixes what the import guessed wrong about
// the sample's structure, without importing again, from the clause's "Rätta strukturen" menu
// — the heading "Kvalitet" becomes a clause (by keyboard only), 2.1 ("I detta reglemente
// avses med") becomes a heading over its definitions, 7.5 is renumbered 7.6, 5.5 moves under
// "6. Ersättning och utbetalning" — and Ctrl+Z takes the move back. A restart shows the other
// three kept (and the CLI lists them). Then the revised 2025 version, imported on its own, is
// kept as the sample's new version in the app: the three corrections are made again on it,
// found by their text, and the bar says so.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, SAMPLE, axeViolations, repoRoot, screenshot, shown, startApp, stopApp, tempDir, tid, until } from '../lib/harness.mjs';

const REVISED = join(repoRoot, 'crates', 'kryphal-app', 'tests', 'fixtures', 'reglemente-kundval-hemtjanst-2025.md');
const normalize = (s) => s.replace(/\s+/g, ' ').trim();

/** Opens the document `docId` from the library list. */
async function openDocument(browser, docId) {
  const item = browser.$(`${tid('doc-item')}[data-doc-id="${docId}"]`);
  await item.waitForDisplayed({ timeoutMsg: `doc-item ${docId} not shown` });
  await item.click();
  await until(browser, async () => (await item.getAttribute('aria-current')) === 'page', `${docId} did not open`);
  await shown(browser, 'outline');
}

/**
 * Selects the clause `clauseId`. The outline is windowed: it is scrolled until the row is
 * rendered, then the row is clicked like a user would.
 */
async function selectClause(browser, clauseId) {
  const selector = `${tid('outline')} ${tid('clause-item')}[data-clause-id="${clauseId}"]`;
  await until(browser, () => browser.execute((sel) => {
    if (document.querySelector(sel)) return true;
    const scroller = document.querySelector('[data-pane="outline"]');
    if (!scroller) return false;
    scroller.scrollTop = scroller.scrollTop + 240 >= scroller.scrollHeight ? 0 : scroller.scrollTop + 240;
    scroller.dispatchEvent(new Event('scroll'));
    return false;
  }, selector), `clause ${clauseId} never appeared in the outline`);
  const item = browser.$(selector);
  await item.scrollIntoView({ block: 'center' });
  await item.click();
  await until(browser, async () => (await item.getAttribute('aria-current')) === 'true', `clause ${clauseId} was not selected`);
}

/**
 * The outline's headings as the document prints them, in order. The outline is windowed, so
 * it is scrolled through once, a frame for each step, and then back to the top.
 */
async function allHeadings(browser) {
  const seen = new Map();
  const height = await browser.execute(() => document.querySelector('[data-pane="outline"]').scrollHeight);
  for (let top = 0; top <= height + 200; top += 200) {
    await browser.execute((at) => {
      const s = document.querySelector('[data-pane="outline"]');
      s.scrollTop = at;
      s.dispatchEvent(new Event('scroll'));
    }, top);
    await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const rows = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="section-heading"]')].map((h) => [
        h.getAttribute('data-section-id'),
        h.textContent.replace(/\s+/g, ' ').trim(),
      ]));
    for (const [id, text] of rows) seen.set(id, text);
  }
  await browser.execute(() => {
    const s = document.querySelector('[data-pane="outline"]');
    s.scrollTop = 0;
    s.dispatchEvent(new Event('scroll'));
  });
  return [...seen.values()];
}

/**
 * A screenshot once the webview has painted what the page holds: on a busy machine the X
 * server's picture lags behind the DOM, so two frames and a moment more are waited for.
 */
async function shot(browser, name) {
  await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await new Promise((r) => setTimeout(r, 1_200));
  await screenshot(name);
}

async function label(browser) {
  return normalize(await browser.$(tid('clause-label')).getProperty('textContent'));
}

async function status(browser) {
  const el = browser.$(tid('structure-status'));
  return until(browser, async () => {
    const state = await el.getAttribute('data-state');
    if (state === 'error') throw new Error(`structure-status: ${await el.getProperty('textContent')}`);
    return state === 'ok' ? normalize(await el.getProperty('textContent')) : false;
  }, 'the structure correction did not report');
}

test('promote, demote, move and renumber in the app; undo one; kept after a restart and on a new version', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const config = join(dir, 'config');
  const cli = (args) =>
    execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', env: { ...process.env, KRYPHAL_USER: 'e2e' } });
  const [imported] = JSON.parse(cli(['import', SAMPLE, '--json']));
  const docId = imported.report.document_id;
  const view = JSON.parse(cli(['show', docId, '--json']));
  const byNumber = (n) => view.outline.clauses.find((c) => c.number === n).id;
  const sectionId = (title) => view.outline.sections.find((s) => s.title === title).id;
  const c21 = byNumber('2.1');
  const c412 = byNumber('4.12');
  const c55 = byNumber('5.5');
  const c75 = byNumber('7.5');

  let browser = await startApp(library, ['--config-dir', config]);
  try {
    await openDocument(browser, docId);

    // ---- "Kvalitet" becomes a clause, by keyboard only, from 4.12's menu ------------------
    await selectClause(browser, c412);
    const menuButton = await shown(browser, 'structure-menu');
    assert.equal(normalize(await menuButton.getText()), 'Rätta strukturen ▾');
    await browser.execute(() => document.querySelector('[data-testid="structure-menu"]').focus());
    await browser.keys('Enter');
    const menu = await shown(browser, 'structure-items');
    assert.equal(await menu.getAttribute('role'), 'menu');
    const items = [];
    for (const el of await menu.$$('[role="menuitem"]')) items.push(normalize(await el.getText()));
    assert.deepEqual(items, [
      'Gör till rubrik…',
      'Flytta till avsnitt…',
      'Ändra nummer…',
      'Gör rubriken ”Kvalitet” till stycke',
      'Gör rubriken ”4. Krav på leverantören” till stycke',
    ]);
    const serious = await axeViolations(browser, t, 'structure menu open');
    assert.deepEqual(serious, [], `axe-core found serious or critical violations:\n${JSON.stringify(serious, null, 2)}`);
    await shot(browser, 'menu-open');
    for (let i = 0; i < 3; i++) await browser.keys('ArrowDown');
    assert.equal(
      await browser.execute(() => document.activeElement?.textContent?.trim()),
      'Gör rubriken ”Kvalitet” till stycke',
    );
    await browser.keys('Enter');
    assert.equal(await status(browser), 'Rubriken är nu ett stycke.');
    await until(browser, async () => !(await allHeadings(browser)).includes('Kvalitet'), 'the heading Kvalitet is still there');
    await selectClause(browser, c412);
    assert.equal(await label(browser), 'Personal › p. 4.12');

    // ---- 2.1 becomes a heading over the definitions --------------------------------------
    await selectClause(browser, c21);
    await (await shown(browser, 'structure-menu')).click();
    await (await shown(browser, 'structure-promote')).click();
    const level = await shown(browser, 'structure-level');
    assert.equal(await level.getValue(), '2', 'one below "2. Definitioner" unless chosen');
    const serious2 = await axeViolations(browser, t, 'promote form');
    assert.deepEqual(serious2, [], `axe-core found serious or critical violations:\n${JSON.stringify(serious2, null, 2)}`);
    await shot(browser, 'promote-form');
    await (await shown(browser, 'structure-ok')).click();
    assert.equal(await status(browser), 'Klausulen är nu en rubrik.');
    await until(browser, async () => (await allHeadings(browser)).includes('2.1 I detta reglemente avses med'),
      'no heading "2.1 I detta reglemente avses med"');
    assert.equal(await browser.$(`${tid('clause-item')}[data-clause-id="${c21}"]`).isExisting(), false);
    assert.match(await label(browser), /^I detta reglemente avses med › p\. 2\.1 a\)$/, 'the next clause is under the new heading');

    // ---- 7.5 is renumbered 7.6 ------------------------------------------------------------
    await selectClause(browser, c75);
    await (await shown(browser, 'structure-menu')).click();
    await (await shown(browser, 'structure-renumber')).click();
    const number = await shown(browser, 'structure-number');
    assert.equal(await number.getValue(), '7.5');
    await number.clearValue();
    await number.setValue('7.6');
    await (await shown(browser, 'structure-ok')).click();
    assert.equal(await status(browser), 'Numret ändrades.');
    await until(browser, async () => (await label(browser)) === 'Uppföljning och tillsyn › p. 7.6', 'the label does not read p. 7.6');

    // ---- 5.5 moves under "6. Ersättning och utbetalning" -----------------------------------
    await selectClause(browser, c55);
    await (await shown(browser, 'structure-menu')).click();
    await (await shown(browser, 'structure-move')).click();
    const target = await shown(browser, 'structure-target');
    await target.selectByAttribute('value', sectionId('Ersättning och utbetalning'));
    await (await shown(browser, 'structure-ok')).click();
    assert.equal(await status(browser), 'Klausulen flyttades.');
    await until(browser, async () => (await label(browser)) === 'Ersättning och utbetalning › p. 5.5', 'the moved clause is not under section 6');
    await shot(browser, 'four-corrections');

    // ---- Ctrl+Z takes the move back --------------------------------------------------------
    await browser.execute(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await browser.keys(['Control', 'z']);
    await until(browser, async () => /Ångrade: flytt av klausul/.test(await browser.$(tid('undo-status')).getProperty('textContent')),
      'the live region does not say the move was undone');
    await until(browser, async () => (await label(browser)) === 'Avtal och tillträde › p. 5.5', 'the move was not undone');
    await shot(browser, 'move-undone');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }

  // The library keeps three corrections, by text.
  const kept = JSON.parse(cli(['outline', 'corrections', docId, '--json']));
  assert.deepEqual(kept.map((c) => c.change.kind), ['demote', 'promote', 'renumber']);
  assert.equal(kept[0].change.section.text, 'kvalitet');
  assert.equal(kept[1].change.clause.text, 'i detta reglemente avses med');
  assert.match(kept[2].change.clause.text, /^inför den årliga uppföljningen /);
  assert.deepEqual([kept[2].change.from, kept[2].change.to], ['7.5', '7.6']);

  const promoted = JSON.parse(cli(['show', docId, '--json'])).outline.sections.find((s) => s.title === 'I detta reglemente avses med');
  const firstDefinition = JSON.parse(cli(['show', docId, '--json'])).outline.clauses.find((c) => c.text.startsWith('kund:'));

  // ---- A restart: the three are still there, the undone move is not -------------------------
  browser = await startApp(library, ['--config-dir', config]);
  try {
    await openDocument(browser, docId);
    const shownHeadings = await allHeadings(browser);
    assert.ok(shownHeadings.includes('2.1 I detta reglemente avses med'), `headings: ${shownHeadings.join(' | ')}`);
    assert.ok(!shownHeadings.includes('Kvalitet'), 'Kvalitet stays a clause');
    await selectClause(browser, c75);
    assert.equal(await label(browser), 'Uppföljning och tillsyn › p. 7.6');
    await selectClause(browser, c55);
    assert.equal(await label(browser), 'Avtal och tillträde › p. 5.5');
    await shot(browser, 'after-restart');

    // The heading's own small menu in the outline (for the mouse): it offers "Gör till stycke"
    // and Escape puts it away with nothing changed.
    await selectClause(browser, firstDefinition.id);
    const row = browser.$(`${tid('section-heading')}[data-section-id="${promoted.id}"]`);
    await row.moveTo();
    const tools = browser.$(`${tid('heading-menu')}[data-heading-button="${promoted.id}"]`);
    assert.equal(await tools.getAttribute('aria-label'), 'Rätta strukturen: rubriken ”2.1 I detta reglemente avses med”');
    await tools.click();
    const demoteItem = await shown(browser, 'heading-demote');
    assert.equal(normalize(await demoteItem.getText()), 'Gör till stycke');
    await shot(browser, 'heading-menu');
    await browser.keys('Escape');
    await until(browser, async () => !(await browser.$(tid('heading-demote')).isExisting()), 'the heading menu did not close');
    assert.equal(await row.isExisting(), true, 'the heading is still a heading');
  } catch (err) {
    await screenshot('failure-restart');
    throw err;
  } finally {
    await stopApp(browser);
  }

  // ---- The revised version, imported on its own and kept as the new version in the app ------
  const [revised] = JSON.parse(cli(['import', REVISED, '--json']));
  const newId = revised.report.document_id;
  browser = await startApp(library, ['--config-dir', config]);
  try {
    await openDocument(browser, newId);
    const before = await allHeadings(browser);
    assert.ok(before.includes('Kvalitet') && !before.includes('2.1 I detta reglemente avses med'),
      'the revision as imported has the importer\'s structure');
    await (await shown(browser, 'link-version')).click();
    await shown(browser, 'version-compare');
    assert.equal(
      normalize(await (await shown(browser, 'version-corrections')).getText()),
      '3 rättelser av strukturen gjordes om i den nya versionen.',
    );
    await shot(browser, 'new-version-linked');
    await (await shown(browser, 'version-compare-close')).click();
    await until(browser, async () => !(await browser.$(tid('version-compare')).isExisting()), 'the comparison did not close');
    const after = await allHeadings(browser);
    assert.ok(after.includes('2.1 I detta reglemente avses med'), `headings: ${after.join(' | ')}`);
    assert.ok(!after.includes('Kvalitet'), 'Kvalitet is a clause in the new version too');
    const newView = JSON.parse(cli(['show', newId, '--json']));
    const review = newView.outline.clauses.find((c) => c.text.startsWith('Inför den årliga uppföljningen'));
    assert.equal(review.label, 'Uppföljning och tillsyn › p. 7.6');
    await selectClause(browser, review.id);
    assert.equal(await label(browser), 'Uppföljning och tillsyn › p. 7.6');
    await shot(browser, 'new-version-corrected');
  } catch (err) {
    await screenshot('failure-version');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
