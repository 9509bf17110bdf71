// Runs one command without blocking the bench's own site (which must keep answering the browser meanwhile).
import { spawn } from "node:child_process";

/**
 * Runs `command` with `args` in `cwd`; `stdout` and `stderr` say what becomes of each stream ("pipe" to
 * collect it, "ignore" or "inherit"). Resolves to {ok, stdout, stderr, seconds}: whether it exited with
 * status 0, the collected text, and its wall time in seconds. A command that cannot start resolves with
 * ok false and the reason in stderr.
 */
export function run(command, args, { cwd, env = process.env, stdout = "pipe", stderr = "pipe" } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const out = [];
    const err = [];
    let failure = "";
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", stdout, stderr] });
    child.stdout?.on("data", (d) => out.push(d));
    child.stderr?.on("data", (d) => err.push(d));
    child.on("error", (e) => {
      failure = `cannot run ${command}: ${e.message}\n`;
    });
    child.on("close", (code) =>
      resolve({
        ok: code === 0 && !failure,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8") + failure,
        seconds: (performance.now() - t0) / 1000,
      }),
    );
  });
}
