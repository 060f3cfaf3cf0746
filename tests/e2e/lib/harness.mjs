// Shared helpers for the end-to-end tests.
//
// The tests drive the real `kryphal-desktop` binary through tauri-driver (which spawns
// WebKitWebDriver) under Xvfb. `run.sh` starts both and passes the connection details in
// environment variables; the tests never start or stop them.
//
// Every session gets its own library file via `--library PATH` in `tauri:options.args`
// (tauri-driver is started once, so a per-test environment variable would not reach the app).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..', '..');

/** The `kryphal` CLI of the same build (tests prepare libraries with it). */
export const CLI = process.env.KRYPHAL_E2E_CLI ?? join(repoRoot, 'target', 'debug', 'kryphal');
/** The sample document the app seeds, as a file. */
export const SAMPLE = join(repoRoot, 'crates', 'kryphal-app', 'sample', 'reglemente-kundval-hemtjanst.md');

export const APP = process.env.KRYPHAL_E2E_APP ?? join(repoRoot, 'target', 'debug', 'kryphal-desktop');
export const DRIVER_PORT = Number(process.env.KRYPHAL_E2E_PORT ?? 4444);
export const ARTIFACTS = process.env.KRYPHAL_E2E_ARTIFACTS ?? join(repoRoot, 'tests', 'e2e', 'artifacts');

/** Default timeout for a UI condition to become true (the debug build on 2 cores is slow). */
export const UI_TIMEOUT = Number(process.env.KRYPHAL_E2E_TIMEOUT_MS ?? 20_000);

if (!isAbsolute(APP)) {
  // tauri-driver fails with a relative application path.
  throw new Error(`KRYPHAL_E2E_APP must be an absolute path, got ${APP}`);
}

/** A fresh temporary directory; removed by the returned cleanup function. */
export function tempDir(prefix = 'kryphal-e2e-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the app with the given library file and returns the WebdriverIO browser.
 * `extraArgs` go to the app, e.g. `['--config-dir', dir]` for preferences of the test's own.
 * The first start asks for the user's name; unless `firstStart` is set, the preferences
 * (the test's own folder, else run.sh's) say it was asked, so the other tests never see it.
 */
export async function startApp(libraryPath, extraArgs = [], { firstStart = false } = {}) {
  if (!firstStart) {
    const at = extraArgs.indexOf('--config-dir');
    const config = at >= 0 ? extraArgs[at + 1] : process.env.KRYPHAL_CONFIG_DIR;
    if (config && !existsSync(join(config, 'preferences.json'))) {
      mkdirSync(config, { recursive: true });
      writeFileSync(join(config, 'preferences.json'), JSON.stringify({ name_asked: true }));
    }
  }
  return remote({
    hostname: '127.0.0.1',
    port: DRIVER_PORT,
    logLevel: process.env.KRYPHAL_E2E_WDIO_LOG ?? 'warn',
    connectionRetryCount: 0,
    connectionRetryTimeout: Number(process.env.KRYPHAL_E2E_SESSION_TIMEOUT_MS ?? 90_000),
    waitforTimeout: UI_TIMEOUT,
    capabilities: {
      browserName: 'wry',
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': {
        application: APP,
        args: ['--library', libraryPath, ...extraArgs],
      },
    },
  });
}

/** Ends the session, which closes the app. Never throws (used in `finally`). */
export async function stopApp(browser) {
  if (!browser) return;
  try {
    await browser.deleteSession();
  } catch (err) {
    console.error(`# deleteSession failed: ${err?.message ?? err}`);
  }
}

/** CSS selector for a `data-testid`. */
export const tid = (id) => `[data-testid="${id}"]`;

/** Waits until the element with the test id is displayed and returns it. */
export async function shown(browser, id, timeout = UI_TIMEOUT) {
  const el = browser.$(tid(id));
  await el.waitForDisplayed({ timeout, timeoutMsg: `data-testid="${id}" was not displayed within ${timeout} ms` });
  return el;
}

/**
 * An action of the document header's "Mer" panel (export, metadata, review, screening again,
 * the pack): opens the panel when the action is not on show, waits until it is and returns it.
 */
export async function docAction(browser, id, timeout = UI_TIMEOUT) {
  if (!(await browser.$(tid(id)).isDisplayed())) {
    const more = await shown(browser, 'doc-more', timeout);
    if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  }
  return shown(browser, id, timeout);
}

/** Waits until `fn` returns a truthy value and returns that value. */
export async function until(browser, fn, timeoutMsg, timeout = UI_TIMEOUT) {
  let value;
  await browser.waitUntil(
    async () => {
      value = await fn();
      return value;
    },
    { timeout, interval: 100, timeoutMsg },
  );
  return value;
}

/** Switches WebDriver to the window whose page shows `testid`; returns its handle. */
export async function switchToWindowWith(browser, testid) {
  return until(browser, async () => {
    for (const handle of await browser.getWindowHandles()) {
      await browser.switchToWindow(handle);
      if (await browser.$(tid(testid)).isExisting()) return handle;
    }
    return false;
  }, `no window shows data-testid="${testid}"`);
}

