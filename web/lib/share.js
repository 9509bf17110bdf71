// The Share dialog: builds a teacher's link from the page's state, with the view (and chapter) it opens,
// the controls it hides or locks, and whether the Prompt view asks for a guess first; shows it and copies it.
import * as S from "../state.js";
import { $, el, button } from "./dom.js";
import { CONTROLS, GROUPS } from "./control_keys.js";
import { copyField } from "./copy_text.js";

/** The views' names in the "opens on" menu. */
const VIEW_NAMES = { learn: "Learn", predict: "Predict", prompt: "Prompt", inside: "Inside", theory: "Theory", pretrain: "Pretrain" };
/** Keys the dialog leaves out: the tab bar and chapter navigation stand for them. */
const COVERED = new Set(["view", "lesson"]);

/** The state keys of the guesses a reader makes (the lessons' and the Prompt view's). */
const GUESSES = ["g1", "g2", "g3", "g4", "g5", "g6", "gp"];

/** The link of `state` with the dialog's choices, as a full address; `fresh` leaves out the guesses made here. */
export function shareLink(state, { view, lesson, hide, lock, ask, fresh }) {
  const cleared = fresh ? Object.fromEntries(GUESSES.map((k) => [k, ""])) : {};
  // Asking first means the student's own guess: the teacher's never travels with it.
  if (ask) cleared.gp = "";
  const hash = S.serialize({ ...state, ...cleared, view, lesson, hide, lock, ask: ask ? 1 : 0 });
  return `${location.origin}${location.pathname}#${hash}`;
}

/** The dialog's choices in one sentence: what the link opens, hides, locks and asks. */
function summaryOf({ view, lesson, hide, lock, ask, fresh }) {
  const names = (keys) => keys.map((k) => CONTROLS[k]?.name ?? k).join(", ");
  const words = [`Students open ${VIEW_NAMES[view]}${view === "learn" ? `, chapter ${lesson}` : ""}.`];
  words.push(hide.length ? `Hidden: ${names(hide)}.` : "Nothing hidden.");
  words.push(lock.length ? `Locked: ${names(lock)}.` : "Nothing locked.");
  if (ask) words.push("The Prompt view asks for a guess before each run's results.");
  if (fresh) words.push("The guesses made on this page are left out.");
  return words.join(" ");
}

/** A checkbox with its label, test id `testid`. */
function checkbox(testid, label, checked) {
  const box = el("input", { type: "checkbox", id: `share-${testid}`, "data-testid": `share-${testid}` });
  box.checked = checked;
  return { box, field: el("label", { for: box.id, class: "share-check" }, box, label) };
}

/** Adds the Share button to the header and its dialog to the page; `state()` is the page's state. */
export function bindShare({ state }) {
  const open = button("Share", () => show(), { id: "share-open", class: "share-open", "data-testid": "share-open", "aria-haspopup": "dialog" });
  document.querySelector("header").append(open);

  const viewMenu = el("select", { id: "share-view", "data-testid": "share-view" }, ...S.VIEWS.map((v) => el("option", { value: v }, VIEW_NAMES[v])));
  const lessonMenu = el("select", { id: "share-lesson", "data-testid": "share-lesson" }, ...Array.from({ length: S.LESSONS }, (_, i) => el("option", { value: String(i + 1) }, `Chapter ${i + 1}`)));
  const lessonField = el("div", { class: "field" }, el("label", { for: "share-lesson" }, "Chapter"), lessonMenu);
  const ask = checkbox("ask", "Ask first: in the Prompt view, results stay hidden until the student guesses which tuner wins (only the Prompt and Inside views use it)", false);
  const fresh = checkbox("fresh", "Leave out the guesses made on this page, so students make their own", false);
  const rows = new Map(); // key → {hide, lock}
  const byView = new Map(); // view → its group of rows
  const groups = Object.entries(GROUPS).map(([view, heading]) => {
    const set = el("fieldset", { class: "share-group" }, el("legend", {}, heading));
    byView.set(view, set);
    for (const [key, c] of Object.entries(CONTROLS)) {
      if (c.views[0] !== view || COVERED.has(key)) continue;
      const also = c.views.length > 1 ? ` (also ${c.views.slice(1).map((v) => GROUPS[v]).join(", ")})` : "";
      const hide = checkbox(`hide-${key}`, "hide", false);
      const lock = checkbox(`lock-${key}`, "lock", false);
      hide.box.setAttribute("aria-label", `Hide ${c.name}`);
      lock.box.setAttribute("aria-label", `Lock ${c.name}`);
      rows.set(key, { hide: hide.box, lock: lock.box });
      set.append(el("div", { class: "share-row" }, el("span", { class: "share-name" }, c.name + also), hide.field, lock.field));
    }
    return set;
  });
  const link = el("textarea", { id: "share-link", readonly: "", rows: "3", "data-testid": "share-link", spellcheck: "false" });
  const said = el("p", { class: "note", "aria-live": "polite", "data-testid": "share-said" });
  const summary = el("p", { class: "share-summary", "data-testid": "share-summary" });
  const tryIt = el("a", { target: "_blank", rel: "noopener", "data-testid": "share-try" }, "Try the link as a student would ↗");
  const copy = button("Copy", () => copyField(link, said), { class: "primary", "data-testid": "share-copy" });
  const close = button("Close", () => dialog.close(), { "data-testid": "share-close" });
  const opensOn = el("div", { class: "grid-fields" }, el("div", { class: "field" }, el("label", { for: "share-view" }, "Opens on"), viewMenu), lessonField);
  const dialog = el("dialog", { id: "share-dialog", class: "share-dialog", "aria-labelledby": "share-title", "data-testid": "share-dialog" },
    el("h2", { id: "share-title" }, "Share a link to this page"),
    el("p", { class: "note" }, "The link opens the page as it is now. For a class, choose what students see: hidden controls are gone, locked ones are shown but cannot be changed."),
    opensOn,
    ask.field,
    fresh.field,
    ...groups,
    summary,
    el("label", { for: "share-link" }, "Link"),
    link,
    el("div", { class: "buttons" }, copy, close, tryIt),
    said,
  );
  document.body.append(dialog);

  /** The dialog's choices. */
  const choices = () => ({
    view: viewMenu.value,
    lesson: Number(lessonMenu.value),
    hide: [...rows].filter(([, r]) => r.hide.checked).map(([k]) => k),
    lock: [...rows].filter(([, r]) => r.lock.checked).map(([k]) => k),
    ask: ask.box.checked,
    fresh: fresh.box.checked,
  });

  function update() {
    lessonField.hidden = viewMenu.value !== "learn";
    const c = choices();
    // The view the link opens on comes first, after the class-wide choices: its controls are the ones a teacher sets.
    const first = byView.get(c.view);
    if (first && fresh.field.nextElementSibling !== first) fresh.field.after(first);
    link.value = shareLink(state(), c);
    tryIt.href = link.value;
    summary.textContent = summaryOf(c);
    said.textContent = "";
  }

  function show() {
    const s = state();
    viewMenu.value = s.view;
    lessonMenu.value = String(s.lesson);
    for (const [key, r] of rows) {
      r.hide.checked = s.hide.includes(key);
      r.lock.checked = s.lock.includes(key);
    }
    ask.box.checked = s.ask === 1;
    update();
    dialog.showModal();
  }

  dialog.addEventListener("input", (e) => e.target !== link && update());
  dialog.addEventListener("change", (e) => e.target !== link && update());
  dialog.addEventListener("close", () => open.focus());
  return { show, update };
}
