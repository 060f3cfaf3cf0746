// Issue 9 (part) in the real app: a new version of a document. The sample gets findings on
// 4.6 (changed in the revision) and 5.4 (removed) through the CLI, and the revised 2025
// fixture is imported on its own. In the app, the revised document offers to become the
// sample's new version; keeping it carries the findings over and opens the comparison, which
// shows the added, removed, changed (with the word diff) and moved clauses and the finding to
// review again and the orphaned one; marking the re-review done takes it off the bar. The
// comparison is exported as Word and Markdown from the dialog (the test hook `--export-dir`
// replaces the save dialog) and both files hold the Nuvarande / Föreslagen lydelse table.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, SAMPLE, axeViolations, repoRoot, screenshot, shown, startApp, stopApp, tempDir, tid, until, zipEntry } from '../lib/harness.mjs';

const REVISED = join(repoRoot, 'crates', 'kryphal-app', 'tests', 'fixtures', 'reglemente-kundval-hemtjanst-2025.md');

test('a revised document kept as a new version shows the comparison and the carried findings', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const cli = (args, input) =>
    execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', input, env: { ...process.env, KRYPHAL_USER: 'e2e' } });
  const [imported] = JSON.parse(cli(['import', SAMPLE, '--json']));
  const oldId = imported.report.document_id;
  const clauses = JSON.parse(cli(['show', oldId, '--json'])).outline.clauses;
  const byNumber = (n) => clauses.find((c) => c.number === n).id;
  cli(['finding', 'add', byNumber('4.6'), '--json', '-'], JSON.stringify({ unintended_consequence: 'Skälig tid är obestämd.' }));
  cli(['finding', 'add', byNumber('5.4'), '--json', '-'], JSON.stringify({ unintended_consequence: 'Närstående som utförare.' }));
  const [revised] = JSON.parse(cli(['import', REVISED, '--json']));
  const newId = revised.report.document_id;
  assert.equal(revised.report.version_candidates[0].document_id, oldId, 'the CLI proposes the sample');

  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  const browser = await startApp(library, ['--config-dir', join(dir, 'config'), '--export-dir', outDir]);
  try {
    await shown(browser, 'outline');
    await (await browser.$(`[data-testid="doc-item"][data-doc-id="${newId}"]`)).click();
    const offer = await shown(browser, 'version-candidate');
    assert.match(await offer.getText(), /Reglemente för kundval inom hemtjänst/);
    await (await shown(browser, 'link-version')).click();

    await shown(browser, 'version-compare');
    const summary = await shown(browser, 'version-summary');
    assert.match(await summary.getText(), /1 nya, 1 borttagna, 1 flyttade/);
    const attributes = async (id, name) => {
      const out = [];
      for (const el of await browser.$$(tid(id))) out.push(await el.getAttribute(name));
      return out;
    };
    const kinds = await until(browser, async () => {
      const list = await attributes('version-change', 'data-kind');
      return list.length > 0 ? list : false;
    }, 'the comparison lists no changes');
    for (const kind of ['added', 'removed', 'changed']) assert.ok(kinds.includes(kind), `a ${kind} clause is listed`);
    const texts = [];
    for (const d of await browser.$$(tid('diff-deleted'))) texts.push(await d.getText());
    assert.ok(texts.some((x) => x.includes('skälig tid')), 'the word diff strikes “skälig tid”');
    assert.equal((await browser.$$(`${tid('carried-finding')}[data-state="rereview"]`)).length, 1);
    assert.equal((await browser.$$(`${tid('carried-finding')}[data-state="orphaned"]`)).length, 1);

    const serious = await axeViolations(browser, t, 'version comparison');
    assert.deepEqual(serious, [], `axe-core found serious or critical violations:\n${JSON.stringify(serious, null, 2)}`);
    await screenshot('version-comparison');

    // The comparison as Word and as Markdown, each named in the status line.
    const written = {};
    for (const format of ['docx', 'md']) {
      const before = readdirSync(outDir);
      await (await shown(browser, `compare-export-${format}`)).click();
      const status = browser.$(tid('compare-export-status'));
      const file = await until(browser, async () => {
        const state = await status.getAttribute('data-state');
        if (state === 'error') throw new Error(`the ${format} comparison failed: ${await status.getText()}`);
        const added = readdirSync(outDir).filter((f) => !before.includes(f) && f.endsWith(`.${format}`));
        return state === 'ok' && added.length === 1 ? added[0] : false;
      }, `the ${format} comparison was not written`);
      assert.ok((await status.getText()).includes(file), `the status line names ${file}`);
      written[format] = join(outDir, file);
    }
    const markdown = readFileSync(written.md, 'utf8');
    const wordXml = zipEntry(written.docx, 'word/document.xml');
    for (const [name, text] of [['Markdown', markdown], ['Word', wordXml]]) {
      for (const heading of ['Nuvarande lydelse', 'Föreslagen lydelse']) {
        assert.ok(text.includes(heading), `the ${name} comparison has the “${heading}” column`);
      }
      assert.ok(text.includes('skälig tid'), `the ${name} comparison quotes the changed clause`);
    }
    t.diagnostic(`comparison files: ${Object.values(written).map((f) => f.split('/').pop()).join(', ')}`);
    await screenshot('comparison-exported');

    await (await shown(browser, 'mark-reviewed')).click();
    await shown(browser, 'carried-reviewed');
    await (await shown(browser, 'version-compare-close')).click();
    await until(browser, async () => !(await browser.$(tid('version-compare')).isExisting()), 'the comparison did not close');
    assert.match(await (await shown(browser, 'version-number')).getText(), /Version 2/);
    assert.equal(await browser.$(tid('version-rereview')).isExisting(), false, 'nothing is left to review again');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
