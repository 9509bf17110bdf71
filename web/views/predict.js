// The Predict view: flips by hand, drawn from the source or pasted, a hard prompt or a tuned prefix in front,
// and the network's next-flip probability beside exact Bayes's predictive and posterior.
import { bayes_next, model_predict, posterior_density, random_tokens, tuned_prompts } from "../pkg/promptlab.js";
import * as S from "../state.js";
import { drawLegend } from "../lib/legend.js";
import { $, button } from "../lib/dom.js";
import { showEmbedLink } from "../lib/embed.js";
import { chartButtons } from "../lib/chart_download.js";
import { runFileName } from "../lib/file_names.js";
import { prob as fmt, probDiff } from "../lib/format.js";
import { messageOf, showError } from "../lib/messages.js";
import { showMineOption } from "../lib/models.js";
import { bindSource, SOURCE_KEYS } from "../lib/source_controls.js";
import { DENSITY_POINTS } from "../lib/figures/density.js";
import { bindOwnFlips } from "../lib/flips_input.js";
import { posteriorFigure } from "../lib/figures/posterior.js";
import { predictSet } from "../lib/predict_set.js";
import { hiddenKeys } from "../lib/series_filter.js";
import { predictiveFigure } from "../lib/figures/predictive.js";

/** Tokens as the letters H (token 0) and T (token 1). */
const asHT = (tokens) => [...tokens].map((t) => "HT"[t]).join("");

/** Input ids of the source controls for engine field names, by source kind (longest prefix wins). */
const SOURCE_FIELDS = {
  random: { "source.alphas[0]": ["alpha-h"], "source.alphas[1]": ["alpha-t"], "source.alphas": ["alpha-h", "alpha-t"] },
  single: { "source.probs": ["bias"] },
  mixture: {
    "source.weights": ["weight-a", "weight-b"],
    "source.probs[0]": ["coin-a"],
    "source.probs[1]": ["coin-b"],
    "source.probs": ["coin-a", "coin-b"],
  },
};

/** When the first chart with both curves was drawn (ms after navigation start), once per page. */
let firstChartMs = null;

/**
 * The Predict view's controller. `ctx` gives state(), save(change) (applies a change to the state
 * and the link), commit(change) (saves it and, while this view is shown, recomputes the view),
 * ready() (the engine is loaded), models (lib/models.js), chart(id, spec) and showSeed() (writes
 * the state's seed into every seed input).
 */
