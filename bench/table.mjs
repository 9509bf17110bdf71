// The bench's printed figures: the per-step table's columns, ratios, and the JSON lines the drivers print.

/** Widths of the per-step table's columns; the first is left-aligned, the others right-aligned. */
const STEP_WIDTHS = [42, 8, 8, 9, 10, 6, 10, 9];

/** One line of the per-step table from its eight cells (text). */
export function stepRow(cells) {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(STEP_WIDTHS[i]) : cell.padStart(STEP_WIDTHS[i]))).join(" ");
}

/** `a / b` to 2 decimals with an "x", from the printed figures `a` and `b`; "-" when either is not a number. */
export function ratio(a, b) {
  const number = /^[0-9.]+$/;
  return number.test(a) && number.test(b) ? `${(Number(a) / Number(b)).toFixed(2)}x` : "-";
}

/** The last line of a driver's output, parsed as JSON; null when it is not JSON. */
export function lastJsonLine(stdout) {
  try {
    return JSON.parse(stdout.trim().split("\n").pop());
  } catch {
    return null;
  }
}

/** The median ms per step of a bench command's output to 1 decimal, or "-" when it printed none. */
export function medianOf(stdout) {
  const median = lastJsonLine(stdout)?.ms_per_step_median;
  return typeof median === "number" && Number.isFinite(median) ? median.toFixed(1) : "-";
}
