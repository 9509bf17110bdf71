// The status line under the tabs: each view's last message, shown only while that view is shown,
// and the page's own messages (the engine's start) where a view has none.
import { $ } from "./dom.js";

/** view name → that view's last message. */
const byView = new Map();
/** The page's message; null keeps the line's text from the markup ("Loading the engine…"). */
let pageMessage = null;
let shown = null;

/** Writes `text` as the last message of `views` (names, e.g. ["prompt", "inside"]), or of the page with none. */
export function showStatus(text, views = []) {
  if (views.length === 0) pageMessage = text;
  for (const v of views) byView.set(v, text);
  render();
}

/** Shows the status of view `view` (call it whenever the shown view changes). */
export function showStatusOf(view) {
  shown = view;
  render();
}

function render() {
  const line = $("status");
  const own = shown !== null && byView.has(shown);
  if (own || pageMessage !== null) line.textContent = own ? byView.get(shown) : pageMessage;
  line.dataset.view = own ? shown : "";
}
