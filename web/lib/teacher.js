// A teacher's link applied to the page: the controls of hide= keys taken off the page, those of lock=
// keys read-only with a "set by your teacher" note, kept so through every re-render, and changes to
// locked keys refused whatever route they come by.
import { CONTROLS, keysOf } from "./control_keys.js";
import { showStatus } from "./status.js";

/** What a locked group says, once. */
export const LOCKED_NOTE = "Set by your teacher.";

const FORM = "input, select, textarea, button";

/** The form controls of a matched element: itself, or those inside it. */
const formControls = (node) => (node.matches(FORM) ? [node] : [...node.querySelectorAll(FORM)]);

/** What hiding control `node` takes off the page: its whole field (label, input, note), or itself and its label. */
function fieldOf(node) {
  const field = node.closest(".field");
  if (field) return [field];
  const label = node.id ? document.querySelector(`label[for="${CSS.escape(node.id)}"]`) : null;
  return label ? [node, label] : [node];
}

/** The matched elements of `selectors`. */
const all = (selectors = []) => selectors.flatMap((s) => [...document.querySelectorAll(s)]);

/** The group a locked control's note belongs to: the page's header (the tabs), its fieldset, or the box it sits in. */
const groupOf = (node) => node.closest("header") ?? node.closest("fieldset, nav, .lesson-nav, .guess") ?? node.parentElement;

/**
 * The teacher's link on the page: `state()` is the page's state. apply() hides and locks the
 * controls (it runs by itself after every change of the page), allowed(change) is `change`
 * without the locked keys.
 */
export function createTeacher({ state }) {
  const hidden = () => keysOf(state().hide);
  const locked = () => keysOf(state().lock);
  let serial = 0;

  /** Hides and locks the controls of the state's hide= and lock= keys (changing only what differs). */
  function apply() {
    for (const key of hidden()) {
      const c = CONTROLS[key];
      if (!c) continue;
      for (const node of [...all(c.controls).flatMap(fieldOf), ...all(c.also)]) {
        if (!node.hidden) node.hidden = true;
        node.dataset.teacher = "hidden";
      }
    }
    for (const key of locked()) {
      const c = CONTROLS[key];
      if (!c) continue;
      for (const node of all(c.controls)) {
        for (const control of formControls(node)) {
          if (!control.disabled) control.disabled = true;
          control.dataset.teacher = "locked";
          noteFor(control);
        }
      }
    }
  }

  /** Says "set by your teacher" once in the group of a locked control, and points the control at it. */
  function noteFor(control) {
    const group = groupOf(control);
    if (!group) return;
    let note = group.matches("fieldset") ? group.querySelector(":scope > .teacher-note") : group.nextElementSibling?.matches(".teacher-note") ? group.nextElementSibling : null;
    if (!note) {
      note = document.createElement("p");
      note.className = "note teacher-note";
      note.id = `teacher-note-${++serial}`;
      note.dataset.testid = "teacher-note";
      note.textContent = LOCKED_NOTE;
      if (group.matches("fieldset")) group.append(note);
      else group.after(note);
    }
    const ids = (control.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
    if (!ids.includes(note.id)) control.setAttribute("aria-describedby", [...ids, note.id].join(" "));
  }

  /** `change` without the keys the link locks. */
  function allowed(change) {
    // A hidden key is as fixed as a locked one: its controls are gone, and no other route may change it (arrow keys, lab links).
    const keys = new Set([...locked(), ...hidden()]);
    if (keys.size === 0) return change;
    const kept = Object.fromEntries(Object.entries(change).filter(([k]) => !keys.has(k)));
    // Only a change that would have changed something is refused aloud (a redraw may restate a locked value).
    const s = state();
    const refused = Object.keys(change).filter((k) => keys.has(k) && JSON.stringify(change[k]) !== JSON.stringify(s[k]));
    if (refused.length) {
      document.body.dataset.lockRefused = String(Number(document.body.dataset.lockRefused ?? 0) + refused.length);
      const names = refused.map((k) => CONTROLS[k]?.name ?? k);
      showStatus(`${names.join(", ")}: ${LOCKED_NOTE.toLowerCase()}`, [s.view]);
    }
    return kept;
  }

  /** `next` (a state a link would open) with the current link's teacher keys and every locked key's value kept. */
  function keep(next) {
    const s = state();
    const kept = { ...next, hide: s.hide, lock: s.lock, ask: s.ask };
    for (const key of locked()) if (Object.hasOwn(s, key)) kept[key] = s[key];
    return kept;
  }

  // Views rebuild and re-enable their controls (a run's end, a chapter's render): apply again after every change.
  // (apply changes only what differs, so its own changes settle after one more pass.)
  const observer = new MutationObserver(() => apply());

  /** Starts applying the link: now, and after every change of the page (only when it hides or locks something). */
  function start() {
    apply();
    if (state().hide.length || state().lock.length) observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["disabled", "hidden"] });
  }

  return { apply, allowed, keep, start, isLocked: (key) => locked().has(key) };
}
