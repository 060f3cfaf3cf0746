// The whole UI mounted against the fake backend, as the end-to-end tests see
// it through the data-testid contract. One helper for every test file that
// needs the whole app (fake timers on; call `cleanup` in afterEach).
import { flushSync, mount, tick, unmount } from "svelte";
import { vi } from "vitest";
import App from "../App.svelte";
import { FakeBackend, type FakeLibrary } from "../lib/backend/fake";
import { sampleLibrary } from "../lib/backend/sample";
import { i18n } from "../lib/i18n/index.svelte";
import { AppState } from "../lib/state.svelte";

export interface MountedApp {
  target: HTMLElement;
  backend: FakeBackend;
  app: AppState;
  /** Every element with the test id. */
  all: (testid: string) => HTMLElement[];
  /** The first element with the test id (the test fails later if there is none). */
  one: (testid: string) => HTMLElement;
  /** Lets timers, promises and effects run until the UI is still. */
  settle: () => Promise<void>;
  cleanup: () => void;
}

export async function mountApp(
  library: FakeLibrary = sampleLibrary(),
  /** Runs on the fake before the app starts (e.g. to store settings). */
  prepare?: (backend: FakeBackend) => Promise<unknown>,
): Promise<MountedApp> {
  vi.useFakeTimers();
  i18n.set("sv");
  const backend = new FakeBackend(library);
  if (prepare) await prepare(backend);
  const app = new AppState(backend);
  const target = document.createElement("div");
  document.body.appendChild(target);
  const component = mount(App, { target, props: { app } });
  const all = (testid: string) => [...target.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(0);
      await tick();
    }
    flushSync();
  };
  await settle();
  return {
    target,
    backend,
    app,
    all,
    one: (testid) => all(testid)[0] as HTMLElement,
    settle,
    cleanup: () => {
      unmount(component);
      target.remove();
      vi.useRealTimers();
    },
  };
}
