// Embeds of one experiment on one page compute it once: over a BroadcastChannel named by the
// experiment's key, the embeds starting together elect one (the lowest random id claims it), which
// computes and hands the results to the others; later embeds ask and get them from whoever has them.
// (Web Locks would elect more simply, but a third-party frame is often denied them.)

/** How long an embed listens for other embeds' claims before it decides, ms (a message takes well under 1 ms on one page). */
const LISTEN_MS = 250;

/**
 * The results of the experiment of key `key`: computed here by `compute()` (a Promise of the results)
 * when no other embed of this origin on the page has or is computing them, else received from the one
 * that does. Resolves to {results, by: "self" | "shared"}.
 */
export function sharedResults(key, compute) {
  if (typeof BroadcastChannel !== "function") return compute().then((results) => ({ results, by: "self" }));
  const channel = new BroadcastChannel(`promptlab:${key}`);
  const id = Math.random();
  let have = null;
  let computing = false;
  let deciding = true;
  let lower = false; // another embed with a lower id claimed it, or one is already computing
  return new Promise((resolve, reject) => {
    const run = async () => {
      computing = true;
      try {
        have = await compute();
      } catch (e) {
        computing = false;
        channel.postMessage({ type: "failed" });
        reject(e);
        return;
      }
      computing = false;
      channel.postMessage({ type: "results", results: have });
      resolve({ results: have, by: "self" });
    };
    channel.onmessage = ({ data }) => {
      if (!data?.type) return;
      if (data.type === "results" && !have) {
        have = data.results;
        resolve({ results: have, by: "shared" });
      } else if (data.type === "ask") {
        if (have) channel.postMessage({ type: "results", results: have });
        else if (computing) channel.postMessage({ type: "busy" });
        else if (deciding) channel.postMessage({ type: "claim", id });
      } else if (data.type === "busy" || (data.type === "claim" && data.id < id)) {
        lower = true;
      } else if (data.type === "failed" && !have && !computing) {
        // The one computing failed or left: the next to decide computes (this one at once, if it has decided).
        lower = false;
        if (!deciding) run();
      }
    };
    // An embed leaving while it computes frees the others to compute.
    addEventListener("pagehide", () => {
      if (computing) channel.postMessage({ type: "failed" });
    });
    channel.postMessage({ type: "ask" });
    channel.postMessage({ type: "claim", id });
    setTimeout(() => {
      deciding = false;
      if (!have && !lower) run();
    }, LISTEN_MS);
  });
}
