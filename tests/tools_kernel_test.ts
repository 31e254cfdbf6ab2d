/**
 * The kernel the project registers (issue 11): the learner-cell test through nbclient, Run All
 * stopping at a failing cell, and how set-up chooses the kernel's Deno (tools/kernel.ts).
 *
 * The same learner cell runs through JupyterLab in tests/charts_test.ts.
 */

import assert from "node:assert/strict";
import { pinnedVersion } from "../tools/check_version.ts";
import {
  chooseKernelDeno,
  denoVersionOf,
  describeVerdict,
  localDenoDir,
  PROBE_RUNS,
} from "../tools/kernel.ts";
import {
  ensureSetup,
  jupyterEnv,
  projectPaths,
  readKernelSpec,
  ROOT,
  VENV_PYTHON,
} from "../tools/setup.ts";

async function python(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  await ensureSetup();
  const out = await new Deno.Command(VENV_PYTHON, {
    args,
    cwd: ROOT,
    env: jupyterEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test(`the registered kernel loses no output of the learner cell in ${PROBE_RUNS} runs (nbclient)`, async () => {
  const result = await python(["tools/learner_cell.py", "--runs", String(PROBE_RUNS)]);
  const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}");
  const spec = await readKernelSpec(projectPaths(ROOT));
  const deno = spec && !("problem" in spec) ? spec.metadata.course.deno_version : "?";
  assert.equal(summary.error, undefined, result.stdout + result.stderr);
  assert.equal(summary.expected, PROBE_RUNS * 5);
  assert.equal(summary.lost, 0, `lost: ${JSON.stringify(summary.lost_by_kind)}`);
  console.log(
    `nbclient, kernel Deno ${deno}: ${summary.lost} of ${summary.expected} outputs lost in ` +
      `${summary.runs} runs of the learner cell (${summary.seconds} s)`,
  );
});

const RUN_ALL = `
import json, sys
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="deno", startup_timeout=60)
try:
    cells = json.loads(sys.argv[1])
    ids = [kc.execute(c, stop_on_error=True) for c in cells]  # all at once, as Run All does
    replies = {}
    while len(replies) < len(ids):
        msg = kc.get_shell_msg(timeout=60)
        if msg["parent_header"].get("msg_id") in ids:  # not start_new_kernel's kernel_info reply
            replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
    print(json.dumps([replies[i] for i in ids]))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
`;

Deno.test("the registered kernel aborts the queued cells after a failing one (Run All)", async () => {
  const cells = [
    "const before = 1; before",
    'throw new RangeError("`temperature` must be >= 0, got -1")',
    "const after = before + 1; after",
    "after",
  ];
  const result = await python(["-c", RUN_ALL, JSON.stringify(cells)]);
  assert.equal(result.code, 0, result.stderr);
  // Deno's own kernel answers "ok", "error", "ok", "ok" (and the cells run, in a cascade of
  // ReferenceErrors when they use what the failing cell defined); IPython's aborts.
  assert.deepEqual(JSON.parse(result.stdout), ["ok", "error", "aborted", "aborted"]);
  assert.doesNotMatch(result.stderr, /unstable/, "no unstable warning from the kernel");
});

/** A throw-away project with the real `.deno-version`, for the kernel choice. */
async function tempProject() {
  const root = await Deno.makeTempDir({ prefix: "kernel-test-" });
  await Deno.copyFile(`${ROOT}/.deno-version`, `${root}/.deno-version`);
  const paths = projectPaths(root);
  await Deno.mkdir(paths.venv, { recursive: true });
  return paths;
}

async function withVerdict(
  paths: ReturnType<typeof projectPaths>,
  version: string,
  lost: number,
): Promise<void> {
  await Deno.writeTextFile(
    `${paths.venv}/kernel-verdicts.json`,
    JSON.stringify({ [version]: { lost, expected: 100, measured: "2026-01-01T00:00:00Z" } }),
  );
}

Deno.test("chooseKernelDeno(): the learner's Deno when it passes, else the pinned one installed locally", async (t) => {
  const pinned = await pinnedVersion();
  const globalDeno = await denoVersionOf(Deno.execPath());
  const env = jupyterEnv();
  const log: string[] = [];

  await t.step("the pinned version itself is used as it is", async () => {
    const paths = await tempProject();
    try {
      const choice = await chooseKernelDeno(paths, env, (l) => log.push(l), {
        path: "/opt/deno",
        version: pinned,
      });
      assert.deepEqual(choice.deno, "/opt/deno");
    } finally {
      await Deno.remove(paths.root, { recursive: true });
    }
  });

  await t.step("a version that passed the learner-cell test is used", async () => {
    const paths = await tempProject();
    try {
      await withVerdict(paths, "9.9.9", 0);
      const choice = await chooseKernelDeno(paths, env, (l) => log.push(l), {
        path: "/opt/deno-9",
        version: "9.9.9",
      });
      assert.equal(choice.deno, "/opt/deno-9");
      assert.match(choice.reason, /passed the learner-cell test \(0 of 100 outputs lost\)/);
    } finally {
      await Deno.remove(paths.root, { recursive: true });
    }
  });

  for (const [how, noNpm] of [["with npm", "0"], ["with Deno's npm support (no npm)", "1"]]) {
    await t.step(
      `a version that lost outputs: the pinned Deno in .venv/deno/, ${how}`,
      async () => {
        const paths = await tempProject();
        const saved = Deno.env.get("COURSE_NO_NPM");
        Deno.env.set("COURSE_NO_NPM", noNpm!);
        try {
          await withVerdict(paths, "9.9.8", 19);
          const lines: string[] = [];
          const choice = await chooseKernelDeno(paths, env, (l) => lines.push(l), {
            path: "/opt/deno-bad",
            version: "9.9.8",
          });
          assert.equal(choice.version, pinned);
          assert.ok(choice.deno.startsWith(`${localDenoDir(paths, pinned)}/`), choice.deno);
          assert.equal(await denoVersionOf(choice.deno), pinned);
          assert.match(
            choice.reason,
            /^Deno 9\.9\.8 lost 19 of 100 outputs of the learner-cell test, so the kernel runs the pinned Deno/,
          );
          assert.match(lines.join("\n"), /your own Deno stays as it is/);
          assert.equal(
            await denoVersionOf(Deno.execPath()),
            globalDeno,
            "the global Deno is unchanged",
          );
        } finally {
          if (saved === undefined) Deno.env.delete("COURSE_NO_NPM");
          else Deno.env.set("COURSE_NO_NPM", saved);
          await Deno.remove(paths.root, { recursive: true });
        }
      },
    );
  }
});

Deno.test("describeVerdict() names the version and the loss", () => {
  assert.equal(
    describeVerdict("2.9.6", { lost: 42, expected: 100, measured: "" }),
    "Deno 2.9.6 lost 42 of 100 outputs of the learner-cell test",
  );
  assert.equal(
    describeVerdict("2.9.6", {
      lost: 0,
      expected: 0,
      error: "RuntimeError: no kernel",
      measured: "",
    }),
    "Deno 2.9.6 could not run the learner-cell test (RuntimeError: no kernel)",
  );
});
