// One worker spoken to one request at a time: each request waits for its reply (or the worker's error).
import { errorFrom } from "./messages.js";

/**
 * Wraps `worker`: ask(message, replyType) posts `message` after the requests before it are answered and
 * resolves to the next message of type `replyType` (at once when it is null); a {type: "error", problem}
 * rejects the pending request. Messages {type: "progress"} go to `onProgress`.
 */
export function connect(worker, onProgress = () => {}) {
  let chain = Promise.resolve();
  let pending = null;
  worker.onmessage = ({ data }) => {
    if (data.type === "progress") return onProgress(data);
    if (!pending) return;
    if (data.type === "error") pending.reject(errorFrom(data.problem));
    else if (data.type === pending.type) pending.resolve(data);
  };
  worker.onerror = (e) => pending?.reject(new Error(`the engine's worker failed: ${e.message ?? "unknown error"}`));
  const ask = (message, type) => {
    const run = () => new Promise((resolve, reject) => {
      if (type === null) {
        worker.postMessage(message);
        resolve(null);
        return;
      }
      pending = { type, resolve, reject };
      worker.postMessage(message);
    }).finally(() => {
      pending = null;
    });
    const next = chain.then(run, run);
    chain = next.catch(() => {});
    return next;
  };
  return { ask, worker };
}
