// Issue 10: the Tauri capabilities grant exactly the commands the UI calls.
//
// Four lists name Kryphål's commands and must not drift apart:
//   - the commands the UI invokes (every UI source file that reaches Tauri's IPC),
//   - the handlers the shell registers (`generate_handler!` in src-tauri/src/main.rs),
//   - the commands declared to Tauri's access control (`COMMANDS` in src-tauri/build.rs),
//   - the permissions the capabilities grant (src-tauri/capabilities/*.json).
// A command that is registered but not declared would be unreachable; one that is invoked
// but not granted fails at run time; one granted but never invoked widens what a compromised
// page could do. The projector may do less than the main window, never more.
import { describe, expect, it } from "vitest";

import mainRs from "../../../../src-tauri/src/main.rs?raw";
import buildRs from "../../../../src-tauri/build.rs?raw";

interface Capability {
  identifier: string;
  windows?: string[];
  webviews?: string[];
  remote?: unknown;
  permissions: unknown[];
}

const capabilityFiles = import.meta.glob<Capability>("../../../../src-tauri/capabilities/*.json", {
  eager: true,
  import: "default",
});
const uiSources = import.meta.glob<string>(["/src/**/*.ts", "/src/**/*.svelte", "!/src/**/*.test.ts"], {
  eager: true,
  query: "?raw",
  import: "default",
});

/** The permissions beyond Kryphål's own commands that a window may have, and why. */
const CORE_ALLOWED: Record<string, string> = {
  "core:event:allow-listen": "both windows follow the `presentation` event",
  "core:event:allow-unlisten": "and stop following it when a view closes",
};

/** `allow-foo-bar` is Tauri's permission for the app command `foo_bar`. */
const permissionFor = (command: string) => `allow-${command.replaceAll("_", "-")}`;

