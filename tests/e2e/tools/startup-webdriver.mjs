// Start-up measured from the outside, for scripts/measure-startup.sh when the app does not
// print KRYPHAL_READY: time from the WebDriver new-session request until a `doc-item` is
// displayed, then the resident memory of the app and the processes it started (from /proc).
//
//   node tools/startup-webdriver.mjs RUNS   (env: KRYPHAL_E2E_PORT, KRYPHAL_E2E_DRIVER_PID, DISPLAY)
// Prints one line per run: "<ms> <rss KiB> <pss KiB> <processes>".

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { APP, shown, startApp, stopApp, tempDir } from '../lib/harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const driverPid = Number(process.env.KRYPHAL_E2E_DRIVER_PID);
const settleMs = Number(process.env.SETTLE_MS ?? 1000);

function processTable() {
  const table = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.push({ pid: Number(name), ppid });
    } catch {
      // the process ended meanwhile
    }
  }
  return table;
}

function descendants(pid, table = processTable()) {
  const kids = table.filter((p) => p.ppid === pid).map((p) => p.pid);
  return kids.flatMap((k) => [k, ...descendants(k, table)]);
}

function exe(pid) {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/** A "Name: <n> kB" field of a /proc file, in KiB (0 when the process is gone). */
function procKib(pid, file, field) {
  try {
    const m = readFileSync(`/proc/${pid}/${file}`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

for (let run = 1; run <= runs; run++) {
  const { dir, cleanup } = tempDir('kryphal-measure-');
  const t0 = performance.now();
  const browser = await startApp(join(dir, 'lib.sqlite'));
  try {
    await shown(browser, 'doc-item', 60_000);
    const ms = Math.round(performance.now() - t0);
    await new Promise((r) => setTimeout(r, settleMs));
    const appPid = descendants(driverPid).find((pid) => exe(pid) === APP);
    if (!appPid) throw new Error(`no ${APP} process under tauri-driver (pid ${driverPid})`);
    const tree = [appPid, ...descendants(appPid)];
    const rss = tree.reduce((sum, pid) => sum + procKib(pid, 'status', 'VmRSS'), 0);
    const pss = tree.reduce((sum, pid) => sum + procKib(pid, 'smaps_rollup', 'Pss'), 0);
    console.log(`${ms} ${rss} ${pss} ${tree.length}`);
  } finally {
    await stopApp(browser);
    cleanup();
  }
}
