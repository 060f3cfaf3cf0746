import type { Backend } from "./backend";
import { inTauri, TauriBackend } from "./tauri";

export type { Backend, BackendError, ErrorCode } from "./backend";
export { toBackendError, isKnownCode, ERROR_CODES } from "./backend";

/**
 * The real backend inside Tauri; outside it (a plain browser, `npm run dev`)
 * an in-memory fake seeded with a sample document, so the UI can be viewed.
 */
export async function createBackend(): Promise<Backend> {
  if (inTauri()) return new TauriBackend();
  const { FakeBackend } = await import("./fake");
  const { sampleLibrary } = await import("./sample");
  return new FakeBackend(sampleLibrary(), { latencyMs: 120 });
}
