// The engine's SVG on the page, in headless Chromium: the allowlist sanitiser lets no hostile markup
// through and every engine figure through whole; the HTML legend draws each series in the engine's
// dash; the page lets go of the figures of runs it no longer shows; a live chart's y title fits its plot.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { engine, ROOT } from "../common/engine.mjs";
import { load, sharedBrowser } from "./browser.mjs";

const browser = sharedBrowser();

const NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
/** Markup that must not survive: each would run script, load something, or style the page. */
const HOSTILE = [
  `<svg ${NS}><a><set attributeName="href" to="java&#10;script:window.pwned=1"/><text x="5" y="5">click</text></a></svg>`,
  `<svg ${NS}><a href="#"><animate attributeName="href" values="java&#9;script:window.pwned=1"/><text>click</text></a></svg>`,
  `<svg ${NS} onload="window.pwned=1"><rect width="5" height="5"/></svg>`,
  `<svg ${NS}><image href="javascript:window.pwned=1" width="5" height="5"/></svg>`,
  `<svg ${NS}><image xlink:href="http://example.com/x.png" width="5" height="5"/></svg>`,
  `<svg ${NS}><use xlink:href="http://example.com/x.svg#a"/><use href="#b"/></svg>`,
  `<svg ${NS}><h:img xmlns:h="http://www.w3.org/1999/xhtml" src="x" onerror="window.pwned=1"/></svg>`,
  `<svg ${NS}><style>body { display: none }</style><rect style="fill:url(http://example.com/a)" width="5" height="5"/></svg>`,
  `<svg ${NS}><script>window.pwned=1</script><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>`,
  `<svg ${NS}><rect fill="url( http://example.com/a.svg#x)" stroke="u&#10;rl(//example.com/b)" clip-path="url(#ok)" width="5" height="5" onclick="window.pwned=1"/></svg>`,
  `<svg ${NS}><text x="1" y="1" xml:base="javascript:" filter="url(data:image/svg+xml,x)" mask="url(#m)">a<!-- c --><?pi x?></text></svg>`,
  `<svg ${NS}><x:svg xmlns:x="urn:other"><x:script>window.pwned=1</x:script></x:svg><iframe src="javascript:1"/></svg>`,
];
/** What none of the sanitised outputs may contain (lower-cased). */
const FORBIDDEN = ["script", "href", "onload", "onerror", "onclick", "<a", "<set", "<animate", "<image", "<use", "<img", "<style", "style=", "foreignobject", "iframe", "example.com", "data:", "xml:base", "<!--", "<?", "urn:other", "filter=", "mask="];

test("the sanitiser keeps no hostile element, attribute or link, and clicking what is left runs nothing", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict");
  // Chromium reports the handlers and styles of the hostile text to the page's CSP as DOMParser reads it
  // (that document runs nothing); what the sanitiser hands on must raise no report when shown and clicked.
  await page.evaluate(async (inputs) => {
    const { parseSvg } = await import(new URL("lib/engine_svg.js", location.href).href);
    window.sanitised = inputs.map((text) => parseSvg(text));
  }, HOSTILE);
  await page.waitForTimeout(200);
  const parsing = problems.splice(0);
  assert.ok(parsing.every((p) => /Content Security Policy/.test(p)), parsing.join("\n"));
  const outs = await page.evaluate(() => window.sanitised.map((svg) => {
    document.body.append(svg);
    for (const e of [svg, ...svg.querySelectorAll("*")]) {
      e.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
      e.dispatchEvent(new Event("load"));
    }
    const out = { html: svg.outerHTML, ns: [svg, ...svg.querySelectorAll("*")].every((e) => e.namespaceURI === "http://www.w3.org/2000/svg") };
    svg.remove();
    return out;
  }));
  await page.waitForTimeout(200);
  for (const [i, out] of outs.entries()) {
    const lower = out.html.toLowerCase();
    for (const bad of FORBIDDEN) assert.ok(!lower.includes(bad), `payload ${i} kept ${bad}: ${out.html}`);
    assert.ok(out.ns, `payload ${i}: an element outside the SVG namespace: ${out.html}`);
  }
  // What is harmless stays: the rect's size and its url(#ok) clip, the text's words.
  assert.match(outs[9].html, /<rect width="5" height="5" clip-path="url\(#ok\)"><\/rect>|<rect clip-path="url\(#ok\)" width="5" height="5"><\/rect>/);
  assert.match(outs[10].html, /<text x="1" y="1">a<\/text>/);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.evaluate(() => document.body.style.display), "");
  assert.deepEqual(problems, [], "showing and clicking the sanitised figures raised nothing");
  // Text that is not an SVG document is refused with a clear error.
  const refused = await page.evaluate(async () => {
    const { parseSvg } = await import(new URL("lib/engine_svg.js", location.href).href);
    return ["<html/>", "<svg", '<svg xmlns="urn:not-svg"/>'].map((t) => {
      try {
        parseSvg(t);
        return "accepted";
      } catch (e) {
        return e.message;
      }
    });
  });
  assert.deepEqual(refused, Array(3).fill("the engine's figure is not a readable SVG"));
  // (Chromium's parse-error document styles its message inline, which the CSP reports too.)
  await page.waitForTimeout(200);
  const refusing = problems.splice(0);
  assert.ok(refusing.every((p) => /Content Security Policy/.test(p)), refusing.join("\n"));
  assert.deepEqual(problems, []);
  await page.close();
});

