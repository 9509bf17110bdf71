// One of the engine's SVG figures on the page: shown as an image (no markup from data enters the
// page) under a caption, with SVG, PNG and embed-link buttons.
import { button } from "./dom.js";
import { download, pngOf } from "./download.js";
import { showEmbedLink } from "./embed.js";

/** Human captions of the engine's figure files (by name prefix). */
const CAPTIONS = [
  ["regret_cumulative", "Cumulative regret against the oracle (nats), median and 25–75 % band"],
  ["regret_instant", "Instant regret against the oracle (nats per flip)"],
  ["bars", "Cumulative regret against the oracle at N_tune, N_train and N_eval"],
  ["tuning_loss", "Tuning loss of every repetition"],
  ["hard_prefix_ranking", "Best hard prefixes: the network (HardPT) and exact Bayes (PreBayesPT)"],
  ["pca_states_by_step", "Internal states in the PCA plane, coloured by position in the sequence"],
  ["pca_states", "Internal states in the PCA plane, coloured by the coin's bias, with the tuned prefixes"],
  ["pretraining_loss", "Pretraining loss of the network"],
];

/** Whether the engine figure file `name` pictures the network's internal states (the Inside view's). */
export function isStateFigure(name) {
  return name.startsWith("pca_states");
}

/**
 * A <figure> of the engine's SVG text `svg`, from its file `name` (e.g. "bars_target.svg"); without
 * `embed`, no Embed link (a figure whose run the page's link does not describe).
 */
export function engineFigure(name, svg, { embed = true } = {}) {
  const fig = document.createElement("figure");
  fig.className = "engine-figure";
  fig.dataset.name = name;
  const stem = name.replace(/\.svg$/, "");
  const caption = document.createElement("figcaption");
  caption.textContent = CAPTIONS.find(([prefix]) => stem.startsWith(prefix))?.[1] ?? stem;
  const img = document.createElement("img");
  const blob = new Blob([svg], { type: "image/svg+xml" });
  img.src = URL.createObjectURL(blob);
  img.alt = caption.textContent;
  img.dataset.testid = `figure-${stem}`;
  img.setAttribute("data-testid", `figure-${stem}`);
  const buttons = document.createElement("div");
  buttons.className = "buttons exports";
  buttons.append(
    button("SVG", () => download(name, blob), { "aria-label": `Download ${stem} as SVG` }),
    button("PNG", () => pngOf(img).then((png) => download(`${stem}.png`, png)), { "aria-label": `Download ${stem} as PNG` }),
  );
  if (embed) buttons.append(button("Embed link", () => showEmbedLink(fig, stem), { "aria-label": `Show a link that embeds ${stem} alone` }));
  fig.append(caption, img, buttons);
  return fig;
}
