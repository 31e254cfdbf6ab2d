/**
 * The house rules of lib/ (README, "How the code is laid out"), checked from the source: which
 * folder may import which, no import cycles between files, nothing inside lib/ importing
 * lib/mod.ts, and every folder with a `mod.ts` that only re-exports.
 */

import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);

/** Folders each folder may import from ("" is the ground floor: _validate.ts and show.ts). */
const ALLOWED: Record<string, readonly string[]> = {
  "": [],
  math: [""],
  charts: [""],
  text: ["", "math"],
  nn: ["", "math", "text"],
  exercises: ["", "math", "text", "nn", "charts"],
};

/** Every .ts file under lib/, as paths relative to lib/ ("math/softmax.ts"). */
async function libFiles(dir = LIB, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      out.push(...await libFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`));
    } else if (entry.name.endsWith(".ts")) out.push(`${prefix}${entry.name}`);
  }
  return out.sort();
}

/** The relative imports and re-exports of a file's code (doc examples excluded), resolved. */
function localImports(file: string, source: string): string[] {
  const code = source.replace(/\/\*\*[\s\S]*?\*\//g, "");
  const specs = [...code.matchAll(/(?:import|export)[^"';]*?from\s+"(\.[^"]+)"/g)].map((m) =>
    m[1]!
  );
  return specs.map((spec) => new URL(spec, new URL(file, LIB)).href.slice(LIB.href.length));
}

const folderOf = (file: string) => file.includes("/") ? file.slice(0, file.indexOf("/")) : "";

const files = await libFiles();
const graph = new Map<string, string[]>();
for (const file of files) {
  graph.set(file, localImports(file, await Deno.readTextFile(new URL(file, LIB))));
}

Deno.test("lib/ imports only downwards: each folder uses only the floors below it", () => {
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    if (file === "mod.ts") continue;
    const from = folderOf(file);
    for (const target of imports) {
      const to = folderOf(target);
      if (target === "mod.ts") wrong.push(`${file} imports lib/mod.ts`);
      else if (to !== from && !(ALLOWED[from] ?? []).includes(to)) {
        wrong.push(`${file} -> ${target}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("lib/ has no import cycles", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, "done");
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});

Deno.test("every lib/ folder has a mod.ts that only re-exports, with a @module paragraph", async () => {
  const folders = new Set(files.filter((f) => f.includes("/")).map(folderOf));
  assert.ok(
    folders.has("math") && folders.has("text") && folders.has("charts"),
    [...folders].join(),
  );
  for (const folder of folders) {
    const source = await Deno.readTextFile(new URL(`${folder}/mod.ts`, LIB));
    assert.match(source, /@module/, `${folder}/mod.ts has a @module doc`);
    const code = source.replace(/\/\*\*[\s\S]*?\*\//g, "").trim().split("\n").filter((l) => l);
    assert.ok(
      code.every((line) => /^export (\* |\{[^}]*\} )from "\.\/[a-z_0-9]+\.ts";$/.test(line)),
      folder,
    );
  }
});

Deno.test("the layout rules can fail: a cycle and an upward import are found", () => {
  assert.deepEqual(localImports("math/a.ts", 'import { x } from "../text/b.ts";'), ["text/b.ts"]);
  assert.equal((ALLOWED.math ?? []).includes(folderOf("text/b.ts")), false);
  assert.deepEqual(localImports("x.ts", '/** import { y } from "./y.ts"; */'), []);
});
