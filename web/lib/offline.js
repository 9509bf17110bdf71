// The page's offline copy: registers the service worker (sw.js at the site root) and, when a newer build
// takes over while this page is open, shows a note with a Reload button (this page keeps its own version until then).

/**
 * Registers sw.js for the whole site; resolves to the registration, or null where there is none (never throws).
 * `notify: false` (an embedded figure) leaves out the note about a new version.
 */
export async function registerOffline({ notify = true } = {}) {
  if (!("serviceWorker" in navigator)) return null;
  const sw = navigator.serviceWorker;
  const hadController = Boolean(sw.controller);
  sw.addEventListener("controllerchange", () => {
    if (hadController && notify) showUpdateNote();
  });
  try {
    const url = new URL("../sw.js", import.meta.url);
    const registration = await sw.register(url, { scope: new URL("./", url).pathname, updateViaCache: "none" });
    document.documentElement.dataset.offline = "registered";
    return registration;
  } catch (e) {
    console.warn(`promptlab works online only here: the offline copy could not be set up (${e.message})`);
    return null;
  }
}

function showUpdateNote() {
  if (document.getElementById("update-note")) return;
  const note = document.createElement("p");
  note.id = "update-note";
  note.className = "stale-note";
  note.setAttribute("role", "status");
  note.dataset.testid = "update-note";
  note.append("A new version of promptlab is ready. ");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Reload";
  button.addEventListener("click", () => location.reload());
  note.append(button);
  document.body.prepend(note);
}
