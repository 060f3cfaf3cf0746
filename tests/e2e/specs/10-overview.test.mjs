// Issue 8 in the real app: the overview of a document, and of the whole library (second test). The sample gets two rated
// findings through the CLI; in the app the overview's heat map counts them in their cells,
// a cell lists its findings and opens the clause, the heat strip marks the two clauses, and
// axe-core finds no serious or critical violation in the overview.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, SAMPLE, axeViolations, screenshot, shown, startApp, stopApp, tempDir, tid, until } from '../lib/harness.mjs';


test('the overview counts findings in the heat map and leads back to their clauses', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const cli = (args, input) =>
    execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', input, env: { ...process.env, KRYPHAL_USER: 'e2e' } });
  const [imported] = JSON.parse(cli(['import', SAMPLE, '--json']));
  const docId = imported.report.document_id;
  const clauses = JSON.parse(cli(['show', docId, '--json'])).outline.clauses;
  const byNumber = (n) => clauses.find((c) => c.number === n).id;
  cli(['finding', 'add', byNumber('4.5'), '--json', '-'],
    JSON.stringify({ unintended_consequence: 'Gamla utdrag godtas.', likelihood: 3, impact: 4, crime_types: ['URK'] }));
  cli(['finding', 'add', byNumber('4.6'), '--json', '-'],
    JSON.stringify({ unintended_consequence: 'Ändrade ägare anmäls sent.', likelihood: 3, impact: 4 }));

  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  const browser = await startApp(library, ['--config-dir', join(dir, 'config'), '--export-dir', outDir]);
  try {
    await shown(browser, 'outline');
    await (await shown(browser, 'toggle-overview')).click();
    await shown(browser, 'overview-coverage');
    assert.match((await browser.$(tid('overview-coverage')).getProperty('textContent')).trim(), /^2 av \d+ klausuler granskade$/);
    const cell = await shown(browser, 'heat-cell-3-4');
    assert.equal(await cell.getAttribute('data-count'), '2', 'both findings sit in likelihood 3 × consequence 4');
    assert.equal((await browser.$$(tid('heat-tick'))).length, 2, 'the strip marks two clauses');
    assert.match(await browser.$(tid('overview-crime-types')).getProperty('textContent'), /URK/);
    const serious = await axeViolations(browser, t, 'overview');
    assert.deepEqual(serious, [], `axe-core found serious or critical violations:\n${JSON.stringify(serious, null, 2)}`);
    await screenshot('overview');

    // The risk matrix alone as a PNG for a slide, and the whole overview as SVG.
    await (await shown(browser, 'overview-image-part')).selectByAttribute('value', 'matrix');
    await (await shown(browser, 'overview-image-png')).click();
    await until(browser, async () => /Sparade .*riskmatris\.png/.test(await browser.$(tid('overview-image-status')).getText()),
      'the PNG was not reported saved');
    await (await shown(browser, 'overview-image-part')).selectByAttribute('value', 'all');
    await (await shown(browser, 'overview-image-svg')).click();
    await until(browser, async () => /\.svg/.test(await browser.$(tid('overview-image-status')).getText()), 'the SVG was not reported saved');
    const files = readdirSync(outDir);
    t.diagnostic(`images: ${files.join(', ')}`);
    const png = readFileSync(join(outDir, files.find((f) => f.endsWith('riskmatris.png'))));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    t.diagnostic(`matrix PNG: ${w}×${h}`);
    assert.ok(w >= 1000 && h >= 600, `a slide-sized image, got ${w}×${h}`);
    const svg = readFileSync(join(outDir, files.find((f) => f.endsWith('.svg'))), 'utf8');
    assert.match(svg, /^<svg|<\?xml/);
    assert.match(svg, /URK|Urkund/, 'the crime type is drawn');

    await cell.click();
    const items = await until(browser, async () => {
      const list = await browser.$$(tid('overview-finding'));
      return list.length === 2 ? list : false;
    }, 'the chosen cell does not list its two findings');
    await items[0].click();
    await until(browser, async () => /4\.[56]/.test(await browser.$(tid('clause-label')).getText()),
      'a finding in the cell did not open its clause');
    assert.equal(await browser.$(tid('overview')).isExisting(), false, 'the clause view is back');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});

