/**
 * Reading notebooks from TypeScript: the pieces `deno task nb` (parameter injection) and
 * `deno task check:notebooks` (type checking) share. Pure functions except {@linkcode readNotebook}
 * and {@linkcode listNotebooks}.
 *
 * @module
 */

/** A notebook cell as stored in .ipynb (nbformat 4). */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata?: { tags?: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** A notebook as stored in .ipynb (nbformat 4). */
export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/**
 * Reads and parses a notebook file.
 *
 * @param path The .ipynb path.
 * @returns The notebook.
 * @throws {TypeError} When the file is not a notebook (not JSON, no `cells` array), naming the file.
 */
export async function readNotebook(path: string): Promise<Notebook> {
  const text = await Deno.readTextFile(path);
  let nb;
  try {
    nb = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${path}: not a notebook: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(nb?.cells)) throw new TypeError(`${path}: not a notebook: no \`cells\` list`);
  return nb as Notebook;
}

/**
 * The notebooks of a directory, sorted by name (`01-…` before `02-…`).
 *
 * @param dir The directory, e.g. `notebooks`.
 * @returns Paths `dir/name.ipynb`.
 */
export async function listNotebooks(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(entry.name);
  }
  return names.sort().map((name) => `${dir}/${name}`);
}

/**
 * A cell's source as one string (nbformat allows a list of lines).
 *
 * @param cell The cell.
 * @returns The source text.
 */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * Index of the cell tagged `parameters`.
 *
 * @param nb The notebook.
 * @returns The 0-based index, or -1 when no cell has the tag.
 */
export function parametersCellIndex(nb: Notebook): number {
  return nb.cells.findIndex((cell) => cell.metadata?.tags?.includes("parameters") ?? false);
}

/**
 * The names a parameters cell declares at top level (`const x = …`, `let y = …`), with their
 * keyword.
 *
 * @param source The parameters cell's code.
 * @returns Name to keyword, in declaration order.
 */
export function declaredParameters(source: string): Map<string, "const" | "let" | "var"> {
  const found = new Map<string, "const" | "let" | "var">();
  for (const match of source.matchAll(/^(const|let|var)\s+([A-Za-z_$][\w$]*)/gm)) {
    found.set(match[2]!, match[1] as "const" | "let" | "var");
  }
  return found;
}

/** One `--param name=value` override. */
export interface Param {
  name: string;
  /** A TypeScript expression (JSON is one), inserted as written. */
  value: string;
}

/**
 * Parses `name=value` (the value is a TypeScript expression or JSON, e.g. `20`, `"park"`,
 * `[0.1, 0.9]`).
 *
 * @param text The argument after `--param`.
 * @returns The name and the value text.
 * @throws {RangeError} When there is no `=`, the name is not an identifier or the value is empty.
 */
export function parseParam(text: string): Param {
  const eq = text.indexOf("=");
  if (eq < 0) {
    throw new RangeError(`\`--param\` must look like name=value, got ${JSON.stringify(text)}`);
  }
  const name = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new RangeError(`\`--param\` name must be an identifier, got ${JSON.stringify(name)}`);
  }
  if (value === "") throw new RangeError(`\`--param\` ${name} needs a value after =`);
  return { name, value };
}

/**
 * The code of the cell injected after the `parameters` cell: one re-declaration per override,
 * with the keyword the parameters cell used (the Deno kernel allows re-declaring across cells).
 *
 * @param params The overrides.
 * @param declared What the parameters cell declares (see {@linkcode declaredParameters}).
 * @param notebook The notebook's name, for messages.
 * @returns The cell's code.
 * @throws {RangeError} When a name is not declared in the parameters cell.
 */
export function parameterCode(
  params: readonly Param[],
  declared: ReadonlyMap<string, string>,
  notebook: string,
): string {
  const lines = ["// Injected by `deno task nb`: these values override the parameters cell above."];
  for (const { name, value } of params) {
    const keyword = declared.get(name);
    if (keyword === undefined) {
      throw new RangeError(
        `\`--param\` ${name} is not declared in the parameters cell of ${notebook}; ` +
          `known: ${[...declared.keys()].join(", ") || "none"}`,
      );
    }
    lines.push(`${keyword} ${name} = ${value};`);
  }
  return lines.join("\n");
}

/** The tag of the cell {@linkcode withParameters} inserts; the runner names it in messages. */
export const INJECTED_TAG = "injected-parameters";

