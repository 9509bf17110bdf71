// The engine's memory estimate (which refuses configs over the browser's cap) bounds what pretraining really uses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "../common/engine.mjs";

const transformer = '"architecture":"transformer","num_heads":4,"widening_factor":4';
// In increasing order of the estimate: wasm memory only grows, so each run's high-water mark is its own.
const CONFIGS = [
  ["small Transformer, 64 × 100", `{"model":{${transformer},"embedding_dim":32,"hidden_sizes":[32]},"pretraining":{"batch_size":64,"sequence_length":100,"steps":2}}`],
  ["long Transformer, 16 × 600", `{"model":{${transformer},"embedding_dim":32,"hidden_sizes":[32]},"pretraining":{"batch_size":16,"sequence_length":600,"steps":2}}`],
  ["paper LSTM, 256 × 100", '{"model":{"architecture":"lstm","embedding_dim":128,"hidden_sizes":[128]},"pretraining":{"batch_size":256,"sequence_length":100,"steps":2}}'],
  ["paper Transformer, 256 × 100", `{"model":{${transformer},"embedding_dim":128,"hidden_sizes":[128]},"pretraining":{"batch_size":256,"sequence_length":100,"steps":2}}`],
];

test("pretraining steps stay within the engine's memory estimate, the paper's sizes included", () => {
  let last = 0;
  for (const [name, config] of CONFIGS) {
    const estimate = engine.memory_estimate(config);
    assert.ok(estimate > last, `${name}: the configs are listed in increasing order of the estimate`);
    last = estimate;
    const trainer = new engine.Trainer(config);
    const losses = trainer.step(2);
    trainer.free();
    assert.equal(losses.length, 2);
    const used = engine.engine_memory();
    console.log(`${name}: wasm memory ${(used / 1048576).toFixed(0)} MB, estimate ${(estimate / 1048576).toFixed(0)} MB`);
    assert.ok(used <= estimate, `${name}: wasm memory ${used} bytes above the estimate ${estimate}`);
  }
});

test("a config over the browser's cap is refused by name, with the estimate", () => {
  const huge = `{"model":{${transformer},"embedding_dim":128,"hidden_sizes":[128]},"pretraining":{"batch_size":512,"sequence_length":100}}`;
  assert.throws(() => engine.memory_estimate(huge), /pretraining\.batch_size × pretraining\.sequence_length.*MB/);
  assert.throws(() => new engine.Trainer(huge), /pretraining\.batch_size/);
});
