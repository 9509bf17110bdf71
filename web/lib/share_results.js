// Embeds of one experiment on one page compute it once: the first to take a Web Lock named by the
// experiment's key computes it and hands the results to the others through a BroadcastChannel, late ones included.

/**
 * The results of the experiment of key `key`: computed here by `compute()` (a Promise of the results)
 * when no other embed of this origin has or is computing them, else received from the one that does.
 * Resolves to {results, by: "self" | "shared"}.
 */
export function sharedResults(key, compute) {
  if (typeof BroadcastChannel !== "function" || !navigator.locks) return compute().then((results) => ({ results, by: "self" }));
  const channel = new BroadcastChannel(`promptlab:${key}`);
  const stop = new AbortController();
  let have = null;
  return new Promise((resolve, reject) => {
    const take = (results, by) => {
      have = results;
      stop.abort();
      resolve({ results, by });
    };
    channel.onmessage = ({ data }) => {
      if (data?.type === "results" && !have) take(data.results, "shared");
      else if (data?.type === "ask" && have) channel.postMessage({ type: "results", results: have });
    };
    // The lock's holder computes and then keeps the lock while its page lives (it answers later asks);
    // a holder that failed lets it go, and the next one waiting tries.
    navigator.locks
      .request(`promptlab:${key}`, { signal: stop.signal }, async () => {
        if (have) return;
        const results = await compute();
        have = results;
        channel.postMessage({ type: "results", results });
        resolve({ results, by: "self" });
        await new Promise(() => {});
      })
      .catch((e) => {
        if (e?.name !== "AbortError") reject(e);
      });
    channel.postMessage({ type: "ask" });
  });
}
