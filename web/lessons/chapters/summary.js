// Chapter 7, what you found: every guess beside the engine's answer, as a table and as text a
// student can copy and hand in, and where to go next.
import { el, button } from "../../lib/dom.js";
import { messageOf } from "../../lib/messages.js";
import { TEXT } from "../text.js";
import { say } from "../words.js";
import { SHOWN, verdictWord } from "../guess.js";

/** A guess as the summary shows it. */
function guessText(g) {
  if (g === "") return TEXT.chapters[6].none;
  if (g === SHOWN) return TEXT.guess.skipped;
  if (g === "yes" || g === "no") return verdictWord(g);
  // A probability as the slider shows it.
  return /^[\d.]+$/.test(g) ? Number(g).toFixed(2) : g;
}

export default {
  mount(api, chapters) {
    const t = api.text;
    const wrap = el("div", { class: "chapter" });
    for (const p of t.body) wrap.append(api.paragraph(p));
    const table = el("table", { class: "summary", "data-testid": "lesson-summary" });
    const head = el("tr", {}, ...t.columns.map((c) => el("th", { scope: "col" }, c)));
    table.append(el("caption", {}, t.heading), head);
    const text = el("textarea", { readonly: "", rows: "8", "aria-label": t.heading, "data-testid": "lesson-answers" });
    const copied = el("p", { class: "note", role: "status", "data-testid": "lesson-copied" });
    const copy = button(t.copy, async () => {
      try {
        await navigator.clipboard.writeText(text.value);
        copied.textContent = t.copied;
      } catch {
        text.select();
        copied.textContent = t.copyFailed;
      }
    }, { "data-testid": "lesson-copy" });
    // A table wider than a phone scrolls sideways: the region takes focus, so a keyboard can scroll it too.
    wrap.append(el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t.heading }, table), text, el("div", { class: "buttons" }, copy), copied, api.paragraph(t.next));
    let serial = 0;

    async function fill() {
      const mine = ++serial;
      const lines = [t.heading];
      const rows = [];
      for (const [i, c] of chapters.slice(0, 6).entries()) {
        // One chapter's answer per task, so the page never stalls while the six are asked for.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (mine !== serial) return;
        const words = TEXT.chapters[i];
        let s;
        try {
          s = await c.summary(api.state(), words, api.models);
        } catch (e) {
          s = { question: words.title, guess: api.state()[c.guess.key], answer: messageOf(e) };
        }
        if (mine !== serial) return;
        const answer = s.answer ?? say(t.notYet, { n: i + 1 });
        const guess = guessText(s.guess);
        const tr = el("tr", { "data-chapter": String(i + 1) }, el("th", { scope: "row" }, `${i + 1}. ${words.title}`), el("td", {}, s.question), el("td", { "data-testid": `summary-guess-${i + 1}` }, guess), el("td", { "data-testid": `summary-answer-${i + 1}` }, answer));
        rows.push(tr);
        lines.push(`${i + 1}. ${words.title}: ${s.question}. ${t.columns[2]}: ${guess.replace(/\.$/, "")}. ${t.columns[3]}: ${answer}.`);
      }
      table.replaceChildren(table.querySelector("caption"), head, ...rows);
      text.value = lines.join("\n");
      // Tall enough for every line (a long line wraps), so nothing hides behind a scroll bar.
      text.rows = lines.length + 3;
      wrap.dataset.filled = "true";
    }

    return { el: wrap, start: fill, unmount: () => (serial += 1) };
  },
};
