// Issue 22, the rest of items 2, 3, 6, 7 and 8 in the real app:
// - the first start asks for the user's name; the audit trail then names "Anna Berg";
// - a whole section given "checked — no risk" brings a document to 100 %, it is marked final,
//   and the memo (Markdown, read from the file) carries the coverage statement;
// - the same file imported again is refused, and "Ersätt med ny version" reads it as version 2;
// - in English, the finding form shows the essential fields and the rest behind "More",
//   the proposed wording starting as the current wording.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CLI, docAction, openSample, screenshot, shown, startApp, stopApp, tempDir, tid, until, waitSaved } from '../lib/harness.mjs';

const NAME = 'Anna Berg';
const RULES = `# Riktlinje för nyckelhantering

## 1. Nycklar

Nycklar förvaras i ett låst skåp.

Varje utlämnad nyckel kvitteras.
`;

const normalize = (s) => s.replace(/\s+/g, ' ').trim();

/** Imports files through the import button's file input and waits for the summary. */
async function importFiles(browser, files) {
  await browser.$(tid('import-input')).addValue(files.join('\n'));
  return shown(browser, 'import-summary', 60_000);
}

test('first-start name, a section checked to 100 %, the final memo, and replace on re-import', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const config = join(dir, 'config');
  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  const rules = join(dir, 'nyckelhantering.md');
  writeFileSync(rules, RULES);
  const browser = await startApp(library, ['--config-dir', config, '--export-dir', outDir], { firstStart: true });
  try {
    // The first start asks for the name.
    const dialog = await shown(browser, 'welcome-dialog');
    assert.match(normalize(await dialog.getText()), /Välkommen till Kryphål/);
    await (await shown(browser, 'welcome-name')).setValue(NAME);
    await screenshot('welcome-name');
    await browser.$(tid('welcome-save')).click();
    await until(browser, async () => !(await browser.$(tid('welcome-dialog')).isExisting()), 'the welcome dialog did not close');
    const prefs = JSON.parse(readFileSync(join(config, 'preferences.json'), 'utf8'));
    assert.equal(prefs.user_name, NAME);
    assert.equal(prefs.name_asked, true);

    // A small document: one section, two clauses, nothing for screening to flag.
    const summary = await importFiles(browser, [rules]);
    assert.equal(await summary.$(tid('import-result')).getAttribute('data-ok'), 'true');
    await browser.$(tid('import-close')).click();
    await until(browser, async () => /nyckelhantering/i.test(await browser.$(tid('document-title')).getText()),
      'the imported document did not open');
    await (await browser.$(`${tid('outline')} [data-clause-id]`)).click();
    await (await shown(browser, 'verdict-section-checked')).click();
    await until(browser, async () => /(\d+) av \1 klausuler har en bedömning/.test(await browser.$(tid('coverage')).getText()),
      'the section verdict did not bring the coverage to every clause');
    await (await docAction(browser, 'mark-final')).click();
    await until(browser, async () => (await browser.$(tid('coverage')).getAttribute('data-final')) === 'true',
      'the document was not marked final');
    assert.match(normalize(await browser.$(tid('coverage')).getText()), new RegExp(NAME));
    await screenshot('section-checked-final');

    // The memo of the final document, as Markdown.
    await (await docAction(browser, 'export-open')).click();
    await shown(browser, 'export-dialog');
    await (await shown(browser, 'export-format-md')).click();
    await (await shown(browser, 'export-submit')).click();
    await until(browser, async () => (await browser.$(tid('export-status')).getAttribute('data-state')) === 'ok',
      'the Markdown memo was not written');
    await screenshot('memo-exported');
    const [memoFile] = readdirSync(outDir).filter((f) => f.endsWith('.md'));
    const memo = normalize(readFileSync(join(outDir, memoFile), 'utf8'));
    for (const needle of [
      'Granskningens omfattning',
      'Samtliga 2 klausuler i styrdokumentet har fått en bedömning: 0 med risk, 2 kontrollerade utan risk',
      `Bedömningarna gjordes av ${NAME} (2).`,
      `Granskningen markerades som slutlig av ${NAME} den`,
      'Regelbok:',
    ]) {
      assert.ok(memo.includes(needle), `the memo holds "${needle}": ${memo.slice(0, 1500)}`);
    }
    await browser.keys('Escape');
    await until(browser, async () => !(await browser.$(tid('export-dialog')).isExisting()), 'Escape did not close the export dialog');

    // The same file again: refused, then replaced by a new version.
    const again = await importFiles(browser, [rules]);
    const refused = await again.$(tid('import-result'));
    assert.equal(await refused.getAttribute('data-ok'), 'false');
    const replace = await refused.$(tid('import-replace'));
    assert.equal(normalize(await replace.getText()), 'Ersätt med ny version');
    await screenshot('reimport-refused-with-replace');
    await replace.click();
    const outcome = await until(browser, () => browser.execute(() => {
      const ok = document.querySelector('[data-testid="import-replaced"]');
      const failed = document.querySelector('[data-testid="import-summary"] [role="alert"]');
      return ok ? 'replaced' : failed?.textContent?.trim() || false;
    }), 'the replacement neither succeeded nor failed');
    assert.equal(outcome, 'replaced');
    const replaced = await shown(browser, 'import-replaced');
    assert.match(normalize(await replaced.getText()), /Inläst som version 2/);
    await screenshot('replaced-as-version-2');
    await browser.$(tid('import-close')).click();
    await until(browser, async () => (await browser.$$(tid('import-summary'))).length === 0, 'the summary did not close');
  } finally {
    await stopApp(browser);
  }

  // The audit trail names the person, not the account.
  const { stdout } = await promisify(execFile)(CLI, ['--library', library, 'history'], {
    env: { ...process.env, KRYPHAL_USER: '', KRYPHAL_CONFIG_DIR: config },
  });
  const verdicts = stdout.split('\n').filter((l) => l.includes('clause.verdict'));
  assert.ok(verdicts.length >= 2, stdout);
  for (const line of verdicts) assert.equal(line.split('\t')[1], NAME, line);
  assert.ok(stdout.split('\n').some((l) => l.includes(NAME) && /version|import/.test(l)), stdout);
});