test('the library overview adds up every document and opens a finding in its own document', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const cli = (args, input) =>
    execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', input, env: { ...process.env, KRYPHAL_USER: 'e2e' } });
  const policyFile = join(dir, 'inkopspolicy.md');
  writeFileSync(policyFile, [
    '# Inköpspolicy för Ekby kommun', '', '## 1 Allmänt', '',
    '1.1 Policyn gäller alla inköp som kommunens förvaltningar gör.', '',
    '1.2 Direktupphandling får göras av den som har fått delegation för det.', '',
    '1.3 Gåvor från leverantörer tas inte emot.', '',
  ].join('\n'));
  const [sample] = JSON.parse(cli(['import', SAMPLE, '--json']));
  const [policy] = JSON.parse(cli(['import', policyFile, '--json']));
  const clauseOf = (docId, n) => JSON.parse(cli(['show', docId, '--json'])).outline.clauses.find((c) => c.number === n).id;
  cli(['finding', 'add', clauseOf(sample.report.document_id, '4.5'), '--json', '-'],
    JSON.stringify({ unintended_consequence: 'Gamla utdrag godtas.', likelihood: 3, impact: 4, crime_types: ['URK'] }));
  const c12 = clauseOf(policy.report.document_id, '1.2');
  cli(['finding', 'add', c12, '--json', '-'],
    JSON.stringify({ unintended_consequence: 'Delegationen kan användas för att dela upp köp.', likelihood: 3, impact: 4, crime_types: ['MUT'] }));

  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  const browser = await startApp(library, ['--config-dir', join(dir, 'config'), '--export-dir', outDir]);
  try {
    await shown(browser, 'outline');
    await (await shown(browser, 'library-overview-open')).click();
    await shown(browser, 'library-overview');
    assert.equal(await browser.$(tid('outline')).isExisting(), false, 'the library overview takes the document\'s place');
    await until(browser, async () => /^2 av \d+ klausuler granskade$/.test(
      (await browser.$(tid('overview-coverage')).getProperty('textContent')).trim()), 'the coverage of both documents');
    const rows = await browser.$$(tid('overview-document'));
    assert.equal(rows.length, 2, 'a row per document');
    const rowText = [];
    for (const r of rows) rowText.push(await r.getText());
    assert.ok(rowText.some((s) => s.includes('Inköpspolicy för Ekby kommun') && s.includes('1 / 3')), rowText.join('\n'));
    assert.equal(await (await shown(browser, 'heat-cell-3-4')).getAttribute('data-count'), '2', 'one cell, findings of two documents');
    const crimeTypes = await browser.$(tid('overview-crime-types')).getProperty('textContent');
    assert.match(crimeTypes, /MUT/, 'the policy\'s crime type');
    assert.match(crimeTypes, /URK/, 'the sample\'s crime type');
    const serious = await axeViolations(browser, t, 'library overview');
    assert.deepEqual(serious, [], `axe-core found serious or critical violations:\n${JSON.stringify(serious, null, 2)}`);
    await screenshot('library-overview');

    // The whole library as one SVG, with both documents on it.
    await (await shown(browser, 'overview-image-svg')).click();
    await until(browser, async () => /\.svg/.test(await browser.$(tid('overview-image-status')).getText()), 'the SVG was not reported saved');
    const [file] = readdirSync(outDir).filter((f) => f.endsWith('.svg'));
    t.diagnostic(`library image: ${file}`);
    const svg = readFileSync(join(outDir, file), 'utf8');
    assert.match(svg, /Inköpspolicy för Ekby kommun/);
    assert.match(svg, /Reglemente för kundval/);

    // The policy's mark opens its clause 1.2 in the policy.
    const policyRow = rows[rowText.findIndex((s) => s.includes('Inköpspolicy'))];
    await (await policyRow.$(tid('overview-mark'))).click();
    await until(browser, async () => (await browser.$(tid('document-title')).isExisting())
      && (await browser.$(tid('document-title')).getText()) === 'Inköpspolicy för Ekby kommun', 'the policy did not open');
    await until(browser, async () => /1\.2/.test(await browser.$(tid('clause-label')).getText()), 'the marked clause did not open');
    assert.equal(await browser.$(tid('library-overview')).isExisting(), false);
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
