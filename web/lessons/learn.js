// The Learn view: the paper's argument as seven short chapters, one shown at a time, with a
// progress bar, previous / next buttons and the ← → keys; the open chapter lives in the link.
import * as S from "../state.js";
import { $, el, button } from "../lib/dom.js";
import { term } from "../lib/terms.js";
import { catalog } from "../lib/catalog.js";
import { TEXT } from "./text.js";
import { say } from "./words.js";
import { labLinks } from "./lab_link.js";
import coin from "./chapters/coin.js";
import network from "./chapters/network.js";
import promptFlips from "./chapters/prompt_flips.js";
import single from "./chapters/single.js";
import mixture from "./chapters/mixture.js";
import soft from "./chapters/soft.js";
import summary from "./chapters/summary.js";

/** The chapters in order; chapter n's words are TEXT.chapters[n - 1]. */
export const CHAPTERS = [coin, network, promptFlips, single, mixture, soft, summary];

/** A paragraph of lesson text, every method name in it explained (lib/terms.js) like everywhere on the page. */
export function paragraph(text, attrs = {}) {
  const p = el("p", attrs);
  const labels = catalog().map((m) => m.label).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`\\b(${labels.map((l) => l.replace(/[^\w]/g, "\\$&")).join("|")})\\b`);
  let rest = text;
  for (let m = pattern.exec(rest); m; m = pattern.exec(rest)) {
    p.append(rest.slice(0, m.index), term(m[1]));
    rest = rest.slice(m.index + m[1].length);
  }
  p.append(rest);
  return p;
}

/**
 * The Learn view's controller. `ctx` gives state(), save(change), models (lib/models.js),
 * chart(id, spec), ready() (the engine is loaded) and keep(next) (what of the current link a lab link keeps).
 */
export function createLearn(ctx) {
  const root = $("view-learn");
  const total = CHAPTERS.length;
  const steps = el("ol", { class: "lesson-steps" });
  const stepButtons = TEXT.chapters.map((c, i) => {
    // On a phone only the numbers show; the title stays the button's name.
    const b = button("", () => go(i + 1), { "data-testid": `lesson-step-${i + 1}`, title: c.title });
    b.append(el("span", { class: "step-n" }, String(i + 1)), el("span", { class: "step-title" }, `. ${c.title}`));
    steps.append(el("li", {}, b));
    return b;
  });
  const bar = el("progress", { max: String(total), value: "1", "data-testid": "lesson-progress" });
  const where = el("span", { class: "lesson-where", "data-testid": "lesson-where" });
  const body = el("article", { class: "lesson", "data-testid": "lesson", "aria-labelledby": "lesson-title" });
  const prev = button(TEXT.view.previous, () => go(ctx.state().lesson - 1), { "data-testid": "lesson-prev" });
  const next = button(TEXT.view.next, () => go(ctx.state().lesson + 1), { class: "primary", "data-testid": "lesson-next" });
  root.append(
    el("nav", { class: "lesson-map", "aria-label": TEXT.view.chapters }, steps, bar),
    body,
    el("div", { class: "lesson-nav" }, prev, where, next),
    el("p", { class: "note lesson-keys" }, TEXT.view.keys),
  );
  let open = null; // {n, chapter: {el, unmount}}

  /** Opens chapter `n` (1-based, clamped), moving focus to its title. */
  function go(n) {
    const to = Math.max(1, Math.min(total, n));
    if (to === ctx.state().lesson) return;
    ctx.save({ lesson: to });
    show(true);
    $("lesson-title")?.focus();
    window.scrollTo({ top: root.offsetTop - 8 });
  }

  /** The lesson's state in the link: a chapter is built afresh when it changes (another chapter, or settings edited in the address). */
  const signature = () => JSON.stringify(S.LESSON_KEYS.map((k) => ctx.state()[k]));

  /** Shows the state's chapter, building it afresh when the lesson's state differs from the one it was built for, or always with `again`. */
  function show(again = false) {
    if (!ctx.ready()) return;
    const n = ctx.state().lesson;
    if (open && open.n === n && open.signature === signature() && !again) return;
    open?.chapter.unmount?.();
    const words = TEXT.chapters[n - 1];
    // The chapter's own changes (a guess, a flip) are the state it shows: they never rebuild it.
    const save = (change) => {
      ctx.save(change);
      if (open?.chapter === chapter) open.signature = signature();
    };
    let chapter = null;
    const api = { n, text: words, state: ctx.state, save, models: ctx.models, chart: ctx.chart, paragraph, labLinks: (links) => labLinks(ctx.state(), links, ctx.keep) };
    chapter = CHAPTERS[n - 1].mount(api, CHAPTERS);
    const title = el("h2", { id: "lesson-title", tabindex: "-1" }, words.title);
    body.replaceChildren(title, chapter.el);
    body.dataset.lesson = String(n);
    open = { n, chapter, signature: signature() };
    chapter.start?.();
    bar.value = n;
    where.textContent = say(TEXT.view.progress, { n, total });
    bar.setAttribute("aria-label", where.textContent);
    prev.disabled = n === 1;
    next.disabled = n === total;
    stepButtons.forEach((b, i) => (i + 1 === n ? b.setAttribute("aria-current", "step") : b.removeAttribute("aria-current")));
    if (!document.body.dataset.lessonPaintMs) document.body.dataset.lessonPaintMs = performance.now().toFixed(0);
  }

  /** Closes the open chapter (its runs stop) when another view is shown. */
  function hide() {
    open?.chapter.unmount?.();
    open = null;
    body.replaceChildren();
  }

  document.addEventListener("keydown", (e) => {
    if (ctx.state().view !== "learn" || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    const t = e.target;
    // Only from within the Learn view (or the page itself), never from the tabs' or the glossary's own keys.
    if (t !== document.body && !root.contains(t)) return;
    if (t instanceof HTMLElement && (t.matches("input, select, textarea, [role=tab], [role=radio]") || t.isContentEditable)) return;
    if (e.key === "ArrowLeft") go(ctx.state().lesson - 1);
    else if (e.key === "ArrowRight") go(ctx.state().lesson + 1);
    else return;
    e.preventDefault();
  });

  return { show, hide, chapters: CHAPTERS };
}
