// Issue 8 in the real app: a workshop with presentation mode.
//
// The sample gets two findings through the CLI (4.5 with a proposed wording, 4.6 rated).
// In the app: start a workshop with two attendees → show on the projector (a second
// window, 1024×768) → the projector shows 4.5 in large type with the word diff; PageDown
// in the projector moves both windows to 4.6, B blanks and unblanks, PageUp goes back →
// in the control window the room judges the finding (a matrix cell) and decides "adopt"
// with a dissent → the projector shows the decision and the room's placement → the
// projector goes fullscreen on the screen (1920×1080) → screenshots of both sizes →
// presentation closed (one window left) → session ended → minutes as Markdown and DOCX
// (through the --export-dir hook) hold the attendees, the decision, the dissent and the
// agreed level, and not the private note → the clause view shows the workshop's results,
// and the clause's history names the decision. Issue 22: at 1024×768 the slide fits without a
// scrollbar (clause, findings, diff and matrix in the window), and the control view shows
// clearly while the projector is blanked.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, CLI, SAMPLE, axeViolations, screenshot, zipEntry, shown, startApp, stopApp, switchToWindowWith, tempDir, tid, until } from '../lib/harness.mjs';

const PROPOSED_45 = 'Utdraget ur belastningsregistret får vara högst tre månader gammalt när det lämnas in.';
const DISSENT = 'Omar Said vill invänta juristens yttrande.';
const PRIVATE = 'Fråga först hur gamla utdragen brukar vara.';
// A long proposal (issue 22): at 1024×768 it does not fit at full size, so the type steps down.
const PROPOSED_46 = [
  'Leverantören ska skriftligen anmäla varje ändring av ägarförhållanden, styrelse, verkställande direktör',
  'och firmatecknare till nämnden senast fem arbetsdagar efter att ändringen skett. Anmälan ska åtföljas av',
  'registreringsbevis, aktiebok eller motsvarande handling som visar de nya förhållandena, samt uppgift om',
  'verklig huvudman. Nämnden prövar därefter om leverantören fortfarande uppfyller kraven för godkännande.',
  'Underlåtenhet att anmäla ändringen i tid kan leda till att godkännandet återkallas och att avtalet hävs.',
  'Nämnden får begära in kompletterande uppgifter och ska dokumentera sin prövning i ärendet.',
].join(' ');

/** The text of a DOCX's body (tags stripped). */
const docxText = (file) => zipEntry(file, 'word/document.xml').replace(/<[^>]+>/g, '');

