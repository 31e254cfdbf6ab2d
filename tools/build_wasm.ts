/**
 * `deno task build:wasm`: compiles the WebAssembly kernels from their AssemblyScript sources
 * (`<name>.as.ts`) with the pinned `assemblyscript` compiler from npm, and writes beside each
 * source two committed files: `<name>.wasm` (the binary) and a TypeScript module with the same
 * bytes in base64, so lib/ can instantiate the kernel synchronously without file-system permission.
 *
 * `deno task build:wasm --check` builds in memory and exits 1 if a committed file differs from a
 * fresh build; tests/nn/kernels_test.ts runs the same comparison, so the committed binaries are
 * always the ones the sources produce.
 *
 * Kernels: `fast_exp` (exp on float64 arrays, f64x2; used by lib/math/fast_exp.ts) and `gemm`
 * (float32 matrix product, f32x4 with fused multiply-add, shared memory for worker threads; used by
 * lib/nn/kernels.ts).
 *
 * @module
 */

import asc from "assemblyscript/asc";

const LIB = new URL("../lib/", import.meta.url);

/**
 * One kernel: its name (source `<name>.as.ts`), its folder, the name of the module that carries its
 * bytes, and the compiler flags beyond the common ones.
 */
export interface Kernel {
  name: string;
  dir: URL;
  module: string;
  flags: string[];
}

/**
 * The kernels. Each lives in the lib/ folder that uses it, because lib/'s folders import only
 * downwards (tests/layout_test.ts): exp serves lib/math, the matrix product lib/nn.
 */
export const KERNELS: readonly Kernel[] = [
  {
    name: "fast_exp",
    dir: new URL("math/", LIB),
    module: "_fast_exp_wasm.ts",
    flags: ["--enable", "simd", "--initialMemory", "1"],
  },
  {
    name: "gemm",
    dir: new URL("nn/wasm/", LIB),
    module: "gemm_wasm.ts",
    flags: [
      "--enable",
      "simd,relaxed-simd,threads",
      "--sharedMemory",
      "--initialMemory",
      "1",
      "--maximumMemory",
      "65536",
    ],
  },
];

/** Flags every kernel gets: fully optimised, no runtime or allocator, no abort messages. */
const COMMON_FLAGS = [
  "-O3",
  "--noAssert",
  "--runtime",
  "stub",
  "--use",
  "abort=",
  "--importMemory",
  "--noExportMemory",
];

/**
 * Compiles one kernel with the AssemblyScript compiler, in memory.
 *
 * @param kernel The kernel to build.
 * @returns The WebAssembly binary.
 * @throws {Error} With the compiler's messages when compilation fails.
 */
export async function compileKernel(kernel: Kernel): Promise<Uint8Array> {
  const source = decodeURIComponent(new URL(`${kernel.name}.as.ts`, kernel.dir).pathname);
  let binary: Uint8Array | undefined;
  const { error, stderr } = await asc.main(
    [source, "--outFile", `${kernel.name}.wasm`, ...COMMON_FLAGS, ...kernel.flags],
    {
      writeFile(name: string, contents: Uint8Array | string) {
        if (name.endsWith(".wasm") && contents instanceof Uint8Array) binary = contents;
      },
    },
  );
  if (error || binary === undefined) {
    throw new Error(`AssemblyScript failed on ${source}:\n${stderr.toString()}`);
  }
  return binary;
}

/**
 * The TypeScript module that carries a kernel's bytes: base64 in lines deno fmt leaves alone, and
 * a function that decodes them.
 *
 * @param name The kernel's name, e.g. `"gemm"`.
 * @param binary The WebAssembly binary.
 * @returns The module's source text.
 * @example
 * ```ts
 * import { kernelModuleSource } from "./build_wasm.ts";
 * import assert from "node:assert/strict";
 * const source = kernelModuleSource("gemm", new Uint8Array([0, 97, 115, 109]));
 * assert.match(source, /export function gemmWasm\(\): Uint8Array/);
 * assert.match(source, /"AGFzbQ=="/);
 * ```
 */
export function kernelModuleSource(name: string, binary: Uint8Array): string {
  let text = "";
  for (const byte of binary) text += String.fromCharCode(byte);
  const base64 = btoa(text);
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 80) lines.push(`  "${base64.slice(i, i + 80)}",`);
  const camel = name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return `// Generated from ${name}.as.ts by \`deno task build:wasm\`: do not edit.
/**
 * The WebAssembly kernel \`${name}.wasm\`, carried as base64 so that lib/ can instantiate it
 * synchronously and without file-system permission.
 *
 * @module
 */

const BASE64 = [
${lines.join("\n")}
].join("");

/** The bytes of ${name}.wasm (a new array on each call). */
export function ${camel}Wasm(): Uint8Array {
  return Uint8Array.from(atob(BASE64), (c) => c.charCodeAt(0));
}
`;
}

/** One committed file and the content a fresh build gives it. */
export interface BuiltFile {
  url: URL;
  content: Uint8Array;
}

/**
 * Builds every kernel, in memory.
 *
 * @returns For each kernel, its `.wasm` and its bytes module with their fresh content.
 */
export async function buildAll(): Promise<BuiltFile[]> {
  const files: BuiltFile[] = [];
  for (const kernel of KERNELS) {
    const binary = await compileKernel(kernel);
    files.push({ url: new URL(`${kernel.name}.wasm`, kernel.dir), content: binary });
    files.push({
      url: new URL(kernel.module, kernel.dir),
      content: new TextEncoder().encode(kernelModuleSource(kernel.name, binary)),
    });
  }
  return files;
}

/**
 * The built files whose committed content differs from `files` (or is missing).
 *
 * @param files A fresh build from {@linkcode buildAll}.
 * @returns The paths that are stale.
 */
export async function staleFiles(files: readonly BuiltFile[]): Promise<string[]> {
  const stale: string[] = [];
  for (const { url, content } of files) {
    let committed: Uint8Array | undefined;
    try {
      committed = await Deno.readFile(url);
    } catch {
      committed = undefined;
    }
    const same = committed !== undefined && committed.length === content.length &&
      committed.every((byte, i) => byte === content[i]);
    if (!same) stale.push(decodeURIComponent(url.pathname));
  }
  return stale;
}

if (import.meta.main) {
  const files = await buildAll();
  if (Deno.args.includes("--check")) {
    const stale = await staleFiles(files);
    if (stale.length > 0) {
      console.error(`Stale (run \`deno task build:wasm\`):\n${stale.join("\n")}`);
      Deno.exit(1);
    }
    console.log("The committed kernels match a fresh build.");
  } else {
    for (const { url, content } of files) {
      await Deno.writeFile(url, content);
      console.log(`wrote ${decodeURIComponent(url.pathname)} (${content.length} bytes)`);
    }
  }
}
