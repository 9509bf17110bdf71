// The "Your own flips" box of the Predict view: pasted or uploaded flips read by the engine, and the flips with every prediction saved as CSV.
import { max_flips, parse_flips, predictions_csv } from "../pkg/promptlab.js";
import { $ } from "./dom.js";
import { download } from "./download.js";
import { runFileName } from "./file_names.js";
import { messageOf } from "./messages.js";
import { flipCount } from "./settings_words.js";

/** Largest file read (bytes): ten thousand flips with separators take a small part of it. */
export const MAX_FILE_BYTES = 1_000_000;

/** What the error line adds when Download is pressed while the box's text is refused. */
const NOT_SAVED = "No file was downloaded.";

/** Bytes in words: "1,000,001 bytes". */
const sizeWords = (bytes) => `${bytes.toLocaleString("en-US")} bytes`;

/**
 * Wires the box. `state()` is the page state, `commit(change)` applies a change and recomputes the
 * view, `shown()` the last drawn predictions `{flips, bayes, net}` (the engine's rows, either may be null).
 * Returns {showLimit}.
 */
export function bindOwnFlips({ state, commit, shown }) {
  const box = $("own-flips-text");

  /** Refuses (text) or accepts (null) beside the box; a refusal changes nothing else. */
  function say(problem, engineLine = "") {
    const line = $("own-flips-error");
    line.textContent = problem ?? "";
    line.dataset.engine = engineLine;
    if (problem) {
      box.setAttribute("aria-invalid", "true");
      box.setAttribute("aria-describedby", "own-flips-error");
      $("own-flips-note").textContent = "";
    } else {
      box.removeAttribute("aria-invalid");
      box.removeAttribute("aria-describedby");
    }
  }

  function use(text) {
    let flips;
    try {
      flips = parse_flips(text);
    } catch (e) {
      say(typeof e?.sentence === "string" ? e.sentence : messageOf(e), messageOf(e));
      return;
    }
    say(null);
    commit({ flips });
    // Said only once the page took them (a teacher's link may lock the flips).
    if (state().flips !== flips) return;
    const heads = [...flips].filter((t) => t === "0").length;
    $("own-flips-note").textContent = `Read ${flips.length} flip${flips.length === 1 ? "" : "s"} (${heads} H, ${flips.length - heads} T); the figures above show them.`;
  }

  async function upload() {
    const input = $("own-flips-file");
    const file = input.files?.[0];
    // Clearing the input lets the same file be chosen again after an edit.
    input.value = "";
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      say(`The file “${file.name}” is ${sizeWords(file.size)}; files up to ${sizeWords(MAX_FILE_BYTES)} (1 MB) are read.`);
      return;
    }
    let text;
    try {
      text = await file.text();
    } catch (e) {
      say(`The file “${file.name}” could not be read: ${messageOf(e)}`);
      return;
    }
    box.value = text;
    use(text);
  }

  function saveCsv() {
    const { flips, bayes, net, drawn } = shown();
    const line = $("own-flips-error");
    // While the box's text stands refused, a CSV of the earlier flips would pass for the refused ones.
    if (box.getAttribute("aria-invalid") === "true") {
      const before = flips.length === 0 ? "no flips yet" : `the ${flipCount(flips)} from before`;
      if (!line.textContent.includes(NOT_SAVED)) line.textContent = `${line.textContent} ${NOT_SAVED} The figures still show ${before}: fix the text and press “Use these flips”, or clear the box.`;
      return;
    }
    if (!bayes) {
      line.textContent = "There are no predictions to save yet: fix the source first.";
      return;
    }
    try {
      const csv = predictions_csv(flips, bayes.map((row) => row[0]), net ? net.map((row) => row[0]) : undefined);
      download(runFileName("predict", drawn ?? state(), "predictions", "csv"), new Blob([csv], { type: "text/csv" }));
    } catch (e) {
      line.textContent = messageOf(e);
    }
  }

  $("own-flips-use").addEventListener("click", () => use(box.value));
  $("own-flips-file").addEventListener("change", upload);
  $("predictions-csv").addEventListener("click", saveCsv);

  return {
    /** Writes the engine's limit into the box's note (once the engine is loaded). */
    showLimit: () => ($("own-flips-max").textContent = max_flips().toLocaleString("en-US")),
  };
}
