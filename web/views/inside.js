// The Inside view: the network's internal states in the PCA plane with the tuned prefixes' paths,
// the engine's figures of the Prompt view's last run (or a button that starts that run).
import { $ } from "../lib/dom.js";
import { engineFigure, isStateFigure } from "../lib/engine_figure.js";
import { markStale, staleNote } from "../lib/stale.js";

/**
 * The Inside view's controller; `ctx.run()` starts the Prompt view's experiment, `ctx.open()` says whether
 * a run's results may show (not while a link that asks first waits for the guess), `ctx.fileOf(last, view)`
 * names a run's downloads.
 */
export function createInside(ctx) {
  /** Shows the state figures among a run's engine figures (`last`: {results, figures: [name, svg] pairs, state}). */
  function showResults(last) {
    const { results, figures } = last;
    const box = $("inside-figures");
    box.replaceChildren();
    for (const [name] of figures) if (isStateFigure(name)) box.append(engineFigure(results, name, { fileName: ctx.fileOf(last, "inside") }));
    $("inside-empty").hidden = figures.some(([name]) => isStateFigure(name));
    gate();
  }

  /** Keeps the figures behind the Prompt view's guess box while a link that asks first waits for the guess. */
  function gate() {
    const open = ctx.open();
    const has = $("inside-figures").children.length > 0;
    $("inside-figures").hidden = !open;
    $("inside-wait").hidden = open || !has;
    $("inside-wait").textContent = open || !has ? "" : "Choose your guess in the Prompt view to see these figures.";
  }

  /**
   * Marks the figures out of date while the Prompt view's controls (`now`, in words) differ from
   * the settings of the run they come from (`then`; null before any run).
   */
  function markIfStale(then, now) {
    const shown = $("inside-figures").children.length > 0;
    const note = then && shown ? staleNote({ then, now, what: "These figures", action: "Press Run in the Prompt view for the new settings." }) : null;
    markStale("inside-stale", ["inside-figures"], note);
  }

  /** Enables or disables the Run button (it follows the Prompt view's). */
  function setRunDisabled(disabled) {
    $("inside-run").disabled = disabled;
  }

  // The Run button goes away once the figures are in: focus moves to them rather than to the page's top.
  $("inside-run").addEventListener("click", async () => {
    await ctx.run();
    const figures = $("inside-figures");
    if ($("inside-empty").hidden && figures.children.length > 0) {
      figures.tabIndex = -1;
      figures.focus();
    } else if (document.activeElement === document.body && !$("inside-run").disabled) {
      $("inside-run").focus();
    }
  });

  return { showResults, setRunDisabled, markIfStale, gate };
}