/** Every engine figure of a small experiment on the shipped LSTM, as SVG text: with and without chrome, at two widths, and with every method hidden. */
function engineSvgs() {
  const dir = path.join(ROOT, "www", "models", "lstm");
  const config = fs.readFileSync(path.join(ROOT, "tests", "wasm", "experiment.json"), "utf8");
  const session = new engine.ExperimentSession(config, fs.readFileSync(path.join(dir, "config.json"), "utf8"), new Uint8Array(fs.readFileSync(path.join(dir, "model.safetensors"))));
  const finished = new Map();
  for (const job of session.jobs()) {
    if (!finished.has(job.method)) finished.set(job.method, []);
    finished.get(job.method)[job.repetition] = session.run_job(job.method, job.repetition, () => {});
  }
  const results = session.assemble([...finished].map(([method, repetitions]) => ({ method, repetitions })), Date.now());
  session.free();
  const set = new engine.FigureSet(results);
  const everyone = results.methods.map((m) => m.method);
  const out = [];
  for (const name of set.names()) {
    for (const options of [{ width: 800, chrome: true }, { width: 340, chrome: false }, { width: 600, chrome: true, hidden: everyone }]) {
      out.push({ name: `${name} ${JSON.stringify(options)}`, svg: set.figure(name, options).svg });
    }
  }
  set.free();
  return out;
}

