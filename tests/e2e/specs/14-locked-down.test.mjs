// Issue 10 (part) in the real app: the webview is locked down.
//
// 1. A document whose text carries script payloads (a <script> element, an <img onerror>, a
//    javascript: link, an inline event handler in HTML and Markdown) is imported through the
//    CLI and opened in the app: the clause shows the payload as text, and none of it ran
//    (each payload would set a global flag or change the title).
// 2. The content security policy is in force: an inline script added at run time does not
//    run, and eval is refused.
// 3. The UI cannot call what its capabilities do not grant: the dialog plugin is compiled in
//    (the shell uses it from Rust) but `plugin:dialog|open` from the page is refused, as are
//    shell and file-system commands that are not there at all; Kryphål's own command answers.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, screenshot, shown, startApp, stopApp, tempDir, tid, until } from '../lib/harness.mjs';


const HOSTILE = `# Villkor med inbäddad kod

1. Leverantören ska lämna <script>window.__pwned = 'script'; document.title = 'pwned'</script> uppgifter varje månad.
2. Underlag lämnas <img src="x" onerror="window.__pwned = 'img'"> senast den femte.
3. Se [villkoren](javascript:window.__pwned='link') och <a href="#" onclick="window.__pwned='click'">bilagan</a>.
4. <svg onload="window.__pwned='svg'"></svg>Avtalet gäller i två år.
`;

test('script payloads in a document stay text, the CSP holds, and commands outside the capabilities are refused', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const file = join(dir, 'villkor-med-kod.md');
  writeFileSync(file, HOSTILE);
  const cli = (args) => execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', env: { ...process.env, KRYPHAL_USER: 'e2e' } });
  cli(['import', file, '--json']);

  const browser = await startApp(library, ['--config-dir', join(dir, 'config')]);
  try {
    await shown(browser, 'doc-list');
    const item = await until(browser, async () => {
      for (const el of await browser.$$(`${tid('doc-list')} ${tid('doc-item')}`)) {
        if (/inbäddad kod/.test(await el.getText())) return el;
      }
      return false;
    }, 'the hostile document is not listed');
    await item.click();
    await shown(browser, 'outline');
    // Every clause is opened, so every payload has been put on the page once.
    const rows = await browser.$$(`${tid('outline')} [data-clause-id]`);
    assert.ok(rows.length >= 4, `expected the four clauses, got ${rows.length}`);
    const shownTexts = [];
    for (const row of rows) {
      await row.click();
      shownTexts.push(await (await shown(browser, 'clause-text')).getText());
    }
    t.diagnostic(`clause texts: ${JSON.stringify(shownTexts)}`);
    assert.ok(shownTexts.some((s) => s.includes('<script>')), 'the script element is shown as text');
    assert.ok(shownTexts.some((s) => /onerror/.test(s)), 'the img payload is shown as text');
    const state = await browser.execute(() => ({
      pwned: window.__pwned ?? null,
      title: document.title,
      scripts: document.querySelectorAll('script:not([src])').length,
      imgs: document.querySelectorAll('img[onerror], svg[onload], a[onclick]').length,
    }));
    assert.deepEqual(state, { pwned: null, title: 'Kryphål', scripts: 0, imgs: 0 }, 'no payload became markup or ran');

    // The CSP: no inline script, no eval.
    const csp = await browser.execute(() => {
      const s = document.createElement('script');
      s.textContent = "window.__inline = 'ran'";
      document.body.appendChild(s);
      let evalResult;
      try {
        // eslint-disable-next-line no-eval
        evalResult = eval('1 + 1');
      } catch (e) {
        evalResult = `refused: ${e?.name}`;
      }
      return { inline: window.__inline ?? null, evalResult: String(evalResult) };
    });
    t.diagnostic(`csp: ${JSON.stringify(csp)}`);
    assert.equal(csp.inline, null, 'an inline script ran despite the CSP');
    assert.match(csp.evalResult, /^refused/, 'eval ran despite the CSP');

    // Capabilities: only Kryphål's own commands (and listening to its event).
    const calls = await browser.execute(async () => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      const attempt = async (cmd, args) => {
        try {
          const r = await invoke(cmd, args);
          return { ok: true, value: typeof r === 'object' ? 'object' : String(r) };
        } catch (e) {
          return { ok: false, error: String(e?.message ?? e) };
        }
      };
      return {
        own: await attempt('app_info', {}),
        dialog: await attempt('plugin:dialog|open', { options: {} }),
        shell: await attempt('plugin:shell|execute', { program: 'sh', args: ['-c', 'id'] }),
        fs: await attempt('plugin:fs|read_text_file', { path: '/etc/passwd' }),
      };
    });
    t.diagnostic(`invoke: ${JSON.stringify(calls)}`);
    assert.equal(calls.own.ok, true, 'Kryphål’s own command answers');
    for (const name of ['dialog', 'shell', 'fs']) {
      assert.equal(calls[name].ok, false, `plugin command ${name} was allowed`);
    }
    assert.match(calls.dialog.error, /not allowed|denied|permission/i, 'the dialog plugin is refused by the ACL, not missing');
    await screenshot('hostile-document');
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
