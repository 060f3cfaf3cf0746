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
// 4. Each window may call only the commands its capability grants (src-tauri/capabilities/):
//    the projector window, opened by the main window, shows the clause with its narrow grants
//    and reads the presentation, but deleting a finding, importing a file, opening windows and
//    changing preferences are refused there by the ACL; the same delete through the same
//    `__TAURI_INTERNALS__.invoke` in the main window deletes the finding. A command that is
//    registered but granted to no window (`import_bundle_bytes`) is refused in the main window.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, screenshot, shown, startApp, stopApp, switchToWindowWith, tempDir, tid, until } from '../lib/harness.mjs';


const HOSTILE = `# Villkor med inbäddad kod

1. Leverantören ska lämna <script>window.__pwned = 'script'; document.title = 'pwned'</script> uppgifter varje månad.
2. Underlag lämnas <img src="x" onerror="window.__pwned = 'img'"> senast den femte.
3. Se [villkoren](javascript:window.__pwned='link') och <a href="#" onclick="window.__pwned='click'">bilagan</a>.
4. <svg onload="window.__pwned='svg'"></svg>Avtalet gäller i två år.
`;

test('script payloads in a document stay text, the CSP holds, and each window may call only the commands its capability grants', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const library = join(dir, 'lib.sqlite');
  const file = join(dir, 'villkor-med-kod.md');
  writeFileSync(file, HOSTILE);
  const cli = (args, input) =>
    execFileSync(CLI, ['--library', library, ...args], { encoding: 'utf8', input, env: { ...process.env, KRYPHAL_USER: 'e2e' } });
  const [imported] = JSON.parse(cli(['import', file, '--json']));
  const docId = imported.report.document_id;
  const clauseIds = JSON.parse(cli(['show', docId, '--json'])).outline.clauses.map((c) => c.id);
  const finding = JSON.parse(cli(['finding', 'add', clauseIds[0], '--json', '-'],
    JSON.stringify({ unintended_consequence: 'Uppgifterna kan lämnas av fel person.' })));

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

    // Two capabilities: the projector reads and moves the presentation, nothing more.
    // (The refusal is returned as `reason`: WebDriver takes a result with an `error` key
    // for a failure of its own.)
    const ipc = (cmd, args) => browser.execute(async (cmd, args) => {
      try {
        return { ok: true, value: await window.__TAURI_INTERNALS__.invoke(cmd, args) };
      } catch (e) {
        return { ok: false, reason: typeof e === 'string' ? e : JSON.stringify(e) };
      }
    }, cmd, args);
    const refusedByAcl = (r, what) => {
      assert.equal(r.ok, false, `${what} was allowed`);
      assert.match(r.reason, /not allowed/i, `${what} was not refused by the ACL: ${r.reason}`);
    };
    const findingsNow = async () => {
      const view = await ipc('get_document', { docId });
      assert.equal(view.ok, true, `get_document in the main window: ${view.reason}`);
      return view.value.findings.map((f) => f.id);
    };
    const main = await browser.getWindowHandle();
    const request = { docId, sessionId: null, agenda: clauseIds, start: null, screen: null, theme: null };
    const opened = await ipc('presentation_open', request);
    assert.equal(opened.ok, true, `presentation_open in the main window: ${opened.reason}`);
    const projector = await switchToWindowWith(browser, 'present-view');
    assert.notEqual(projector, main);
    // The projected view loads its document, rulebook and state with the projector's grants.
    await shown(browser, 'present-label');
    assert.equal(await browser.$(tid('present-error')).isExisting(), false, 'the projector could not load what it shows');
    assert.equal(await browser.execute(() => window.__pwned ?? null), null, 'a payload ran on the projector');
    const read = await ipc('presentation_state', {});
    assert.equal(read.ok, true, `presentation_state on the projector: ${read.reason}`);
    assert.equal(read.value.document_id, docId);
    const onProjector = {
      delete: await ipc('delete_finding', { findingId: finding.id }),
      import: await ipc('import_file', {}),
      open: await ipc('presentation_open', request),
      prefs: await ipc('set_preferences', { prefs: { user: 'x', language: 'en' } }),
    };
    t.diagnostic(`projector invoke: ${JSON.stringify(onProjector)}`);
    for (const [what, r] of Object.entries(onProjector)) refusedByAcl(r, `${what} on the projector`);

    await browser.switchToWindow(main);
    assert.deepEqual(await findingsNow(), [finding.id], 'the refused delete left the finding');
    const deleted = await ipc('delete_finding', { findingId: finding.id });
    assert.equal(deleted.ok, true, `delete_finding in the main window: ${deleted.reason}`);
    assert.deepEqual(await findingsNow(), [], 'the main window deleted the finding');
    refusedByAcl(await ipc('import_bundle_bytes', { name: 'x.kryphal', bytes: [] }), 'a command granted to no window');
    const closed = await ipc('presentation_close', {});
    assert.equal(closed.ok, true, `presentation_close in the main window: ${closed.reason}`);
    await until(browser, async () => (await browser.getWindowHandles()).length === 1, 'the projector window did not close');
    await browser.switchToWindow(main);
  } catch (err) {
    await screenshot('failure');
    throw err;
  } finally {
    await stopApp(browser);
  }
});