/**
 * The one place that injects parameters: a copy of the notebook with a new cell holding
 * `--param` values right after the cell tagged `parameters` (as papermill does), tagged
 * {@linkcode INJECTED_TAG}. `deno task nb` and the tests run the copy through
 * tools/run_notebook.py, which only reads the tag back to name that cell in messages.
 *
 * @param nb The notebook (not changed).
 * @param params The values from `--param`.
 * @param notebook The notebook's name, for messages.
 * @returns The copy, or `nb` itself when `params` is empty.
 * @throws {RangeError} When there is no parameters cell or a name is not declared in it.
 */
export function withParameters(nb: Notebook, params: readonly Param[], notebook: string): Notebook {
  if (params.length === 0) return nb;
  const index = parametersCellIndex(nb);
  if (index < 0) throw new RangeError(`${notebook} has no cell tagged \`parameters\``);
  const code = parameterCode(params, declaredParameters(cellSource(nb.cells[index]!)), notebook);
  const cell: Cell = {
    cell_type: "code",
    id: INJECTED_TAG, // nbformat 4.5 wants an id; unique, since only one cell is injected
    metadata: { tags: [INJECTED_TAG] },
    source: code,
    outputs: [],
    execution_count: null,
  };
  return { ...nb, cells: [...nb.cells.slice(0, index + 1), cell, ...nb.cells.slice(index + 1)] };
}

/** Where each line of an extracted module came from. */
export interface SourceLine {
  /** 1-based position of the cell among all cells of the notebook. */
  cell: number;
  /** 1-based line within the cell. */
  line: number;
}

/** A notebook's code cells as one TypeScript module. */
export interface ExtractedModule {
  code: string;
  /** `lines[i]` is the origin of generated line i + 1 (undefined for generated lines). */
  lines: (SourceLine | undefined)[];
}

/**
 * Rewrites relative import specifiers (`"./x.ts"`, `"../lib/mod.ts"`) to absolute URLs resolved
 * against the notebook's location, so the module type-checks from any directory.
 *
 * @param code TypeScript code.
 * @param base URL of the notebook file.
 * @returns The code with relative specifiers made absolute.
 */
export function absolutiseImports(code: string, base: URL): string {
  const absolute = (spec: string) => new URL(spec, base).href;
  return code
    .replace(
      /(\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(["'])(\.\.?\/[^"']*)\2/gm,
      (_all, before: string, quote: string, spec: string) =>
        `${before}${quote}${absolute(spec)}${quote}`,
    );
}

/**
 * Turns a notebook's code cells into one TypeScript module for `deno check`: the cells in order
 * (top-level `await` and a bare last expression are valid in a module), each preceded by a
 * `// cell N` comment, relative imports made absolute, and `export {};` so it is a module.
 *
 * @param nb The notebook.
 * @param notebookUrl URL of the .ipynb file (for resolving relative imports).
 * @param name The notebook's display name for the header comment.
 * @returns The module and a line map back to cells.
 */
export function notebookToModule(nb: Notebook, notebookUrl: URL, name: string): ExtractedModule {
  const out: string[] = [`// Generated from ${name} by tools/check_notebooks.ts.`];
  const lines: (SourceLine | undefined)[] = [undefined];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    out.push(`// cell ${index + 1}`);
    lines.push(undefined);
    absolutiseImports(cellSource(cell), notebookUrl).split("\n").forEach((text, i) => {
      out.push(text);
      lines.push({ cell: index + 1, line: i + 1 });
    });
  });
  out.push("export {};", "");
  lines.push(undefined, undefined);
  return { code: out.join("\n"), lines };
}

/**
 * Rewrites `file:///…/name.ts:LINE:COL` locations in `deno check` output to the notebook cell
 * and line they came from.
 *
 * @param output `deno check` output.
 * @param moduleUrl The extracted module's URL as deno prints it.
 * @param lines The module's line map.
 * @param notebook The notebook's display name.
 * @returns The output with locations such as `notebooks/01-x.ipynb cell 5, line 2:7`.
 */
export function mapCheckOutput(
  output: string,
  moduleUrl: string,
  lines: readonly (SourceLine | undefined)[],
  notebook: string,
): string {
  const escaped = moduleUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return output.replace(
    new RegExp(`${escaped}:(\\d+):(\\d+)`, "g"),
    (all, l: string, c: string) => {
      const origin = lines[Number(l) - 1];
      return origin ? `${notebook} cell ${origin.cell}, line ${origin.line}:${c}` : all;
    },
  );
}