export function createPredict(ctx) {
  const state = ctx.state;
  /** Tuned prefixes of the last Prompt run: label → {spec, model, note} (kept for this page only). */
  const tuned = new Map();
  let renderSerial = 0;
  /** The state the charts were last drawn for: their downloads are named after it. */
  let drawn = null;
  /** The flips and engine rows last drawn (and the state they were drawn for), which the predictions CSV saves. */
  let shown = { flips: "", bayes: null, net: null };
  const ownFlips = bindOwnFlips({ state, commit: (change) => ctx.commit(change), shown: () => shown });

  const source = bindSource({
    box: $("source-box"),
    prefix: "",
    kindId: "source-kind",
    kindLabel: "Where the flips come from",
    keys: SOURCE_KEYS,
    state,
    apply: (change) => ctx.commit(change),
    fail: (e) => showError("source-error", e, SOURCE_FIELDS[state().source]),
  });

  function sync() {
    const s = state();
    source.sync();
    $("model").value = s.model;
    $("draw-n").value = s.n;
    $("seed").value = s.predictseed;
    $("hard").value = s.hard;
    $("hard").removeAttribute("aria-invalid");
  }

  async function update() {
    if (!ctx.ready()) return;
    const serial = ++renderSerial;
    const s = state();
    const flips = s.flips;
    const sourceJson = S.sourceJson(s);
    const prefix = tuned.get($("tuned-prefix").value) ?? null;
    // A hard prompt, typed or tuned (HardPT's are real flips), is read by exact Bayes too; a continuous prefix exists for the network only.
    const hard = prefix ? prefix.hard ?? "" : s.hard;
    let bayes = null, posterior = null, sourceError = null;
    try {
      bayes = bayes_next(sourceJson, hard + flips).slice(hard.length);
      posterior = posterior_density(sourceJson, hard + flips, DENSITY_POINTS);
    } catch (e) {
      sourceError = e;
    }
    showError("source-error", sourceError, SOURCE_FIELDS[s.source]);

    let net = null, modelError = null, prefixError = null;
    const modelName = s.model;
    try {
      const model = await ctx.models.load(modelName);
      if (serial !== renderSerial) return;
      const spec = prefix ? prefix.spec : hard ? JSON.stringify({ kind: "hard", tokens: hard }) : null;
      try {
        if (prefix && prefix.model !== modelName) throw new Error(`this prefix was tuned for the ${prefix.model} network: pick that network to use it`);
        net = model_predict(model.config, model.weights, flips, spec);
      } catch (e) {
        if (!spec) throw e;
        prefixError = messageOf(e);
      }
    } catch (e) {
      modelError = messageOf(e);
    }
    if (serial !== renderSerial) return;
    // While the typed hard prompt is refused, its sentence stays and no note about the old prompt stands beside it.
    const refusedHard = !prefix && $("hard").getAttribute("aria-invalid") === "true";
    if (!refusedHard) showError("prefix-error", prefixError);
    $("prefix-note").textContent = prefix
      ? prefix.hard
        ? `${prefix.note} Its ${hard.length} flips ${asHT(hard)} are real flips, so both the network and exact Bayes read them before your flips.`
        : `${prefix.note} Exact Bayes cannot read a continuous prefix, so its curve is the unprompted one.`
      : hard
        ? `Both the network and exact Bayes read the prompt ${asHT(hard)} (${hard.length} flips) before your flips.`
        : "";
    if (refusedHard) $("prefix-note").textContent = "";
    if (serial !== renderSerial) return;
    showError("model-error", modelError);
    $("model-note").textContent = ctx.models.note(modelName);

    renderFlips(flips);
    ownFlips.showLimit();
    drawn = structuredClone(s);
    shown = { flips, bayes, net, drawn };
    const n = flips.length;
    const bayesP = bayes ? bayes[n][0] : NaN;
    const netP = net ? net[n][0] : NaN;
    $("bayes-p0").textContent = fmt(bayesP);
    $("net-p0").textContent = fmt(netP);
    $("diff-p0").textContent = Number.isFinite(bayesP) && Number.isFinite(netP) ? probDiff(netP - bayesP) : "–";

    show("predictive", predictiveFigure({ flips, bayes, net }));
    show("posterior", posteriorFigure({ post: posterior, netP }));
    const readout = $("readout");
    readout.dataset.flips = flips;
    readout.dataset.model = modelName;
    readout.dataset.source = sourceJson;
    if (firstChartMs === null && bayes && net) {
      firstChartMs = performance.now();
      document.body.dataset.firstChartMs = firstChartMs.toFixed(0);
    }
  }

  function renderFlips(flips) {
    const heads = [...flips].filter((t) => t === "0").length;
    const n = flips.length;
    $("flip-summary").textContent = n === 0 ? "No flips yet." : `${n} flip${n === 1 ? "" : "s"}: ${heads} H, ${n - heads} T`;
    const shown = n > 400 ? `…${flips.slice(-400)}` : flips;
    $("flip-sequence").textContent = [...shown].map((t) => (t === "0" ? "H" : t === "1" ? "T" : t)).join("");
    $("flip-sequence").dataset.tokens = flips;
    $("undo").disabled = n === 0;
    $("reset").disabled = n === 0;
  }

  /** Draws figure `name` ({spec, legend, note?} from lib/figures) into chart-NAME and legend-NAME, and its note. */
  function show(name, figure) {
    ctx.chart(`chart-${name}`, figure.spec);
    drawLegend($(`legend-${name}`), figure.legend);
    if (figure.note !== undefined) $(`${name}-note`).textContent = figure.note;
  }

  function flip(token) {
    if (state().flips.length >= S.MAX_FLIPS) {
      $("draw-error").textContent = `At most ${S.MAX_FLIPS} flips; undo or reset first.`;
      return;
    }
    $("draw-error").textContent = "";
    ctx.commit({ flips: state().flips + token });
  }

  function undo() {
    ctx.commit({ flips: state().flips.slice(0, -1) });
  }

  function draw() {
    try {
      const s = state();
      const n = Number($("draw-n").value);
      const flips = random_tokens(S.sourceJson(s), n, BigInt(s.predictseed));
      $("draw-error").textContent = "";
      // The next draw uses the next seed, so pressing again gives new flips (and the link still reproduces these).
      const next = (BigInt(s.predictseed) + 1n) % 2n ** 64n;
      ctx.commit({ flips, n, predictseed: String(next) });
      ctx.showSeed();
    } catch (e) {
      $("draw-error").textContent = messageOf(e);
    }
  }

  /** Keeps each prefix tuner's best repetition of the last Prompt run in the tuned-prefix menu. */
  function offerPrefixes(last) {
    tuned.clear();
    const select = $("tuned-prefix");
    select.replaceChildren(new Option("none", ""));
    const model = state().tmodel;
    let prompts = [];
    try {
      prompts = tuned_prompts(last.results);
    } catch (e) {
      showError("prefix-error", messageOf(e));
    }
    for (const p of prompts) {
      const label = `${p.method}, repetition ${p.repetition + 1}`;
      tuned.set(label, {
        spec: JSON.stringify(p.prefix),
        hard: p.prefix.kind === "hard" ? p.prefix.tokens : null,
        model,
        note: `The ${p.method} prefix (K = ${p.prefix_length}) tuned for ${describeTarget()} on the ${model} network, repetition ${p.repetition + 1} of ${p.repetitions} (lowest final tuning loss).`,
      });
      select.append(new Option(`${label}${p.prefix.kind === "hard" ? ` (${asHT(p.prefix.tokens)})` : ""}`, label));
    }
    select.disabled = tuned.size === 0;
  }

  function describeTarget() {
    const s = state();
    if (s.tsource === "single") return `Single Coin ${s.tbias}`;
    if (s.tsource === "mixture") return `the mixture of coins ${s.tcoins.join(" / ")}`;
    return `Random Coins (${s.talphas.join(", ")})`;
  }

  /** Figure `id` as its embed will draw it at `width` px: by the engine, with no network pretrained in this page. */
  async function asEmbedded(id, width) {
    const s = state();
    const { set } = await predictSet(s, () => {
      if (s.model === "mine") throw new Error("an embed cannot use a network pretrained in a page");
      return ctx.models.load(s.model);
    });
    try {
      return { ...set.figure(id, { width, chrome: false, hidden: hiddenKeys() }), stem: id };
    } finally {
      set.free();
    }
  }

  /** Adds SVG, PNG and Embed link buttons under the two charts, each named for its chart. */
  function addEmbedButtons() {
    const names = { predictive: "the next-flip chart", posterior: "the posterior chart" };
    for (const [id, what] of Object.entries(names)) {
      const fig = $(`chart-${id}`).closest("figure");
      fig.append(chartButtons($(`chart-${id}`), what, (ext) => runFileName("predict", drawn ?? state(), id, ext)));
      fig.append(button("Embed link", () => showEmbedLink(fig, id, what, $(`chart-${id}`).figureData, (width) => asEmbedded(id, width).catch(() => null)), { class: "embed-button", "aria-label": `Embed link for ${what}` }));
    }
  }

  $("model").addEventListener("change", () => ctx.commit({ model: $("model").value }));
  $("flip-h").addEventListener("click", () => flip("0"));
  $("flip-t").addEventListener("click", () => flip("1"));
  $("undo").addEventListener("click", undo);
  $("reset").addEventListener("click", () => ctx.commit({ flips: "" }));
  $("draw").addEventListener("click", draw);
  $("draw-n").addEventListener("input", () => {
    const n = $("draw-n").valueAsNumber;
    if (Number.isInteger(n) && n >= 0 && n <= 9_999_999) ctx.save({ n });
  });
  $("hard").addEventListener("input", () => {
    const text = $("hard").value.trim().toUpperCase().replace(/H/g, "0").replace(/T/g, "1");
    if (!/^[01]{0,256}$/.test(text)) {
      // The old prompt no longer stands: its "reads the prompt …" line goes with it.
      $("prefix-note").textContent = "";
      $("hard").setAttribute("aria-invalid", "true");
      $("hard").setAttribute("aria-describedby", "prefix-error");
      const old = state().hard;
      const still = old ? `the curves still read the last valid prompt, ${asHT(old)}` : "the curves read no prompt";
      showError("prefix-error", `The hard prompt takes up to 256 flips written as H/T or 0/1; "${$("hard").value.trim()}" is not one, so ${still}.`);
      return;
    }
    $("hard").removeAttribute("aria-invalid");
    $("tuned-prefix").value = "";
    ctx.commit({ hard: text });
  });
  $("tuned-prefix").addEventListener("change", () => update());
  document.addEventListener("keydown", (e) => {
    if (state().view !== "predict" || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.matches("input, select, textarea") || t.isContentEditable)) return;
    const key = e.key.toLowerCase();
    if (key === "h" || key === "0") flip("0");
    else if (key === "t" || key === "1") flip("1");
    else if (key === "u" || key === "backspace") undo();
    else return;
    e.preventDefault();
  });

  return {
    sync,
    update,
    offerPrefixes,
    offerMine: (net) => showMineOption($("model"), net),
    addEmbedButtons,
  };
}
