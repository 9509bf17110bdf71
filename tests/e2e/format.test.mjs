// One number format for the page: the readout and the legend agree on a value on the rounding edge, and the format itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load, sharedBrowser, settled, text } from "./browser.mjs";
import { nats, number, prob, probDiff } from "../../web/lib/format.js";

const browser = sharedBrowser();

test("one number format: the readout and the posterior legend show P = 3/32 alike", async () => {
  // Laplace's rule after 2 heads in 30 flips is 3/32 = 0.09375, on the rounding edge.
  const { page, problems } = await browser.newPage();
  const flips = `00${"1".repeat(28)}`;
  await load(page, `#view=predict&flips=${flips}`);
  await settled(page, flips);
  const readout = await text(page, "bayes-p0");
  const legend = await page.locator("#legend-posterior").textContent();
  const mean = /mean (\d\.\d{4}) = Bayes/.exec(legend)?.[1];
  assert.equal(readout, "0.0938");
  assert.equal(mean, readout, legend);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the page's number format rounds the binary noise away before its decimals", () => {
  assert.equal(prob(0.09375), "0.0938");
  assert.equal(prob(0.09374999999999999), "0.0938");
  assert.equal(prob(0.09375000000000001), "0.0938");
  assert.equal(prob(0.3), "0.3000");
  assert.equal(prob(NaN), "–");
  assert.equal(probDiff(-0.00004), "+0.0000");
  assert.equal(probDiff(-0.0123), "−0.0123");
  assert.equal(probDiff(0.0123), "+0.0123");
  assert.equal(nats(0.69314718), "0.6931");
  assert.equal(nats(2.8412), "2.841");
  assert.equal(nats(123.456), "123.5");
  assert.equal(nats(Infinity), "–");
  assert.equal(number(1.2000000000000002), "1.2");
  assert.equal(number(1e-9), "1e-9");
});
