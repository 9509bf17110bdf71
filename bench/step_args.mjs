// The command line the Node and Chromium step drivers share: CONFIG.json [STEPS] [WARMUP].
import fs from "node:fs";

/** A whole number ≥ `min` from the text `arg`, or null. */
export function count(arg, min) {
  return /^\d+$/.test(arg) && Number(arg) >= min ? Number(arg) : null;
}

/**
 * {configText, steps, warmup} from this process's arguments (STEPS 10 and WARMUP 2 when left out);
 * on bad arguments prints `usage` and exits with status 2.
 */
export function stepArgs(usage) {
  const [configPath, stepsArg = "10", warmupArg = "2"] = process.argv.slice(2);
  const steps = count(stepsArg, 1);
  const warmup = count(warmupArg, 0);
  if (!configPath || steps === null || warmup === null) {
    console.error(`usage: ${usage} CONFIG.json [STEPS ≥ 1] [WARMUP ≥ 0]`);
    process.exit(2);
  }
  let configText;
  try {
    configText = fs.readFileSync(configPath, "utf8");
  } catch (e) {
    console.error(`error: cannot read ${configPath}: ${e.message}`);
    process.exit(2);
  }
  return { configText, steps, warmup };
}
