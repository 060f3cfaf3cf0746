import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { FakeBackend } from "./backend/fake";
import { sampleLibrary } from "./backend/sample";
import { Autosaver, type SaveState } from "./autosave";
import { emptyFindingInput } from "./finding";

const SEED = "f-seed-1";

function setup(delayMs = 300) {
  const backend = new FakeBackend(sampleLibrary());
  const states: SaveState[] = [];
  const saver = new Autosaver({
    save: (id, input) => backend.updateFinding(id, input),
    delayMs,
    onState: (s) => states.push(s),
  });
  return { backend, saver, states };
}

const input = (text: string) => ({ ...emptyFindingInput(), unintended_consequence: text });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Autosaver", () => {
  test("a burst of edits becomes one save of the last input, within 400 ms of the last edit", async () => {
    const { backend, saver } = setup();
    saver.schedule(SEED, input("a"));
    await vi.advanceTimersByTimeAsync(100);
    saver.schedule(SEED, input("ab"));
    await vi.advanceTimersByTimeAsync(100);
    saver.schedule(SEED, input("abc"));
    expect(saver.state).toBe("saving");
    expect(backend.callsOf("update_finding")).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(400);
    const calls = backend.callsOf("update_finding");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args).toMatchObject({ findingId: SEED, input: { unintended_consequence: "abc" } });
    expect(backend.storedFinding(SEED)?.unintended_consequence).toBe("abc");
    expect(saver.state).toBe("saved");
  });

  test("the delay can never be set above the contract's 400 ms", async () => {
    const { backend, saver } = setup(5000);
    saver.schedule(SEED, input("x"));
    await vi.advanceTimersByTimeAsync(401);
    expect(backend.callsOf("update_finding")).toHaveLength(1);
  });

  test("flush saves at once without waiting for the timer, and the timer does not save again", async () => {
    const { backend, saver } = setup();
    saver.schedule(SEED, input("now"));
    await saver.flush();
    expect(backend.storedFinding(SEED)?.unintended_consequence).toBe("now");
    expect(saver.state).toBe("saved");
    await vi.advanceTimersByTimeAsync(1000);
    expect(backend.callsOf("update_finding")).toHaveLength(1);
  });

  test("edits of two findings are both saved on flush", async () => {
    const { backend, saver } = setup();
    const other = await backend.addFinding("c-3-3", emptyFindingInput());
    saver.schedule(SEED, input("one"));
    saver.schedule(other.id, input("two"));
    await saver.flush();
    expect(backend.storedFinding(SEED)?.unintended_consequence).toBe("one");
    expect(backend.storedFinding(other.id)?.unintended_consequence).toBe("two");
  });

  test("saves run in order, so a slow older save cannot overwrite a newer one", async () => {
    const backend = new FakeBackend(sampleLibrary(), { latencyMs: 50 });
    const saver = new Autosaver({ save: (id, i) => backend.updateFinding(id, i) });
    saver.schedule(SEED, input("old"));
    void saver.flush();
    saver.schedule(SEED, input("new"));
    const done = saver.flush();
    await vi.advanceTimersByTimeAsync(200);
    await done;
    expect(backend.storedFinding(SEED)?.unintended_consequence).toBe("new");
  });

  test("a failed save shows the error state, keeps the edit and retries it on the next flush", async () => {
    const { backend, saver, states } = setup();
    backend.failNext("update_finding", { code: "library_readonly", message: "read-only" });
    saver.schedule(SEED, input("kept"));
    await saver.flush();
    expect(saver.state).toBe("error");
    expect(saver.error?.code).toBe("library_readonly");
    expect(states.at(-1)).toBe("error");
    expect(backend.storedFinding(SEED)?.unintended_consequence).not.toBe("kept");

    await saver.flush();
    expect(backend.storedFinding(SEED)?.unintended_consequence).toBe("kept");
    expect(saver.state).toBe("saved");
    expect(saver.error).toBeNull();
  });

  test("a finding that no longer exists is not retried forever", async () => {
    const { backend, saver } = setup();
    saver.schedule("f-gone", input("x"));
    await saver.flush();
    expect(saver.state).toBe("error");
    expect(saver.error?.code).toBe("not_found");
    await saver.flush();
    expect(backend.callsOf("update_finding")).toHaveLength(1);
  });

  test("cancel drops a pending edit (the finding is being deleted)", async () => {
    const { backend, saver } = setup();
    saver.schedule(SEED, input("doomed"));
    saver.cancel(SEED);
    expect(saver.state).toBe("saved");
    await vi.advanceTimersByTimeAsync(1000);
    expect(backend.callsOf("update_finding")).toHaveLength(0);
  });
});
