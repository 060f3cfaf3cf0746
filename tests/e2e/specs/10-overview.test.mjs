// Issue 8 (part) in the real app: the overview of a document. The sample gets two rated
// findings through the CLI; in the app the overview's heat map counts them in their cells,
// a cell lists its findings and opens the clause, the heat strip marks the two clauses, and
// axe-core finds no serious or critical violation in the overview.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
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
