// The height an embed's frame needs in a blog column, measured: the embed page itself is loaded off-screen
// at the column's width, lays out the figure this page draws for it, and says how tall its content is.

/** Longest a measurement may take before the snippet keeps its estimate, ms. */
const TIMEOUT_MS = 10_000;

/** Measurements run one after another (each loads a frame). */
let queue = Promise.resolve();

/**
 * The content height, px, of the embed at `src` (an embed.html link of this origin) in a frame `column` px
 * wide, once it shows the figure `draw(width)` gives ({svg, data, stem}, or null when it cannot be drawn).
 * Resolves to null when it cannot be measured; the embed computes nothing meanwhile (it is opened with run=click).
 */
export function measureEmbed(src, column, draw) {
  const job = queue.then(() => measureNow(src, column, draw));
  queue = job.catch(() => null);
  return job;
}

async function measureNow(src, column, draw) {
  const url = new URL(src);
  if (url.origin !== location.origin) return null;
  url.hash = `${url.hash.replace(/^#/, "")}&run=click`;
  const frame = document.createElement("iframe");
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.title = "measuring an embed";
  frame.className = "embed-measure";
  frame.style.width = `${column}px`;
  try {
    const loaded = new Promise((resolve, reject) => {
      frame.addEventListener("load", resolve, { once: true });
      setTimeout(() => reject(new Error("the embed page did not load")), TIMEOUT_MS);
    });
    frame.src = url.href;
    document.body.append(frame);
    await loaded;
    const layout = frame.contentWindow?.promptlabEmbedLayout;
    if (!layout) return null;
    const drawn = await draw(layout.width());
    if (!drawn) return null;
    const height = layout.height(drawn);
    return Number.isFinite(height) && height > 0 ? height : null;
  } catch {
    return null;
  } finally {
    frame.remove();
  }
}
