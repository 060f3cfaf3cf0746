// Autosave for findings: every edit is scheduled, saved after a short quiet
// period (debounce), and saved at once on `flush()` (blur, changing clause,
// finding or document). Saves run one at a time, in order, so an older edit
// can never overwrite a newer one. No UI framework in here: it is tested on
// its own against the fake backend.
import type { Finding } from "./bindings/Finding";
import type { FindingInput } from "./bindings/FindingInput";
import { toBackendError, type BackendError } from "./backend/backend";

export type SaveState = "saved" | "saving" | "error";

/** The contract allows at most 400 ms between the last keystroke and the save. */
export const AUTOSAVE_DELAY_MS = 300;

export interface AutosaveOptions {
  save(findingId: string, input: FindingInput): Promise<Finding>;
  delayMs?: number;
  onState?(state: SaveState, error: BackendError | null): void;
  onSaved?(finding: Finding): void;
}

/** Errors that a retry cannot fix. */
const PERMANENT = new Set(["not_found", "invalid_input"]);

export class Autosaver {
  private readonly opts: AutosaveOptions;
  private readonly delayMs: number;
  private pending = new Map<string, FindingInput>();
  private failed = new Map<string, { input: FindingInput; error: BackendError }>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private lastError: BackendError | null = null;
  private current: SaveState = "saved";

  constructor(opts: AutosaveOptions) {
    this.opts = opts;
    this.delayMs = Math.min(opts.delayMs ?? AUTOSAVE_DELAY_MS, 400);
  }

  get state(): SaveState {
    return this.current;
  }

  get error(): BackendError | null {
    return this.current === "error" ? this.lastError : null;
  }

  /** True while an edit is waiting or being written. */
  get busy(): boolean {
    return this.pending.size > 0 || this.inFlight > 0;
  }

  /** Records the latest full input of a finding and (re)starts the quiet period. */
  schedule(findingId: string, input: FindingInput): void {
    this.pending.set(findingId, input);
    this.failed.delete(findingId);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
    this.update();
  }

  /** Forgets unsaved edits of a finding (it is being deleted). */
  cancel(findingId: string): void {
    this.pending.delete(findingId);
    this.failed.delete(findingId);
    if (this.pending.size === 0 && this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.update();
  }

  /** Saves everything waiting (and retries failed saves that a retry can fix). */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    for (const [id, { input, error }] of this.failed) {
      if (!PERMANENT.has(error.code) && !this.pending.has(id)) this.pending.set(id, input);
    }
    const batch = [...this.pending];
    this.pending.clear();
    for (const [id, input] of batch) this.enqueue(id, input);
    this.update();
    return this.chain;
  }

  private enqueue(findingId: string, input: FindingInput): void {
    this.inFlight++;
    this.chain = this.chain.then(async () => {
      try {
        const saved = await this.opts.save(findingId, input);
        this.failed.delete(findingId);
        if (this.failed.size === 0) this.lastError = null;
        this.opts.onSaved?.(saved);
      } catch (e) {
        const error = toBackendError(e);
        if (!this.pending.has(findingId)) this.failed.set(findingId, { input, error });
        this.lastError = error;
      } finally {
        this.inFlight--;
        this.update();
      }
    });
  }

  private update(): void {
    const next: SaveState = this.busy ? "saving" : this.failed.size > 0 ? "error" : "saved";
    this.current = next;
    this.opts.onState?.(next, next === "error" ? this.lastError : null);
  }
}
