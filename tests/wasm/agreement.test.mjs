// The wasm engine's pretraining losses match the native CLI's loss.csv for the same config (to 1e-4 relative).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { engine, ROOT } from "../common/engine.mjs";

/** Losses from a native `promptlab pretrain` loss.csv (header step,loss,grad_norm). */
function nativeLosses(csvPath) {
  const lines = fs.readFileSync(csvPath, "utf8").trim().split("\n");
  assert.equal(lines[0], "step,loss,grad_norm");
  return lines.slice(1).map((line, i) => {
    const [step, loss] = line.split(",");
    assert.equal(Number(step), i + 1);
    return Number(loss);
  });
}

for (const name of ["agreement", "agreement-transformer"]) {
  test(`wasm and native pretraining agree on ${name}.json`, () => {
    const configText = fs.readFileSync(path.join(ROOT, "tests", "wasm", `${name}.json`), "utf8");
    const steps = JSON.parse(configText).pretraining.steps;
    const csv = path.join(ROOT, "target", `wasm-${name}`, "loss.csv");
    assert.ok(fs.existsSync(csv), `${csv} missing: run ./build.sh test (it runs the native pretrain first)`);
    const native = nativeLosses(csv);
    const wasm = Array.from(engine.pretrain_steps(configText, steps));
    assert.equal(native.length, steps);
    assert.equal(wasm.length, steps);
    wasm.forEach((l, i) => {
      assert.ok(Number.isFinite(l), `step ${i + 1}: loss ${l}`);
      const tol = 1e-4 * Math.max(1, Math.abs(native[i]));
      assert.ok(Math.abs(l - native[i]) <= tol, `step ${i + 1}: wasm ${l} vs native ${native[i]}`);
    });
  });
}
