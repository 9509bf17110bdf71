// The page's alert regions (role="alert") stay hidden, out of the accessibility tree, while they are
// empty, and show as soon as a message is written into them, whoever writes it.
/** Hides every role="alert" element under `root` while it holds no text, now and after every change. */
export function hideEmptyAlerts(root = document) {
  const alerts = [...root.querySelectorAll('[role="alert"]')];
  const fit = (el) => {
    const empty = el.textContent.trim() === "";
    if (el.hidden !== empty) el.hidden = empty;
  };
  const observer = new MutationObserver((changes) => {
    for (const c of changes) {
      const el = alerts.find((a) => a === c.target || a.contains(c.target));
      if (el) fit(el);
    }
  });
  for (const el of alerts) {
    fit(el);
    observer.observe(el, { childList: true, characterData: true, subtree: true });
  }
}
