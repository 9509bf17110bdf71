// One worker spoken to one request at a time: each request carries an id, and only the worker's reply
// with that id (or its error with that id) answers it; a worker that failed answers every request after with its failure.
import { errorFrom } from "./messages.js";

/**
 * Wraps `worker`: ask(message, replyType) posts `message` with a fresh `id` after the requests before it
 * are answered, and resolves to the worker's message of type `replyType` and that id (at once when
 * `replyType` is null); a {type: "error", id, problem} rejects it. Messages {type: "progress"} go to `onProgress`.
 */
export function connect(worker, onProgress = () => {}) {
  let chain = Promise.resolve();
  let pending = null;
  let dead = null; // the worker's own failure, once it had one
  let serial = 0;
  worker.onmessage = ({ data }) => {
    if (data.type === "progress") return onProgress(data);
    if (!pending || data.id !== pending.id) return;
    if (data.type === "error") pending.reject(errorFrom(data.problem));
    else if (data.type === pending.type) pending.resolve(data);
  };
  worker.onerror = (e) => {
    dead = new Error(`the engine's worker failed: ${e.message ?? "unknown error"}`);
    pending?.reject(dead);
  };
  const ask = (message, type) => {
    const run = () => new Promise((resolve, reject) => {
      if (dead) return reject(dead);
      const id = ++serial;
      worker.postMessage({ ...message, id });
      if (type === null) resolve(null);
      else pending = { id, type, resolve, reject };
    }).finally(() => {
      pending = null;
    });
    const next = chain.then(run, run);
    chain = next.catch(() => {});
    return next;
  };
  return { ask, worker };
}
