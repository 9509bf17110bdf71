// The page's one format for probabilities and nats: every such number on screen goes through here.

/** A number with the binary noise of its last bits rounded away (0.09375 whether it came as 0.09374999999999999 or 0.09375000000000001). */
const clean = (x) => Number(x.toPrecision(12));

/** A probability (or any value in [0, 1]) to 4 decimals; "–" when there is none. */
export function prob(x) {
  return Number.isFinite(x) ? clean(x).toFixed(4) : "–";
}

/** A signed difference of probabilities to 4 decimals ("+0.0123", "−0.0123"). */
export function probDiff(x) {
  if (!Number.isFinite(x)) return "–";
  const text = prob(Math.abs(x));
  return `${x >= 0 || Number(text) === 0 ? "+" : "−"}${text}`;
}

/** Nats: 4 decimals below 1, 3 up to 100, 1 beyond; "–" when there is none. */
export function nats(x) {
  if (!Number.isFinite(x)) return "–";
  const y = clean(x);
  return y.toFixed(Math.abs(y) >= 100 ? 1 : Math.abs(y) >= 1 ? 3 : 4);
}

/** Any other number as its shortest text, noise rounded away (1.2, 1e-9). */
export function number(x) {
  return String(clean(x));
}
