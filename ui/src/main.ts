import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import PresentView from "./features/presentation/PresentView.svelte";
import { createBackend } from "./lib/backend";
import { i18n } from "./lib/i18n/index.svelte";
import { memoryStore } from "./lib/longdoc";
import { AppState, type UiStore } from "./lib/state.svelte";

/** The webview's localStorage (the last clause per document, the outline's height), else page memory. */
function uiStore(): UiStore {
  try {
    const store = window.localStorage;
    store.getItem("kryphal.probe");
    return store;
  } catch {
    return memoryStore();
  }
}

async function start(): Promise<void> {
  document.documentElement.lang = i18n.locale;
  const backend = await createBackend();
  const target = document.getElementById("app");
  if (!target) throw new Error("missing #app element");
  // The same page serves the projector window, which shows only the presentation.
  if (backend.windowRole() === "presenter") mount(PresentView, { target, props: { backend } });
  else mount(App, { target, props: { app: new AppState(backend, undefined, uiStore()) } });
}

void start();
