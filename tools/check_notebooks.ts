/**
 * `deno task check:notebooks [notebook…]`: type-checks the notebooks' code.
 *
 * The Deno kernel never type-checks and `deno check` skips .ipynb, so each notebook's code cells
 * are written as one TypeScript module (see {@linkcode notebookToModule}) into a temporary
 * directory and checked with the project's deno.json (`--config`, so `strict` and
 * `noUncheckedIndexedAccess` apply; the project's own `exclude` of `.out/` would otherwise make
 * `deno check` silently skip generated files). Errors point at the notebook cell and line.
 *
 * Needs no Python. Exits 1 when any notebook fails to type-check.
 *
 * @module
 */

import { listNotebooks, mapCheckOutput, notebookToModule, readNotebook } from "./notebook.ts";
import { ROOT } from "./setup.ts";

if (import.meta.main) {
  const notebooks = Deno.args.length > 0 ? Deno.args : await listNotebooks(`${ROOT}/notebooks`);
  if (notebooks.length === 0) {
    console.log("No notebooks to check");
    Deno.exit(0);
  }
  const dir = await Deno.makeTempDir({ prefix: "check-notebooks-" });
  let code = 0;
  try {
    const modules: {
      file: string;
      name: string;
      lines: ReturnType<typeof notebookToModule>["lines"];
    }[] = [];
    for (const path of notebooks) {
      const absolute = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
      const name = absolute.startsWith(`${ROOT}/`) ? absolute.slice(ROOT.length + 1) : absolute;
      const extracted = notebookToModule(
        await readNotebook(absolute),
        new URL(`file://${absolute}`),
        name,
      );
      const file = `${dir}/${name.split("/").at(-1)!.replace(/\.ipynb$/, "")}.ts`;
      await Deno.writeTextFile(file, extracted.code);
      modules.push({ file, name, lines: extracted.lines });
    }
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--config", `${ROOT}/deno.json`, ...modules.map((m) => m.file)],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    let text = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    for (const m of modules) text = mapCheckOutput(text, `file://${m.file}`, m.lines, m.name);
    // Drop the Rust backtrace Deno appends when RUST_BACKTRACE is set; it says nothing here.
    text = text.replace(/\nStack backtrace:[\s\S]*$/, "\n");
    if (text.trim() !== "") console.error(text.trimEnd());
    if (result.success) {
      console.log(
        `Type-checked ${modules.length} notebook(s): ${modules.map((m) => m.name).join(", ")}`,
      );
    } else {
      code = 1;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  Deno.exit(code);
}
