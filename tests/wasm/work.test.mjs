// The bench's doors in wasm: a step's counted work (the same as the native door's) and the measured peak of the engine's product.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { engine, ROOT } from "../common/engine.mjs";

test("a step's work counted in wasm is the native bench's count", () => {
  for (const name of ["lstm", "transformer"]) {
    const config = path.join(ROOT, "bench", "configs", `${name}.json`);
    const work = engine.step_work(fs.readFileSync(config, "utf8"));
    assert.equal(work.total, work.forward + work.backward + work.update, name);
    assert.ok(work.forward > 0 && work.backward > work.forward && work.update > 0, name);
    const native = JSON.parse(execFileSync(path.join(ROOT, "target", "release", "promptlab"), ["bench", "--config", config, "--steps", "1", "--warmup", "0"], { encoding: "utf8" }));
    assert.deepEqual(work, native.work, name);
  }
  assert.throws(() => engine.step_work('{"model":{"trained":false}}'), (e) => e.field === "model.trained");
});

test("the peak of the engine's product in wasm is positive, one thread, and a bad size is refused by name", () => {
  const peak = engine.peak_gemm(64, 2);
  assert.ok(peak.gmacs > 0 && peak.ms > 0, JSON.stringify(peak));
  assert.deepEqual([peak.size, peak.reps, peak.threads, peak.gemm_threads], [64, 2, 1, 1]);
  for (const size of [63, 4097]) {
    assert.throws(() => engine.peak_gemm(size, 1), (e) => e.field === "size" && e.allowed === "an integer in 64..=4096");
  }
  assert.throws(() => engine.peak_gemm(64, 0), (e) => e.field === "reps");
});
