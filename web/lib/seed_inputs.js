// Each view's seed input bound to that view's own seed key of the state: an entry is checked,
// saved under its key only, and a bad one is refused in its view's error line.
import { $ } from "./dom.js";
import { seedFrom } from "./inputs.js";
import { messageOf } from "./messages.js";

/**
 * Binds the seed inputs `inputs` (input id → {key: its state key, error: its view's error line id}).
 * `save(change)` applies a change; `changed(id)` runs after a valid entry in input `id`.
 * Returns show(), which writes each seed of the state into its input.
 */
export function bindSeedInputs({ inputs, state, save, changed }) {
  for (const [id, { key, error }] of Object.entries(inputs)) {
    $(id).addEventListener("input", () => {
      try {
        const seed = seedFrom(id);
        $(error).textContent = "";
        save({ [key]: seed });
        changed(id);
      } catch (e) {
        $(error).textContent = messageOf(e);
      }
    });
  }
  function show() {
    for (const [id, { key }] of Object.entries(inputs)) $(id).value = state()[key];
  }
  return { show };
}
