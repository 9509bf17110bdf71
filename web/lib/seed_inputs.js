// The one seed of the state, typed into any of several views' inputs: each entry is checked and
// every other seed input then shows the same seed.
import { $ } from "./dom.js";
import { seedFrom } from "./inputs.js";
import { messageOf } from "./messages.js";

/**
 * Binds the seed inputs `inputs` (input id → the id of its view's error line) to `state().seed`.
 * `save(change)` applies a change; `changed(id)` runs after a valid entry in input `id`.
 * Returns show(), which writes the state's seed into every input.
 */
export function bindSeedInputs({ inputs, state, save, changed }) {
  for (const [id, errorId] of Object.entries(inputs)) {
    $(id).addEventListener("input", () => {
      try {
        const seed = seedFrom(id);
        for (const other of Object.keys(inputs)) if (other !== id) $(other).value = seed;
        $(errorId).textContent = "";
        save({ seed });
        changed(id);
      } catch (e) {
        $(errorId).textContent = messageOf(e);
      }
    });
  }
  function show() {
    for (const id of Object.keys(inputs)) $(id).value = state().seed;
  }
  return { show };
}