test('the English finding form: the essential fields first, the rest behind More', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const config = join(dir, 'config');
  mkdirSync(config);
  writeFileSync(join(config, 'preferences.json'), JSON.stringify({ user_name: NAME, language: 'en', name_asked: true }));
  const browser = await startApp(join(dir, 'lib.sqlite'), ['--config-dir', config]);
  try {
    await openSample(browser);
    const clause = await browser.$(`${tid('outline')} [data-clause-id]`);
    await clause.click();
    const current = normalize(await browser.$(tid('clause-text')).getText());
    await (await shown(browser, 'new-finding')).click();
    const form = await shown(browser, 'finding-form');
    await (await shown(browser, 'finding-consequence')).setValue('Anyone can sign for a key.');
    await waitSaved(browser);
    const proposed = await shown(browser, 'finding-proposed');
    assert.equal(normalize(await proposed.getValue()), current, 'the proposed wording starts as the current wording');
    const more = await shown(browser, 'finding-more-toggle');
    assert.equal(await more.getText(), 'More');
    assert.equal(await browser.$(tid('finding-exploitation')).isDisplayed(), false, 'the rest is behind More');
    const text = normalize(await form.getText());
    for (const english of ['Current wording', 'Risk']) assert.ok(text.includes(english), `"${english}" in ${text}`);
    await screenshot('english-finding-form');
    await more.click();
    await shown(browser, 'finding-exploitation');
    await (await shown(browser, 'finding-more')).scrollIntoView({ block: 'start' });
    await screenshot('english-finding-form-more');
  } finally {
    await stopApp(browser);
  }
});
