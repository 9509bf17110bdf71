// The bench's printed figures: table lines from (header, cell) pairs, ratios against goals, and the JSON lines the drivers print.

/** What a ratio cell says when the reference was not measured in this run. */
export const NOT_MEASURED = "not measured";

/**
 * Column widths for a table whose rows are [header, cell] pairs, from its first row: the first column `first`
 * characters, every other the longest of its header, its first cell and 8.
 */
export function widthsOf(pairs, first) {
  return pairs.map(([header, cell], i) => (i === 0 ? first : Math.max(header.length, cell.length, 8)));
}

/** One table line from [header, cell] pairs: the first column left-aligned, the others right-aligned to `widths`. */
function line(pairs, widths, pick) {
  return pairs.map((pair, i) => (i === 0 ? pick(pair).padEnd(widths[i]) : pick(pair).padStart(widths[i]))).join(" ");
}

/** The header line of a table whose rows are [header, cell] pairs. */
export function headerLine(pairs, widths) {
  return line(pairs, widths, ([header]) => header);
}

/** One row's line of a table whose rows are [header, cell] pairs. */
export function rowLine(pairs, widths) {
  return line(pairs, widths, ([, cell]) => cell);
}

/** A printed figure that is a number (ms or s), as opposed to "-", "refused" or "not measured". */
const isNumber = (text) => /^[0-9.]+$/.test(text);

/**
 * `a / b` to 2 decimals with an "x", from the printed figures `a` and `b`, and a trailing "!" when it is above `goal`;
 * "not measured" when `b` says so, "-" when either is not a number.
 */
export function ratio(a, b, goal = Infinity) {
  if (b === NOT_MEASURED) return NOT_MEASURED;
  if (!isNumber(a) || !isNumber(b)) return "-";
  const r = Number(a) / Number(b);
  return `${r.toFixed(2)}x${r > goal ? "!" : ""}`;
}

/** The last line of a driver's output, parsed as JSON; null when it is not JSON. */
export function lastJsonLine(stdout) {
  try {
    return JSON.parse(stdout.trim().split("\n").pop());
  } catch {
    return null;
  }
}

/** Field `key` (ms) of a bench command's JSON line to 1 decimal, or "-" when it printed none. */
export function msOf(stdout, key = "ms_per_step_median") {
  const ms = lastJsonLine(stdout)?.[key];
  return typeof ms === "number" && Number.isFinite(ms) ? ms.toFixed(1) : "-";
}

/** The median ms per step of a bench command's output to 1 decimal, or "-" when it printed none. */
export const medianOf = (stdout) => msOf(stdout, "ms_per_step_median");
