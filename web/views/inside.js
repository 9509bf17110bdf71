// The Inside view: the network's internal states in the PCA plane with the tuned prefixes' paths,
// the engine's figures of the Prompt view's last run (or a button that starts that run).
import { $ } from "../lib/dom.js";
import { keepOnlyFigure } from "../lib/embed.js";
import { engineFigure, isStateFigure } from "../lib/engine_figure.js";

/** The Inside view's controller; `ctx.run()` starts the Prompt view's experiment. */
export function createInside(ctx) {
  /** Shows the state figures among a run's engine figures ([name, svg] pairs). */
  function showResults(figures) {
    const box = $("inside-figures");
    box.replaceChildren();
    for (const [name, svg] of figures) if (isStateFigure(name)) box.append(engineFigure(name, svg));
    $("inside-empty").hidden = figures.some(([name]) => isStateFigure(name));
  }

  /** Enables or disables the Run button (it follows the Prompt view's). */
  function setRunDisabled(disabled) {
    $("inside-run").disabled = disabled;
  }

  /** Embed mode: shows only the figure of embed name `name`. */
  function embed(name) {
    keepOnlyFigure($("inside-figures"), name);
  }

  $("inside-run").addEventListener("click", () => ctx.run());

  return { showResults, setRunDisabled, embed };
}
