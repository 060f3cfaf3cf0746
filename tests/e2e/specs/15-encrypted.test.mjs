// An encrypted library (created with the CLI, `kryphal init --encrypt`) opens in the real app
// only after its passphrase is typed on the unlock screen: a wrong one is refused with a
// readable sentence and the user can try again; the right one opens the library. Neither the
// library file nor the app's output ever holds the passphrase or the analysis in plain text,
// and no search index is written beside the encrypted library.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import {
  ARTIFACTS,
  CLI,
  SAMPLE,
  axeViolations,
  openSample,
  screenshot,
  sha256,
  shown,
  startApp,
  stopApp,
  tempDir,
  tid,
  until,
} from '../lib/harness.mjs';

const PASSPHRASE = 'Blåbärssoppa vid Vasaloppet 2026';
const FINDING = 'Bulvanen byter styrelse direkt efter avtalet';

const run = promisify(execFile);

async function cli(library, passFile, ...args) {
  const { stdout, stderr } = await run(CLI, ['--library', library, '--passphrase-file', passFile, ...args], {
    env: { ...process.env, KRYPHAL_USER: 'e2e' },
  });
  for (const out of [stdout, stderr]) assert.ok(!out.includes(PASSPHRASE), 'the CLI printed the passphrase');
  return stdout;
}

/** Types into the unlock field and submits (the field is cleared after every try). */
async function tryPassphrase(browser, text) {
  const field = await shown(browser, 'unlock-passphrase');
  await field.waitForEnabled();
  await field.setValue(text);
  await browser.$(tid('unlock-submit')).click();
}

test('an encrypted library opens after its passphrase; a wrong one is refused with a sentence', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const secrets = tempDir('kryphal-e2e-secret-');
  t.after(secrets.cleanup);
  const passFile = join(secrets.dir, 'pass');
  writeFileSync(passFile, `${PASSPHRASE}\n`);
  const library = join(dir, 'krypterat.kryphal');

  await cli(library, passFile, 'init', '--encrypt');
  const imported = await cli(library, passFile, 'import', SAMPLE);
  const docId = imported.split('\t')[0];
  const view = JSON.parse(await cli(library, passFile, 'show', docId, '--json'));
  const clause = view.outline.clauses.find((c) => c.text.includes('belastningsregistret'));
  assert.ok(clause, 'the sample has the clause on belastningsregistret');
  const { stdout } = await new Promise((resolve, reject) => {
    const child = execFile(
      CLI,
      ['--library', library, '--passphrase-file', passFile, 'finding', 'add', clause.id, '--json', '-'],
      { env: { ...process.env, KRYPHAL_USER: 'e2e' } },
      (err, out, errOut) => (err ? reject(err) : resolve({ stdout: out, stderr: errOut })),
    );
    child.stdin.end(JSON.stringify({ unintended_consequence: FINDING, likelihood: 4, impact: 3 }));
  });
  assert.match(stdout, /"id"/);
  const before = sha256(library);

  const browser = await startApp(library);
  try {
    // The unlock screen, not the library and not an error screen.
    const screen = await shown(browser, 'unlock-screen');
    assert.match((await screen.getText()).replace(/\s+/g, ' '), /krypterat|encrypted/i);
    assert.equal(await browser.$(tid('doc-list')).isExisting(), false, 'nothing of the library behind the lock');
    assert.equal(await browser.$(tid('fatal-error')).isExisting(), false);
    const field = await shown(browser, 'unlock-passphrase');
    assert.equal(await field.getAttribute('type'), 'password', 'the passphrase is not shown as typed');
    const fieldId = await field.getAttribute('id');
    const label = await browser.$(`label[for="${fieldId}"]`);
    assert.match(await label.getText(), /Lösenfras|Passphrase/, 'the field has a visible label');
    const focused = await browser.execute(() => document.activeElement?.getAttribute('data-testid'));
    assert.equal(focused, 'unlock-passphrase', 'the field has the focus at start');
    const violations = await axeViolations(browser, t, 'unlock screen');
    assert.deepEqual(violations, [], 'no serious accessibility violations on the unlock screen');
    await screenshot('unlock-screen');

    // A wrong passphrase: a sentence in the live region, the field empty and ready again.
    await tryPassphrase(browser, 'blåbärssoppa vid vasaloppet 2026');
    const error = await until(
      browser,
      async () => {
        const text = (await browser.$(tid('unlock-error')).getText()).trim();
        return text.length > 0 ? text : false;
      },
      'no message after a wrong passphrase',
      60_000,
    );
    t.diagnostic(`after a wrong passphrase: ${error}`);
    assert.match(error, /Lösenfrasen stämmer inte|The passphrase is wrong/);
    assert.equal(await browser.$(tid('unlock-error')).getAttribute('role'), 'alert', 'the message is announced');
    assert.equal(await (await shown(browser, 'unlock-passphrase')).getValue(), '', 'the field is cleared');
    const refocused = await until(
      browser,
      async () => (await browser.execute(() => document.activeElement?.getAttribute('data-testid'))) === 'unlock-passphrase',
      'the focus did not return to the passphrase field',
    );
    assert.ok(refocused);
    assert.equal(await browser.$(tid('doc-list')).isExisting(), false);
    await screenshot('unlock-wrong-passphrase');

    // The right one opens the library with the CLI's finding.
    await tryPassphrase(browser, PASSPHRASE);
    await shown(browser, 'doc-list', 60_000);
    await openSample(browser);
    // The document's text and the finding added with the CLI are there.
    await until(
      browser,
      async () => {
        const text = await browser.$('body').getText();
        return text.includes('Detta reglemente anger') && /\b1 (fynd|finding)\b/.test(text);
      },
      'the clause text or the finding count is not shown',
    );
    const leftover = await browser.execute(
      (secret) => document.documentElement.outerHTML.includes(secret) || [...document.querySelectorAll('input')].some((i) => i.value.includes(secret)),
      PASSPHRASE,
    );
    assert.equal(leftover, false, 'the passphrase is nowhere in the page after unlocking');
    await screenshot('unlocked-library');

    // Search works (the index is built in memory only).
    await browser.$(tid('open-search')).click();
    const input = await shown(browser, 'search-input');
    await input.setValue('bulvanen');
    await until(
      browser,
      async () => (await browser.$$(tid('search-hit'))).length > 0,
      'no search hit for a word of the finding',
      60_000,
    );
    await screenshot('search-in-encrypted-library');
  } catch (err) {
    await screenshot('encrypted-failure');
    throw err;
  } finally {
    await stopApp(browser);
  }

  // On the disk: no index folder, no plaintext, no passphrase; the file changed only by use.
  assert.equal(existsSync(`${library}.search`), false, 'no search index beside an encrypted library');
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, name));
    assert.ok(!bytes.subarray(0, 16).toString('latin1').startsWith('SQLite format 3'), `${name} has an SQLite header`);
    for (const secret of [PASSPHRASE, FINDING, 'belastningsregistret']) {
      assert.equal(bytes.includes(Buffer.from(secret)), false, `${name} holds "${secret}"`);
    }
  }
  t.diagnostic(`library changed by the session: ${sha256(library) !== before}`);
  // The app's own output (stdout/stderr land in the driver's log) never held the passphrase.
  const driverLog = join(ARTIFACTS, 'tauri-driver.log');
  if (existsSync(driverLog)) {
    assert.equal(readFileSync(driverLog, 'utf8').includes(PASSPHRASE), false, 'the passphrase is in the app output');
  }
});
