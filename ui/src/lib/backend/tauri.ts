// The Backend over Tauri IPC. Argument keys are camelCase (Tauri's default);
// payload objects (FindingInput) keep the snake_case keys of the Rust types.
import { invoke } from "@tauri-apps/api/core";

import type { AppInfo } from "../bindings/AppInfo";
import type { DocumentSummary } from "../bindings/DocumentSummary";
import type { DocumentView } from "../bindings/DocumentView";
import type { Finding } from "../bindings/Finding";
import type { FindingInput } from "../bindings/FindingInput";
import type { Rulebook } from "../bindings/Rulebook";
import { toBackendError, type Backend } from "./backend";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toBackendError(e);
  }
}

export class TauriBackend implements Backend {
  readonly isDemo = false;

  appInfo(): Promise<AppInfo> {
    return call("app_info");
  }
  rulebook(): Promise<Rulebook> {
    return call("rulebook");
  }
  listDocuments(): Promise<DocumentSummary[]> {
    return call("list_documents");
  }
  getDocument(docId: string): Promise<DocumentView> {
    return call("get_document", { docId });
  }
  addFinding(clauseId: string, input: FindingInput): Promise<Finding> {
    return call("add_finding", { clauseId, input });
  }
  updateFinding(findingId: string, input: FindingInput): Promise<Finding> {
    return call("update_finding", { findingId, input });
  }
  async deleteFinding(findingId: string): Promise<void> {
    await call<null>("delete_finding", { findingId });
  }
  async uiReady(): Promise<void> {
    try {
      await invoke("ui_ready");
    } catch {
      // Only a measurement; never disturbs the user.
    }
  }
}

/** True inside the Tauri webview. */
export function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}