/** A source file name relative to ui/src, for messages. */
const short = (path: string) => path.replace(/^\/src\//, "");

/** The commands a UI source file invokes: the first argument of `invoke(...)` and of the wrapper `call(...)`. */
function invokedIn(path: string, source: string): string[] {
  const calls = [...source.matchAll(/\b(?:invoke|call)\s*(?:<[^>]*>)?\s*\(/g)];
  const named = [...source.matchAll(/\b(?:invoke|call)\s*(?:<[^>]*>)?\s*\(\s*"([a-z0-9_]+)"/g)].map((m) => m[1]!);
  // The wrapper's own definition and its `invoke(command, …)` are the two calls without a literal.
  const wrapper = /async function call\b/.test(source) ? 2 : 0;
  if (calls.length - wrapper !== named.length) {
    throw new Error(
      `${short(path)}: ${calls.length - wrapper - named.length} invoke/call with a command name that is not a string literal; ` +
        "name every command literally so the capability check can see it",
    );
  }
  return named;
}

/** Every UI file that reaches Tauri's IPC and the commands it invokes. */
function uiCommands(): Map<string, string> {
  const byCommand = new Map<string, string>();
  for (const [path, source] of Object.entries(uiSources)) {
    if (!/@tauri-apps\/api\/core|__TAURI_INTERNALS__\s*\.\s*invoke/.test(source)) continue;
    for (const command of invokedIn(path, source)) byCommand.set(command, short(path));
  }
  return byCommand;
}

/** The function names in `generate_handler![...]`, without module paths. */
function registeredCommands(): string[] {
  const list = /generate_handler!\[([^\]]*)\]/.exec(mainRs)?.[1];
  if (!list) throw new Error("src-tauri/src/main.rs: no generate_handler![...] found");
  return list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => s.split("::").pop()!);
}

/** The string literals of `const COMMANDS: &[&str] = &[...]` in build.rs. */
function declaredCommands(): string[] {
  const list = /const COMMANDS: &\[&str\] = &\[([^\]]*)\]/.exec(buildRs)?.[1];
  if (!list) throw new Error("src-tauri/build.rs: no `const COMMANDS: &[&str] = &[...]` found");
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

function capability(identifier: string): Capability {
  const found = Object.values(capabilityFiles).filter((c) => c.identifier === identifier);
  if (found.length !== 1) throw new Error(`src-tauri/capabilities: ${found.length} capabilities named "${identifier}", expected 1`);
  return found[0]!;
}

/** A capability's permissions as identifiers; a permission with a scope (an object) is not expected here. */
function permissions(cap: Capability): string[] {
  return cap.permissions.map((p) => {
    if (typeof p !== "string") throw new Error(`capability ${cap.identifier}: unexpected scoped permission ${JSON.stringify(p)}`);
    return p;
  });
}

/** Readable failure: every offending item on a line of its own. */
function expectNone(items: string[], what: string) {
  expect(items, `${what}:\n  ${items.join("\n  ")}\n`).toEqual([]);
}

describe("Tauri capabilities", () => {
  const invoked = uiCommands();
  const registered = registeredCommands();
  const declared = declaredCommands();
  const main = capability("main");
  const presenter = capability("presenter");
  const mainGrants = permissions(main);
  const presenterGrants = permissions(presenter);

  it("finds the lists it compares", () => {
    expect(invoked.size).toBeGreaterThan(40);
    expect(registered.length).toBeGreaterThan(40);
    expect(declared.length).toBeGreaterThan(40);
    expect(invoked.get("app_info")).toBe("lib/backend/tauri.ts");
  });

  it("declares every registered command to the access control, and nothing else", () => {
    expectNone(
      registered.filter((c) => !declared.includes(c)),
      "registered in generate_handler! (src-tauri/src/main.rs) but missing from COMMANDS in src-tauri/build.rs",
    );
    expectNone(
      declared.filter((c) => !registered.includes(c)),
      "in COMMANDS in src-tauri/build.rs but not registered in generate_handler!",
    );
    expectNone(
      declared.filter((c, i) => declared.indexOf(c) !== i),
      "listed twice in COMMANDS in src-tauri/build.rs",
    );
  });

  it("registers, declares and grants to the main window every command the UI invokes", () => {
    const missing: string[] = [];
    for (const [command, file] of invoked) {
      if (!registered.includes(command)) missing.push(`${command} (invoked in ${file}) is not in generate_handler!`);
      if (!declared.includes(command)) missing.push(`${command} (invoked in ${file}) is not in COMMANDS in build.rs`);
      if (!mainGrants.includes(permissionFor(command)))
        missing.push(`${command} (invoked in ${file}) is not granted: add "${permissionFor(command)}" to capabilities/main.json`);
    }
    expectNone(missing, "commands the UI cannot call");
  });

  it("grants no command the UI never invokes, and no other permission without a reason", () => {
    const granted = (cap: Capability, grants: string[]) =>
      grants
        .filter((p) => !(p in CORE_ALLOWED))
        .filter((p) => ![...invoked.keys()].some((c) => permissionFor(c) === p))
        .map((p) => `${p} in capabilities/${cap.identifier}.json`);
    expectNone(
      [...granted(main, mainGrants), ...granted(presenter, presenterGrants)],
      "granted but never invoked by the UI (remove the grant) or not a known permission (add it to CORE_ALLOWED with its reason)",
    );
  });

  it("gives the projector a subset of the main window's grants, without edits", () => {
    expectNone(
      presenterGrants.filter((p) => !mainGrants.includes(p)),
      "granted to the projector (capabilities/presenter.json) but not to the main window",
    );
    // What the projected view needs (features/presentation/PresentView.svelte): it reads and
    // moves the presentation; it never edits, imports, exports or deletes.
    const mutating = /^allow-(add|update|delete|import|export|set|record|start|end|split|merge|accept|dismiss|reopen|resolve|link|restore|backup|undo|redo|unlock|presentation-open)/;
    expectNone(
      presenterGrants.filter((p) => mutating.test(p)),
      "granted to the projector but it changes the library or opens windows",
    );
  });

  it("applies each capability to its own window only", () => {
    expect(main.windows).toEqual(["main"]);
    expect(presenter.windows).toEqual(["presenter"]);
    for (const cap of [main, presenter]) {
      expect(cap.webviews, `capability ${cap.identifier} names webviews`).toBeUndefined();
      expect(cap.remote, `capability ${cap.identifier} allows remote origins`).toBeUndefined();
    }
    expect(mainRs, "the projector's window label in src-tauri/src/main.rs").toMatch(/const PRESENTER: &str = "presenter";/);
    expectNone(
      Object.values(capabilityFiles)
        .map((c) => c.identifier)
        .filter((id) => id !== "main" && id !== "presenter"),
      "unexpected capabilities in src-tauri/capabilities (each window has exactly one)",
    );
  });
});
