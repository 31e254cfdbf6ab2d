/**
 * Set-up and doctor (issue 12): tools/setup.ts and tools/doctor.ts on throw-away projects, never
 * on this checkout's `.venv/` (other runs use it).
 *
 * A throw-away project is a temporary directory with its own requirements.txt and a small real
 * venv (only `jupyter_core`, which brings `bin/jupyter`), created by the code under test. Cases a
 * learner met: concurrent cold starts each running pip, a missing `.venv/bin/jupyter` that setup
 * called "Ready" without repairing, a missing or unreadable requirements.txt as a stack trace, an
 * impossible pin blamed on the network, a corrupt kernel.json crashing doctor, and doctor failing
 * four checks without python3 on PATH although the venv works.
 */

import assert from "node:assert/strict";
import { jupyterJson } from "../tools/strip_outputs.ts";
import {
  ensureGitFilter,
  ensureSetup,
  ensureVenv,
  ensureVenvLocked,
  type ProjectPaths,
  projectPaths,
  ROOT,
  SetupError,
  VENV_PYTHON,
} from "../tools/setup.ts";
import { checkKernelspec, checkPython, checkVenv, runDoctor } from "../tools/doctor.ts";

/** The version of jupyter_core in this checkout's venv (so pip finds it in its cache). */
async function jupyterCoreVersion(): Promise<string> {
  await ensureSetup();
  const out = await new Deno.Command(VENV_PYTHON, {
    args: ["-c", "import importlib.metadata as m; print(m.version('jupyter_core'))"],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

/** A throw-away project whose venv needs only `jupyter` (from jupyter_core). */
async function tinyProject(requirements: string): Promise<ProjectPaths> {
  const root = await Deno.makeTempDir({ prefix: "setup-test-" });
  await Deno.writeTextFile(`${root}/requirements.txt`, requirements);
  await Deno.copyFile(`${ROOT}/.deno-version`, `${root}/.deno-version`);
  return projectPaths(root, { jupyter: "jupyter_core" });
}

/** Runs `ensureVenvLocked` for a project in a separate Deno process; returns its stderr. */
async function setupProcess(root: string): Promise<{ code: number; stderr: string }> {
  const script = `
    import { ensureVenvLocked, projectPaths, SetupError } from ${
    JSON.stringify(`${ROOT}/tools/setup.ts`)
  };
    try {
      await ensureVenvLocked(projectPaths(${
    JSON.stringify(root)
  }, { jupyter: "jupyter_core" }), console.error);
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      console.error(error.message);
      Deno.exit(1);
    }`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** Collects log lines. */
function collector(): { log: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (line) => lines.push(line), lines };
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("setup: concurrent cold starts take turns; missing files are repaired", async (t) => {
  const version = await jupyterCoreVersion();
  const paths = await tinyProject(`jupyter_core==${version}\n`);
  try {
    await t.step("two cold starts at once: one creates the venv, the other waits", async () => {
      const [a, b] = await Promise.all([setupProcess(paths.root), setupProcess(paths.root)]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const both = a.stderr + b.stderr;
      assert.equal(both.match(/Creating \.venv\//g)?.length, 1, both);
      assert.equal(both.match(/Installing JupyterLab/g)?.length, 1, both);
      assert.match(both, /Waiting for another `deno task` that is setting up \.venv\/ to finish/);
      // pip's own progress is shown on a first start (it was --quiet: 21 silent seconds).
      assert.match(
        both,
        /Collecting jupyter_core|Requirement already satisfied|Successfully installed/,
      );
      assert.ok(await exists(`${paths.venv}/bin/jupyter`));
    });

    await t.step("a current venv is reused without starting Python", async () => {
      const { log, lines } = collector();
      assert.equal(await ensureVenvLocked(paths, log), "reused");
      assert.deepEqual(lines, []);
    });

    await t.step(".venv/bin/jupyter missing: reinstalled, not called ready", async () => {
      await Deno.remove(`${paths.venv}/bin/jupyter`);
      const { log, lines } = collector();
      assert.equal(await ensureVenvLocked(paths, log), "repaired");
      assert.ok(await exists(`${paths.venv}/bin/jupyter`), "bin/jupyter is back");
      assert.ok(
        lines.includes(".venv/bin/jupyter is missing: reinstalling jupyter_core"),
        String(lines),
      );
    });

    await t.step(".venv/bin/python missing: the venv is made again", async () => {
      await Deno.remove(paths.python);
      const { log, lines } = collector();
      await ensureVenvLocked(paths, log);
      assert.ok(await exists(paths.python));
      assert.ok(lines.some((l) => l.startsWith("Creating .venv/")), String(lines));
    });

    await t.step("doctor says what is missing and how to repair it, without throwing", async () => {
      await Deno.remove(`${paths.venv}/bin/jupyter`);
      const venv = await checkVenv(paths);
      assert.deepEqual(venv, {
        ok: false,
        message: ".venv/bin/jupyter is missing: run `deno task setup` (it reinstalls it)",
      });
      const all = await runDoctor(paths);
      assert.deepEqual(all.map(([name]) => name), [
        "deno",
        "python",
        "venv",
        "kernelspec",
        "kernel",
        "git",
      ]);
      await ensureVenvLocked(paths, () => {});
    });

    await t.step("a corrupt kernel.json is a failed check, not a crash", async () => {
      await Deno.mkdir(paths.kernelDir, { recursive: true });
      await Deno.writeTextFile(`${paths.kernelDir}/kernel.json`, '{"argv": [');
      const result = await checkKernelspec(paths);
      assert.equal(result.ok, false);
      assert.match(
        result.message,
        /kernel\.json: kernel\.json is not valid JSON \(.*\): run `deno task setup` \(it rewrites it\)$/,
      );
    });

    await t.step(
      "requirements.txt missing: the complete venv is used, with one warning",
      async () => {
        await Deno.remove(paths.requirements);
        const { log, lines } = collector();
        assert.equal(await ensureVenv(paths, log), "reused");
        assert.deepEqual(lines, [
          "Warning: requirements.txt is missing, so .venv/ is used as installed; restore it with " +
          "`git checkout -- requirements.txt`",
        ]);
      },
    );

    await t.step("requirements.txt missing and the venv incomplete: one sentence", async () => {
      await Deno.remove(`${paths.venv}/bin/jupyter`);
      await assert.rejects(
        () => ensureVenv(paths, () => {}),
        new SetupError(
          "requirements.txt is missing, so .venv/ cannot be set up: restore it with " +
            "`git checkout -- requirements.txt` and run the command again",
        ),
      );
    });

    await t.step("requirements.txt unreadable (a directory): one sentence", async () => {
      await Deno.mkdir(paths.requirements);
      await assert.rejects(
        () => ensureVenv(paths, () => {}),
        (error: Error) =>
          error instanceof SetupError &&
          /^requirements\.txt cannot be read \(.+\), so \.venv\/ cannot be set up/.test(
            error.message,
          ),
      );
      await Deno.remove(paths.requirements);
    });

    await t.step("an impossible pin: pip's own error, not the network", async () => {
      await Deno.writeTextFile(paths.requirements, "jupyter_core==99.0.0\n");
      const error = await ensureVenv(paths, () => {}).then(() => undefined, (e) => e as Error);
      assert.ok(error instanceof SetupError, String(error));
      assert.match(
        error.message,
        /^pip could not install requirements\.txt: .*jupyter_core==99\.0\.0/,
      );
      assert.doesNotMatch(error.message, /network/);
    });
  } finally {
    await Deno.remove(paths.root, { recursive: true });
  }
});

Deno.test("doctor: python3 missing from PATH is fine while the venv works", async () => {
  await ensureSetup();
  const saved = Deno.env.get("PATH")!;
  Deno.env.set("PATH", "/nonexistent");
  try {
    const result = await checkPython(projectPaths(ROOT));
    assert.equal(result.ok, true, result.message);
    assert.match(result.message, /^no python3 on PATH, but \.venv\/'s Python 3\.\d+\.\d+ works/);
  } finally {
    Deno.env.set("PATH", saved);
  }
  // The whole doctor without python3 (nor anything else) on PATH: no check fails for it.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${ROOT}/tools/doctor.ts`],
    env: { PATH: "/nonexistent", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  const failed = lines.filter((l) => l.startsWith("FAIL") && !/^FAIL\s+git\s/.test(l));
  assert.deepEqual(failed, [], lines.join("\n"));
  assert.equal(lines.length, 6, lines.join("\n"));
  const kernelspec = lines.find((l) => /^ok\s+kernelspec /.test(l)) ?? "";
  assert.match(
    kernelspec,
    /the kernel runs Deno \d+\.\d+\.\d+ \(\/.*\): .*kernelspec \/.*kernel\.json/,
  );
  console.log(lines.join("\n"));
});

Deno.test("git: the notebook-outputs filter keeps saved outputs out of diffs and commits", async () => {
  const root = await Deno.makeTempDir({ prefix: "git-filter-test-" });
  const git = async (...args: string[]) => {
    const out = await new Deno.Command("git", {
      args: ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
  };
  try {
    await git("init", "-q");
    await Deno.mkdir(`${root}/tools`);
    await Deno.copyFile(`${ROOT}/.gitattributes`, `${root}/.gitattributes`);
    await Deno.copyFile(`${ROOT}/tools/strip_outputs.ts`, `${root}/tools/strip_outputs.ts`);
    const paths = projectPaths(root);
    const { log, lines } = collector();
    assert.equal(await ensureGitFilter(paths, log), true);
    assert.equal(await ensureGitFilter(paths, log), false, "configured once");
    assert.match(lines.join("\n"), /Git now strips notebook outputs on commit/);

    const clean = await Deno.readTextFile(`${ROOT}/tests/fixtures/throws.ipynb`);
    await Deno.writeTextFile(`${root}/nb.ipynb`, clean);
    await git("add", ".");
    assert.equal((await git("show", ":nb.ipynb")).stdout, clean, "a clean notebook: byte for byte");
    await git("commit", "-q", "-m", "clean");

    // What a run in JupyterLab saves: outputs and execution counts, keys sorted, 1-space indent.
    const nb = JSON.parse(clean);
    nb.cells[0].execution_count = 1;
    nb.cells[0].outputs = [{ output_type: "execute_result", data: { "text/plain": "2" } }];
    await Deno.writeTextFile(`${root}/nb.ipynb`, jupyterJson(nb));
    assert.equal((await git("diff", "--quiet")).code, 0, "git diff shows no saved outputs");
    await git("add", "nb.ipynb");
    assert.equal(
      (await git("show", ":nb.ipynb")).stdout,
      clean,
      "the commit would hold no outputs",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