test("every engine figure comes through the sanitiser whole: the same elements, attributes and text", async () => {
  const figures = engineSvgs();
  assert.ok(figures.length >= 24, `${figures.length} figures`);
  const { page, problems } = await browser.newPage();
  await load(page, "#view=predict");
  const compared = await page.evaluate(async (list) => {
    const { parseSvg } = await import(new URL("lib/engine_svg.js", location.href).href);
    /** Each element as its name, its attributes (but xmlns) and its own text. */
    const shape = (root) => [root, ...root.querySelectorAll("*")].map((e) => [
      e.localName,
      [...e.attributes].filter((a) => a.name !== "xmlns").map((a) => `${a.name}=${a.value}`).sort().join(" "),
      [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join(""),
    ].join("|"));
    return list.map(({ name, svg }) => {
      const raw = shape(new DOMParser().parseFromString(svg, "image/svg+xml").documentElement);
      const kept = shape(parseSvg(svg));
      const lost = raw.filter((r, i) => kept[i] !== r);
      return { name, elements: raw.length, kept: kept.length, lost: lost.slice(0, 3) };
    });
  }, figures);
  for (const c of compared) {
    assert.ok(c.elements > 5, `${c.name}: ${c.elements} elements`);
    assert.equal(c.kept, c.elements, `${c.name}: kept ${c.kept} of ${c.elements} elements`);
    assert.deepEqual(c.lost, [], c.name);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

/** A small Prompt run with the baselines that share a grey (PreBayes dashed, PreBayesPT dotted). */
const RUN = "#view=prompt&tsource=single&tbias=0.3&methods=SoftPT,EmbedWT&plen=2&tsteps=5&tbatch=8&reps=1&elength=20&eseqs=16&seed=3";

async function run(page) {
  await page.evaluate(() => delete document.body.dataset.runSeconds);
  await page.getByTestId("t-run").click();
  await page.waitForFunction(() => document.body.dataset.runSeconds, null, { timeout: 300_000 });
  await page.waitForSelector("[data-testid=figure-regret_cumulative_target] .fig-host svg");
}

test("an engine figure's HTML legend draws each series in the engine's dash, and bars as the engine draws them", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, RUN);
  await run(page);
  // The figures drawn so far (those of the hidden Inside view draw when it shows).
  const legends = await page.evaluate(() => [...document.querySelectorAll(".engine-figure")].filter((fig) => fig.querySelector(".engine-box").figureData).map((fig) => {
    const data = fig.querySelector(".engine-box").figureData;
    const items = [...fig.querySelectorAll(".legend .legend-item")];
    return {
      name: fig.dataset.name,
      series: data.series.map((s, i) => {
        const sw = items[i]?.querySelector("svg");
        return {
          key: s.key, dash: s.dash, swatch: s.swatch, colour: s.colour,
          lineDash: sw?.querySelector("line")?.getAttribute("stroke-dasharray") ?? null,
          rects: [...(sw?.querySelectorAll("rect") ?? [])].map((r) => ({ fill: r.getAttribute("fill"), opacity: Number(r.getAttribute("fill-opacity") ?? 1), stroke: r.getAttribute("stroke"), dash: r.getAttribute("stroke-dasharray") })),
          hatches: sw?.querySelectorAll("line").length ?? 0,
        };
      }),
    };
  }));
  const regret = legends.find((l) => l.name === "regret_cumulative_target.svg");
  assert.ok(regret, legends.map((l) => l.name).join());
  const dashOf = (key) => regret.series.find((s) => s.key === key)?.lineDash;
  assert.equal(dashOf("PreBayes"), engine.method_style("PreBayes").dash);
  assert.equal(dashOf("PreBayesPT"), engine.method_style("PreBayesPT").dash);
  assert.notEqual(dashOf("PreBayes"), dashOf("PreBayesPT"), "the dashed and the dotted grey differ");
  assert.equal(dashOf("SoftPT"), "none");
  let bars = 0;
  for (const l of legends) {
    for (const s of l.series) {
      if (s.swatch === "bar") {
        bars += 1;
        if (s.dash) {
          // Pale, with an outline in the series' colour: hatched (dashes) or dotted (dots).
          assert.ok(s.rects.some((r) => r.fill === s.colour && r.opacity < 0.2), `${l.name} ${s.key}: ${JSON.stringify(s)}`);
          assert.ok(s.rects.some((r) => r.fill === "none" && r.stroke === s.colour), `${l.name} ${s.key}: no outline`);
          assert.ok(s.hatches > 0 || s.rects.some((r) => r.dash === s.dash), `${l.name} ${s.key}: neither hatched nor dotted`);
        } else {
          assert.ok(s.rects.length === 1 && s.rects[0].fill === s.colour && s.rects[0].opacity === 1, `${l.name} ${s.key}: ${JSON.stringify(s)}`);
        }
      } else if (s.swatch === "line" || s.swatch === "band") {
        assert.equal(s.lineDash, s.dash ?? "none", `${l.name} ${s.key}`);
      }
    }
  }
  assert.ok(bars >= 4, `${bars} bar swatches`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("runs replaced by newer runs let their figures go: the page holds only the figures it shows", async () => {
  const { page, problems } = await browser.newPage();
  await load(page, RUN);
  const held = () => page.evaluate(async () => {
    const { held: count } = await import(new URL("lib/engine_figure.js", location.href).href);
    return { ...count(), onPage: document.querySelectorAll(".engine-figure").length };
  });
  await run(page);
  const first = await held();
  assert.ok(first.onPage >= 5, JSON.stringify(first));
  for (let i = 0; i < 2; i++) {
    await run(page);
    await page.waitForTimeout(300);
  }
  // The next figure made prunes the ones no longer on the page (the Inside view makes its own on each run).
  const after = await held();
  assert.equal(after.onPage, first.onPage);
  assert.ok(after.figures <= after.onPage, `held ${after.figures} figures for ${after.onPage} on the page`);
  assert.equal(after.sets, 1, "one FigureSet: the last run's");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a live chart's y title fits the plot's height: its short form, else cut with an ellipsis; the Theory reach chart's at 1280 and 360 px", async () => {
  for (const width of [1280, 360]) {
    const { page, problems } = await browser.newPage({ width });
    await load(page, "#view=theory");
    await page.waitForSelector("#chart-reach svg");
    const reach = await page.evaluate(() => {
      const box = document.getElementById("chart-reach");
      const title = [...box.querySelectorAll("svg text")].find((t) => t.getAttribute("transform")?.startsWith("rotate"));
      return { text: title.textContent, length: title.getBBox().width, plot: box.figureData.plot.height, label: box.figureData.y.label };
    });
    assert.equal(reach.text, "nats over TargetBayes", `${width} px`);
    assert.equal(reach.label, "excess regret, nats over TargetBayes", "the data keeps the whole title");
    assert.ok(reach.length <= reach.plot, `${width} px: a ${reach.length} px title on a ${reach.plot} px plot`);
    const drawn = await page.evaluate(async () => {
      const { drawChart } = await import(new URL("charts.js", location.href).href);
      const box = document.createElement("div");
      box.style.width = "400px";
      document.body.append(box);
      const title = (spec) => {
        drawChart(box, { title: "t", xLabel: "x", x: [0, 1], y: [0, 1], height: 120, ...spec });
        return [...box.querySelectorAll("svg text")].find((t) => t.getAttribute("transform")?.startsWith("rotate")).textContent;
      };
      const out = {
        fits: title({ yLabel: "nats" }),
        short: title({ yLabel: "a title far longer than a 70 px plot is high", yLabelShort: "short" }),
        cut: title({ yLabel: "a title far longer than a 70 px plot is high" }),
        shortCut: title({ yLabel: "a title far longer than a 70 px plot is high", yLabelShort: "still far too long here" }),
        plot: box.figureData.plot.height,
      };
      box.remove();
      return out;
    });
    assert.equal(drawn.fits, "nats");
    assert.equal(drawn.short, "short");
    for (const cut of [drawn.cut, drawn.shortCut]) {
      assert.ok(cut.endsWith("…") && cut.length * 6.6 <= drawn.plot, `${cut} on a ${drawn.plot} px plot`);
    }
    assert.ok(drawn.shortCut.startsWith("still"), "the short form is the one cut");
    assert.deepEqual(problems, []);
    await page.close();
  }
});
