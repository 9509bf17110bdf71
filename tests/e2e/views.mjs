// Every view of the page brought to the state whose figures the checks read: Learn with chapters 1 and 6 answered,
// Predict with flips, Prompt after a small run, Inside after that run, Theory, Pretrain after a short run, an embed.
import { loadFresh, visit } from "./browser.mjs";

/** A small Prompt experiment: three tuners, two repetitions, a few steps (seconds on two cores). */
export const SMALL_RUN = "tsource=single&tbias=0.3&methods=HardPT,SoftPT,FullWT&plen=2&tsteps=10&tbatch=8&reps=2&tlength=20&elength=30&eseqs=16&promptseed=1";

/** Waits until every image in the page has decoded. */
const imagesDecoded = (page) => page.waitForFunction(() => [...document.querySelectorAll("img")].every((i) => i.complete && i.naturalWidth > 0));

/** Clicks Run in Prompt and waits for its results and figures. */
export async function runPrompt(page) {
  await page.evaluate(() => delete document.body.dataset.runSeconds);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds && document.body.dataset.promptRunning === "false", null, { timeout: 600_000 });
  await page.waitForFunction(() => document.getElementById("t-figures").children.length > 0);
  await imagesDecoded(page);
}

/**
 * The views in the order a test walks them, each `{name, root, open(page)}`: `open` brings the page to the
 * view's checked state (Inside after Prompt's run: it follows "prompt" on the same page); `root` the view's element.
 */
export const VIEWS = [
  {
    name: "learn",
    root: "#view-learn",
    async open(page) {
      await loadFresh(page, "#lesson=1&g1=0.7");
      await page.waitForFunction(() => document.querySelector("[data-testid=answer-1]")?.hidden === false);
      await page.waitForFunction(() => document.querySelectorAll("#view-learn figure svg").length > 0);
    },
  },
  {
    name: "learn-6",
    root: "#view-learn",
    async open(page) {
      await loadFresh(page, "#lesson=6&g6=shown");
      await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=lesson] .run-box")].filter((b) => b.dataset.state === "done").length === 2, null, { timeout: 300_000 });
      await page.waitForFunction(() => document.querySelector("[data-testid=lesson6-figure] figure :is(img, svg)"), null, { timeout: 60_000 });
      await imagesDecoded(page);
    },
  },
  {
    name: "predict",
    root: "#view-predict",
    async open(page) {
      await loadFresh(page, "#view=predict&source=single&bias=0.3&flips=0110100111");
      await page.waitForFunction(() => document.getElementById("readout").dataset.flips === "0110100111");
      await page.waitForFunction(() => document.querySelectorAll("#view-predict figure svg").length >= 2);
    },
  },
  {
    name: "prompt",
    root: "#view-prompt",
    async open(page) {
      await loadFresh(page, `#view=prompt&${SMALL_RUN}`);
      await runPrompt(page);
    },
  },
  {
    name: "inside",
    root: "#view-inside",
    async open(page) {
      await page.locator("#tab-inside").click();
      await page.waitForFunction(() => document.getElementById("inside-figures").children.length > 0);
      await imagesDecoded(page);
    },
  },
  {
    name: "theory",
    root: "#view-theory",
    async open(page) {
      await page.locator("#tab-theory").click();
      await page.waitForFunction(() => document.querySelectorAll("#view-theory figure svg").length >= 2);
    },
  },
  {
    name: "pretrain",
    root: "#view-pretrain",
    async open(page) {
      await loadFresh(page, "#view=pretrain&arch=lstm&width=16&steps=15&batch=16&length=50&lr=0.003&seed=1");
      await page.getByTestId("pt-start").click();
      await page.waitForFunction(() => document.querySelector("[data-testid=pt-step]").textContent === "15 / 15", null, { timeout: 120_000 });
      await page.waitForFunction(() => !document.querySelector("[data-testid=pt-start]").disabled);
    },
  },
];

/** Opens the embed page of the cumulative-regret figure of SMALL_RUN and waits for its live figure. */
export async function openEmbed(page) {
  await page.goto("about:blank");
  await visit(page, `embed.html#${SMALL_RUN}&embed=regret_cumulative`);
  await page.waitForFunction(() => document.body.dataset.live === "true", null, { timeout: 600_000 });
}
