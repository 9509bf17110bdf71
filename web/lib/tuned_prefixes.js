// The prefixes a Prompt run tuned, as the Predict view offers them: each prefix tuner's best
// repetition, turned into a prefix spec the engine's model_predict reads.

/** Whether `method` tunes a prefix (the other tuners change the network's weights). */
export function isPrefixTuner(method) {
  return ["HardPT", "SimplexPT", "RealPT", "SoftPT"].includes(method);
}

/**
 * The repetition with a prefix that did not diverge and has the lowest mean tuning loss over its
 * last 10 steps, as {r, i, score} (i from 0), or null.
 */
export function bestRepetition(repetitions) {
  let best = null;
  repetitions.forEach((r, i) => {
    if (!r.prefix || r.diverged) return;
    const tail = r.tuning_loss.slice(-10);
    const score = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
    if (Number.isFinite(score) && (!best || score < best.score)) best = { r, i, score };
  });
  return best;
}

/** The hard prompt a HardPT prefix stands for: each row's most likely token, as digits. */
export function hardTokens(rows) {
  return rows.map((row) => String(row.indexOf(Math.max(...row)))).join("");
}

/** The engine's prefix spec ({kind: "hard", tokens} or {kind: "soft" | "real", rows}) of a tuner's prefix rows. */
export function prefixSpec(method, rows) {
  return method === "HardPT" ? { kind: "hard", tokens: hardTokens(rows) } : { kind: method === "SoftPT" ? "soft" : "real", rows };
}

/**
 * Each prefix tuner's best prefix in a run's results, in the results' order:
 * [{method, repetition (from 0), repetitions (how many ran), rows, spec}].
 */
export function bestPrefixes(results) {
  const out = [];
  for (const m of results.methods) {
    if (!isPrefixTuner(m.method)) continue;
    const best = bestRepetition(m.repetitions);
    if (!best) continue;
    const rows = best.r.prefix;
    out.push({ method: m.method, repetition: best.i, repetitions: m.repetitions.length, rows, spec: prefixSpec(m.method, rows) });
  }
  return out;
}
