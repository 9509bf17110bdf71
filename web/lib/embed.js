// Embed links: a figure's name in an `embed=NAME` link, the <iframe> snippet that shows it alone
// (kept up to date with the page's link), and keeping only that figure visible in a box of figures.
import * as S from "../state.js";

/** Figure names an embed link can ask for (S.FIGURES), longest first for prefix matching. */
const FIGURE_STEMS = [...S.FIGURES].sort((a, b) => b.length - a.length);

/** The embed name of a figure file stem (e.g. regret_cumulative_target → regret_cumulative), or null. */
export function embedName(stem) {
  return FIGURE_STEMS.find((f) => stem === f || stem.startsWith(`${f}_`)) ?? null;
}

/** The embed snippets shown so far: box → the embed name it shows. */
const shown = new Map();

/** The <iframe> snippet showing figure `name` alone, for the page's current link. */
function snippet(name) {
  const url = new URL(location.href);
  const hash = url.hash.replace(/^#/, "").split("&").filter((p) => p && !p.startsWith("embed=") && !p.startsWith("view="));
  url.hash = [...hash, `embed=${name}`].join("&");
  return `<iframe src="${url.href}" width="640" height="440" style="border:0" title="promptlab: ${name}"></iframe>`;
}

/** Shows, under `fig`, a link to this page showing only figure `stem` (for an iframe); `what` names the figure for screen readers. */
export function showEmbedLink(fig, stem, what = stem) {
  const name = embedName(stem);
  if (!name) return;
  let box = fig.querySelector("input.embed-link");
  if (!box) {
    box = document.createElement("input");
    box.className = "embed-link";
    box.readOnly = true;
    box.setAttribute("aria-label", `Embed code for ${what}`);
    box.setAttribute("data-testid", "embed-link");
    fig.append(box);
  }
  shown.set(box, name);
  box.value = snippet(name);
  box.select();
}

/** Rewrites every embed snippet shown for the page's current link (call it whenever the link changes). */
export function refreshEmbedLinks() {
  for (const [box, name] of shown) {
    if (!box.isConnected) shown.delete(box);
    else box.value = snippet(name);
  }
}

/** Hides every engine figure in `box` (its children named by data-name) but the one of embed name `name`. */
export function keepOnlyFigure(box, name) {
  for (const el of box.children) {
    const stem = (el.dataset.name ?? "").replace(/\.svg$/, "");
    el.classList.toggle("embed-hidden", embedName(stem) !== name);
  }
}
