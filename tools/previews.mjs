// Build-time previews of embed links: each link of web/previews.json rendered by the native `promptlab`
// from the same config the embed computes, at the engine's default width and at a phone's, copied into
// www/previews/ with index.json (preview key → file, width, height, title, the narrow file, link). Runs are cached in target/previews/ by engine hash and config.
// Usage (from the repository root, after the native build and www/models): node tools/previews.mjs ENGINE_HASH
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import * as S from "../web/state.js";
import { experimentText, hashText, predictText, previewKey } from "../web/lib/config_key.js";
import { embedName, isPredictFigure } from "../web/lib/embed_name.js";

const engine = process.argv[2] ?? "dev";
const BIN = "target/release/promptlab";
const OUT = "www/previews";
const CACHE = "target/previews";

/** The narrow width every preview is also drawn at (a phone's column), px; the wide one is the engine's default. */
const NARROW = 360;

/** The run directory of `text` (what the figures are computed from), made by `run(dir)` unless cached. */
function cached(text, run) {
  const dir = path.join(CACHE, hashText(`${engine}\n${text}`));
  if (!fs.existsSync(path.join(dir, "done"))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    run(dir);
    fs.writeFileSync(path.join(dir, "done"), "");
  } else {
    console.log(`  cached ${dir}`);
  }
  return dir;
}

function experimentRun(state) {
  return cached(experimentText(state), (dir) => {
    const config = path.join(dir, "config.json");
    fs.writeFileSync(config, S.experimentConfigJson(state));
    execFileSync(BIN, ["experiment", "--config", config, "--model", `www/models/${state.tmodel}`, "--out", dir], { stdio: ["ignore", "ignore", "inherit"] });
    const results = path.join(dir, "results.json");
    execFileSync(BIN, ["figures", "--results", results, "--out", path.join(dir, "narrow"), "--width", String(NARROW)], { stdio: ["ignore", "ignore", "inherit"] });
  });
}

function predictRun(state) {
  return cached(predictText(state), (dir) => {
    const args = ["predict", "--source", S.sourceJson(state), "--tokens", state.flips, "--model", `www/models/${state.model}`];
    if (state.hard) args.push("--hard", state.hard);
    execFileSync(BIN, [...args, "--figures", dir], { stdio: ["ignore", "ignore", "inherit"] });
    execFileSync(BIN, [...args, "--figures", path.join(dir, "narrow"), "--width", String(NARROW)], { stdio: ["ignore", "ignore", "inherit"] });
  });
}

function main() {
  const { links } = JSON.parse(fs.readFileSync("web/previews.json", "utf8"));
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const index = {};
  for (const { link, figures } of links) {
    const { state, problems } = S.parse(link, { anyMethods: true });
    if (problems.length) throw new Error(`web/previews.json: link "${link}": ${problems.join("; ")}`);
    const runs = {};
    for (const name of figures) {
      const kind = isPredictFigure(name) ? "predict" : "experiment";
      runs[kind] ??= kind === "predict" ? predictRun(state) : experimentRun(state);
      const dir = runs[kind];
      const stem = fs.readdirSync(dir).filter((f) => f.endsWith(".svg")).map((f) => f.slice(0, -4)).sort().find((s) => embedName(s) === name);
      if (!stem) {
        console.log(`  ${name} of "${link}": the run has no such figure; skipped`);
        continue;
      }
      const key = previewKey(state, name);
      const drawn = (from, file) => {
        const data = JSON.parse(fs.readFileSync(path.join(from, `${stem}.json`), "utf8"));
        fs.copyFileSync(path.join(from, `${stem}.svg`), path.join(OUT, file));
        return { file, width: data.width, height: data.height, title: data.title };
      };
      const wide = drawn(dir, `${key}.svg`);
      const narrow = drawn(path.join(dir, "narrow"), `${key}-${NARROW}.svg`);
      index[key] = { ...wide, narrow, link: `${link ? `${link}&` : "#"}embed=${name}`.replace("#&", "#") };
    }
  }
  fs.writeFileSync(path.join(OUT, "index.json"), JSON.stringify(index, null, 1));
  console.log(`www/previews: ${Object.keys(index).length} previews`);
}

main();