test('a workshop is led on a projector window and recorded in the main window and the minutes', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  const cli = (args, input) =>
    execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', input, env: { ...process.env, KRYPHAL_USER: 'e2e' } });
  const [imported] = JSON.parse(cli(['import', SAMPLE, '--json']));
  const docId = imported.report.document_id;
  const clauses = JSON.parse(cli(['show', docId, '--json'])).outline.clauses;
  const byNumber = (n) => clauses.find((c) => c.number === n).id;
  const c45 = byNumber('4.5');
  cli(['finding', 'add', c45, '--json', '-'], JSON.stringify({
    unintended_consequence: 'Gamla utdrag ur belastningsregistret godtas.',
    likelihood: 3, impact: 4, crime_types: ['URK'], proposed_wording: PROPOSED_45,
  }));
  cli(['finding', 'add', byNumber('4.6'), '--json', '-'],
    JSON.stringify({ unintended_consequence: 'Ändrade ägarförhållanden anmäls sent.', likelihood: 2, impact: 3, proposed_wording: PROPOSED_46 }));

  const browser = await startApp(library, ['--config-dir', join(dir, 'config'), '--export-dir', outDir]);
  try {
    const main = await browser.getWindowHandle();
    await shown(browser, 'outline');
    await (await shown(browser, 'toggle-workshop')).click();
    await shown(browser, 'workshop-panel');
    // Typed as a user does: one person per line.
    const attendeesField = await shown(browser, 'workshop-new-attendees');
    await attendeesField.setValue('Anna Berg, enhetschef');
    await browser.keys('Enter');
    await attendeesField.addValue('Omar Said');
    await (await shown(browser, 'workshop-start')).click();
    await shown(browser, 'workshop-control');
    assert.match(await browser.$(tid('workshop-position')).getText(), /^1 av 2$/);
    assert.deepEqual((await browser.$(tid('workshop-attendees')).getValue()).split('\n'), ['Anna Berg, enhetschef', 'Omar Said'],
      'two attendees, one per line');
    assert.equal(await browser.$(tid('workshop-clause-label')).getText().then((s) => /4\.5/.test(s)), true);
    const serious = await axeViolations(browser, t, 'workshop control');
    assert.deepEqual(serious, [], `axe-core found serious or critical violations:\n${JSON.stringify(serious, null, 2)}`);

    // The projector: a second window of 1024×768 (one screen here, so "a window of its own").
    await (await shown(browser, 'workshop-screen')).selectByAttribute('value', 'window');
    await (await shown(browser, 'present-start')).click();
    const projector = await switchToWindowWith(browser, 'present-view');
    assert.notEqual(projector, main);
    await until(browser, async () => /4\.5/.test(await browser.$(tid('present-label')).getText()), 'the projector does not show 4.5');
    const diffHtml = await browser.$(tid('present-diff')).getHTML();
    assert.match(diffHtml, /<ins[^>]*>.*när det lämnas in/s, 'the proposed words are marked as inserted');
    assert.match(await browser.$(tid('present-level')).getText(), /\S/, 'the finding shows its risk level');
    const size = await browser.execute(() => [window.innerWidth, window.innerHeight]);
    t.diagnostic(`projector window: ${size.join('×')}`);
    assert.deepEqual(size, [1024, 768]);
    const fits = await browser.execute(() => {
      const text = document.querySelector('[data-testid="present-text"]');
      const r = text.getBoundingClientRect();
      return { fontPx: parseFloat(getComputedStyle(text).fontSize), bottom: r.bottom, right: r.right };
    });
    t.diagnostic(`clause text at 1024×768: ${fits.fontPx}px, bottom ${fits.bottom}`);
    assert.ok(fits.fontPx >= 16, `the clause text is too small for a room (${fits.fontPx}px)`);
    assert.ok(fits.bottom <= 768 && fits.right <= 1024, 'the clause text fits the projector');
    // Issue 22: the clause, its findings, the diff and the matrix all fit without a scrollbar
    // (the type steps down until they do); nothing of them is hidden.
    const slide = await until(browser, async () => {
      const m = await browser.execute(() => {
        const root = document.querySelector('[data-testid="present-view"]');
        const inView = (el) => {
          if (!el) return false;
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
        };
        const cells = [...document.querySelectorAll('[data-testid^="present-cell-"]')];
        return {
          step: root.getAttribute('data-type-step'),
          scrollHeight: root.scrollHeight,
          clientHeight: root.clientHeight,
          sides: [...root.querySelectorAll('[data-fit]')].map((el) => el.scrollHeight - el.clientHeight),
          diff: inView(document.querySelector('[data-testid="present-diff"]')),
          findings: inView(document.querySelector('[data-testid="present-findings"]')),
          matrix: cells.length > 0 && cells.every(inView),
          text: inView(document.querySelector('[data-testid="present-text"]')),
        };
      });
      return m.scrollHeight <= m.clientHeight && m.sides.every((d) => d <= 1) && m.diff && m.matrix && m.findings && m.text ? m : false;
    }, 'at 1024×768 the slide does not fit: something scrolls or is outside the window');
    t.diagnostic(`1024×768 slide: type step ${slide.step}, ${slide.scrollHeight} ≤ ${slide.clientHeight}`);
    const seriousP = await axeViolations(browser, t, 'projector');
    assert.deepEqual(seriousP, [], `axe-core on the projector:\n${JSON.stringify(seriousP, null, 2)}`);
    await browser.saveScreenshot(join(ARTIFACTS, '13-presentation--projector-1024x768.png'));

    // A clicker on the projector: PageDown, B (blank), B, PageUp.
    await browser.keys('PageDown');
    await until(browser, async () => /4\.6/.test(await browser.$(tid('present-label')).getText()), 'PageDown did not move to 4.6');
    // 4.6 has a long proposal: the type steps down until it all fits, nothing is hidden.
    const stepped = await until(browser, async () => {
      const m = await browser.execute(() => {
        const root = document.querySelector('[data-testid="present-view"]');
        const diff = document.querySelector('[data-testid="present-diff"]')?.getBoundingClientRect();
        const cells = [...document.querySelectorAll('[data-testid^="present-cell-"]')].map((c) => c.getBoundingClientRect());
        return {
          step: Number(root.getAttribute('data-type-step')),
          fits: root.scrollHeight <= root.clientHeight && [...root.querySelectorAll('[data-fit]')].every((el) => el.scrollHeight <= el.clientHeight + 1),
          diff: Boolean(diff && diff.height > 0 && diff.bottom <= window.innerHeight),
          matrix: cells.length > 0 && cells.every((r) => r.bottom <= window.innerHeight && r.right <= window.innerWidth),
          fontPx: parseFloat(getComputedStyle(document.querySelector('[data-testid="present-text"]')).fontSize),
        };
      });
      return m.fits && m.diff && m.matrix && m.step > 0 ? m : false;
    }, 'the long proposal on 4.6 did not fit at a smaller type');
    t.diagnostic(`4.6 with a long proposal: type step ${stepped.step}, ${stepped.fontPx}px`);
    await browser.saveScreenshot(join(ARTIFACTS, '13-presentation--projector-1024x768-long-proposal.png'));
    await browser.keys('b');
    await until(browser, async () => (await browser.$(tid('present-view')).getAttribute('data-blank')) === 'true', 'B did not blank');
    assert.equal(await browser.$(tid('present-label')).isExisting(), false, 'nothing is shown while blank');
    // The control view says so clearly, and offers to show the screen again.
    await browser.switchToWindow(main);
    const banner = await shown(browser, 'present-blanked');
    assert.match(await banner.getText(), /släckt/);
    assert.equal(await browser.$(tid('present-blank')).getAttribute('aria-pressed'), 'true');
    await browser.saveScreenshot(join(ARTIFACTS, '13-presentation--control-blanked.png'));
    await browser.switchToWindow(projector);
    await browser.keys('b');
    await shown(browser, 'present-label');
    await browser.switchToWindow(main);
    await until(browser, async () => !(await browser.$(tid('present-blanked')).isExisting()), 'the blank banner stayed after unblanking');
    await browser.switchToWindow(projector);
    await browser.switchToWindow(main);
    await until(browser, async () => /4\.6/.test(await browser.$(tid('workshop-clause-label')).getText()),
      'the control window did not follow the projector to 4.6');
    await browser.switchToWindow(projector);
    await browser.keys('PageUp');
    await until(browser, async () => /4\.5/.test(await browser.$(tid('present-label')).getText()), 'PageUp did not go back');

    // Live capture in the control window.
    await browser.switchToWindow(main);
    await until(browser, async () => /4\.5/.test(await browser.$(tid('workshop-clause-label')).getText()), 'control not on 4.5');
    await (await shown(browser, 'workshop-note')).setValue(PRIVATE);
    const judge = await shown(browser, 'judge-finding');
    await judge.$(tid('matrix-cell-2-3')).click();
    await until(browser, async () => (await browser.$(tid('judge-room-level')).isExisting()), 'the judgement was not recorded');
    await (await shown(browser, 'decision-adopt')).click();
    await (await shown(browser, 'decision-dissent')).setValue(DISSENT);
    await (await shown(browser, 'decision-save')).click();
    await shown(browser, 'decision-recorded');

    await browser.switchToWindow(projector);
    await until(browser, async () => /Anta/.test(await browser.$(tid('present-decision')).getText().catch(() => '')),
      'the projector does not show the decision');
    assert.match(await browser.$(tid('present-decision')).getText(), /juristens/);
    assert.match(await browser.$(tid('present-cell-2-3')).getText(), /F1/, "the room's judgement places F1 at 2 × 3");
    assert.doesNotMatch(await browser.$('body').getText(), /Fråga först/, 'the private note is not projected');

    // Fullscreen on the chosen screen (Xvfb has one, 1920×1080).
    await browser.switchToWindow(main);
    await (await shown(browser, 'workshop-screen')).selectByAttribute('value', '0');
    await (await shown(browser, 'present-move')).click();
    await browser.switchToWindow(projector);
    const full = await until(browser, async () => {
      const s = await browser.execute(() => [window.innerWidth, window.innerHeight]);
      return s[0] === 1920 && s[1] === 1080 ? s : false;
    }, 'the projector did not go fullscreen at 1920×1080');
    t.diagnostic(`fullscreen projector: ${full.join('×')}`);
    await browser.saveScreenshot(join(ARTIFACTS, '13-presentation--projector-1920x1080.png'));
    // The light high-contrast theme, for a bright room.
    await browser.switchToWindow(main);
    await (await shown(browser, 'theme-light')).click();
    await browser.switchToWindow(projector);
    await until(browser, async () => (await browser.$(tid('present-view')).getAttribute('data-theme')) === 'light', 'the projector did not turn light');
    const bg = await browser.execute(() => getComputedStyle(document.querySelector('[data-testid="present-view"]')).backgroundColor);
    assert.equal(bg, 'rgb(255, 255, 255)');
    await browser.saveScreenshot(join(ARTIFACTS, '13-presentation--projector-1920x1080-light.png'));
    await browser.switchToWindow(main);
    await (await shown(browser, 'present-stop')).click();
    await until(browser, async () => (await browser.getWindowHandles()).length === 1, 'the projector window did not close');
    await browser.switchToWindow(main);
    await screenshot('control-after');

    // End the session and write the minutes.
    await (await shown(browser, 'workshop-end')).click();
    await shown(browser, 'workshop-closed');
    await (await shown(browser, 'minutes-md')).click();
    await (await shown(browser, 'minutes-docx')).click();
    const files = await until(browser, async () => {
      const list = (() => { try { return readdirSync(outDir); } catch { return []; } })();
      return list.some((f) => f.endsWith('.md')) && list.some((f) => f.endsWith('.docx')) ? list : false;
    }, 'the minutes were not written');
    t.diagnostic(`minutes: ${files.join(', ')}`);
    const md = readFileSync(join(outDir, files.find((f) => f.endsWith('.md'))), 'utf8');
    const docx = docxText(join(outDir, files.find((f) => f.endsWith('.docx'))));
    for (const [name, text] of [['Markdown', md], ['DOCX', docx]]) {
      assert.match(text, /Anna Berg, enhetschef/, `${name}: attendees`);
      assert.match(text, /Omar Said/, `${name}: attendees`);
      assert.match(text, /juristens yttrande/, `${name}: the dissent`);
      assert.match(text, /4\.5/, `${name}: the clause`);
      assert.doesNotMatch(text, /Fråga först/, `${name}: the private note stays out`);
    }

    // Back in the clause view: the workshop's results under the clause, and in its history.
    await (await shown(browser, 'workshop-leave')).click();
    await (await shown(browser, 'toggle-workshop')).click();
    const results = await shown(browser, 'workshop-results');
    const resultText = await results.getText();
    assert.match(resultText, /Anta/);
    assert.match(resultText, /2 × 3/);
    await screenshot('clause-with-results');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