/**
 * Waits until `save-status` has said `saved` without interruption for `stableMs`.
 * The autosave is debounced (≤ 400 ms), so a `saved` right after a keystroke may still be
 * the state from before it; a stable `saved` longer than the debounce is not.
 */
export async function waitSaved(browser, { stableMs = 1_000, timeout = UI_TIMEOUT } = {}) {
  const status = browser.$(tid('save-status'));
  let since = null;
  let last = null;
  await browser.waitUntil(
    async () => {
      last = (await status.isExisting()) ? await status.getAttribute('data-state') : '(missing)';
      if (last === 'error') throw new Error('save-status reports data-state="error"');
      if (last !== 'saved') {
        since = null;
        return false;
      }
      since ??= Date.now();
      return Date.now() - since >= stableMs;
    },
    { timeout, interval: 100, timeoutMsg: `save-status did not settle on "saved" (last data-state: ${last})` },
  );
}

/** Opens the finding form's "Mer" part (the fields after the essential ones) if it is closed. */
export async function openMore(browser) {
  const toggle = await shown(browser, 'finding-more-toggle');
  const open = await browser.execute(() => document.querySelector('[data-testid="finding-more"]')?.open === true);
  if (!open) {
    await toggle.scrollIntoView({ block: 'center' });
    await toggle.click();
  }
}

/** Opens the seeded sample document (*Reglemente för kundval…*) from the library list. */
export async function openSample(browser) {
  await shown(browser, 'doc-list');
  const item = await until(
    browser,
    async () => {
      for (const el of await browser.$$(`${tid('doc-list')} ${tid('doc-item')}`)) {
        if (/kundval/i.test(await el.getText())) return el;
      }
      return false;
    },
    'no doc-item containing "kundval" (was the sample document seeded?)',
  );
  await item.click();
  await shown(browser, 'outline');
}

/** Short settling pause before an X11 screenshot (the only sleep the tests use). */
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

// One numbered series per spec file (node --test runs each file in its own process).
const shotPrefix = basename(process.argv[1] ?? 'e2e').replace(/\.test\.mjs$|\.mjs$/, '');
let shotCounter = 0;
/**
 * X11 screenshot of the whole Xvfb screen into the artifacts folder. A WebDriver
 * screenshot right after an action can show the old page; the X server shows what is painted.
 * Never fails a test: a missing screenshot is reported, not fatal.
 */
export async function screenshot(name) {
  const display = process.env.DISPLAY;
  if (!display) return null;
  mkdirSync(ARTIFACTS, { recursive: true });
  await settle();
  const file = join(ARTIFACTS, `${shotPrefix}--${String(++shotCounter).padStart(2, '0')}-${name}.png`);
  try {
    await promisify(execFile)('/usr/bin/import', ['-display', display, '-window', 'root', file], { timeout: 15_000 });
    console.log(`# screenshot: ${file}`);
    return file;
  } catch (err) {
    console.error(`# screenshot ${name} failed: ${err?.message ?? err}`);
    return null;
  }
}

/** Names of the top-level X11 windows (to check the native window title), or null without xwininfo. */
export async function x11WindowNames() {
  try {
    const { stdout } = await promisify(execFile)('xwininfo', ['-root', '-tree'], { timeout: 10_000 });
    return [...stdout.matchAll(/^\s+0x[0-9a-f]+ "((?:[^"\\]|\\.)*)"/gim)].map((m) => m[1]);
  } catch {
    return null;
  }
}

/**
 * Runs axe-core on the page as it is (e.g. with a dialog open) and returns the serious and
 * critical violations (an empty list is a pass). `label` names the state in the diagnostics.
 */
export async function axeViolations(browser, t, label) {
  const loaded = await browser.execute(() => typeof window.axe?.run === 'function');
  if (!loaded) await browser.execute(AXE_SOURCE());
  const result = await browser.execute(async () => {
    try {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return {
        violations: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
        })),
      };
    } catch (err) {
      return { error: String(err?.stack ?? err) };
    }
  });
  if (result.error) throw new Error(`axe.run failed (${label}): ${result.error}`);
  const all = result.violations;
  t.diagnostic(
    `axe (${label}): ${all.length} violation type(s): ${all.map((v) => `${v.id} (${v.impact}: ${v.nodes.join(' | ')})`).join(', ') || 'none'}`,
  );
  return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

let axeSource = null;
function AXE_SOURCE() {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** One entry of a zip file (stored or deflated), read with Node's own zlib. */
export function zipEntry(file, name) {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, `${file} is not a zip file`);
  let p = buf.readUInt32LE(eocd + 16);
  const count = buf.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const entry = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (entry === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return (method === 0 ? data : inflateRawSync(data)).toString('utf8');
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${file} has no ${name}`);
}
