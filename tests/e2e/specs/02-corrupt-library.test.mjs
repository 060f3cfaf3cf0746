// A library file that is not a Kryphål library (an SQLite header followed by random bytes,
// as a damaged library looks) gets a clear message, not a crash, and the file is left exactly
// as it was. (A file with no SQLite header at all may be an encrypted library: the app asks
// for its passphrase instead; see 15-encrypted.)

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { screenshot, sha256, shown, startApp, stopApp, tempDir, tid } from '../lib/harness.mjs';

test('a corrupt library file shows an error screen and is not modified', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  writeFileSync(library, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), randomBytes(64 * 1024 - 16)]));
  const before = sha256(library);

  const browser = await startApp(library);
  try {
    const fatal = await shown(browser, 'fatal-error');
    const message = (await fatal.getText()).replace(/\s+/g, ' ').trim();
    t.diagnostic(`fatal-error says: ${message}`);
    assert.match(message, /bibliotek|library/i, 'the message says that the library is the problem');
    assert.ok(message.length >= 20, `the message is a sentence, not a code: "${message}"`);
    assert.equal(await browser.$(tid('doc-list')).isExisting(), false, 'no document list behind the error');
    // The app is still alive and answering (the session would fail if it had crashed).
    assert.equal(await browser.getTitle(), 'Kryphål');
    await screenshot('corrupt-library-error');
  } catch (err) {
    await screenshot('corrupt-library-failure');
    throw err;
  } finally {
    await stopApp(browser);
  }

  assert.equal(sha256(library), before, 'the corrupt library file is byte-identical');
  const left = readdirSync(dir).filter((f) => f !== 'lib.sqlite');
  if (left.length) t.diagnostic(`files created next to the library: ${left.join(', ')}`);
});
