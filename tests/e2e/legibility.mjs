// The legibility scan of a page's figures: every SVG <text>'s rendered size in CSS px and its box, texts
// under 11 px, overlapping texts, texts outside their SVG, and HTML legends over their chart.
import fs from "node:fs";
import path from "node:path";
import { SHOTS } from "./browser.mjs";

/** The smallest text size allowed in a figure, in CSS px at 1× device pixel ratio. */
export const MIN_TEXT_PX = 11;

/**
 * Keeps every Blob the page turns into an object URL, so the scan can read an engine figure shown as
 * `<img src=blob:…>` without a fetch the page's CSP may refuse. Call before the page loads.
 */
export async function keepBlobs(page) {
  await page.addInitScript(() => {
    const blobs = new Map();
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (blob) => {
      const url = create(blob);
      if (blob instanceof Blob) blobs.set(url, blob);
      return url;
    };
    Object.defineProperty(window, "__keptBlobs", { value: blobs });
  });
}

/**
 * Scans every visible `<figure>` under the element matching `root`: its inline SVGs, and each SVG image
 * (`<img>` of SVG text) copied inline at the image's displayed size into a rendered container off screen,
 * measured and removed. Returns {figures: [{name, texts, smallest, small, overlaps, outside, legendOverChart}],
 * texts, smallest, small, overlaps, outside, legendOverChart}: `small` the texts under MIN_TEXT_PX
 * ("text" at size px), `overlaps` the pairs of text boxes that intersect by over 1 px both ways, `outside`
 * the texts whose box leaves their SVG by over 1 px, `legendOverChart` the HTML legends whose box meets the chart's.
 */
export async function scanFigures(page, root = "main") {
  return page.evaluate(
    async ([root, min]) => {
      const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
      const box = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
      const meet = (a, b, by = 1) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > by && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > by;
      const round = (v) => Math.round(v * 100) / 100;

      /** The texts of one rendered SVG: words, size in CSS px, box; overlapping pairs; those outside it. */
      function measure(svg) {
        const frame = svg.getBoundingClientRect();
        const texts = [];
        for (const t of svg.querySelectorAll("text")) {
          const words = t.textContent.trim();
          if (!words || !visible(t)) continue;
          const r = t.getBoundingClientRect();
          if (r.width === 0 && r.height === 0) continue;
          const m = t.getScreenCTM();
          const scale = m ? Math.hypot(m.a, m.b) : 1;
          texts.push({ words, px: round(parseFloat(getComputedStyle(t).fontSize) * scale), box: box(r) });
        }
        const same = (a, b) => a.words === b.words && ["left", "top", "right", "bottom"].every((k) => Math.abs(a.box[k] - b.box[k]) < 0.5);
        const overlaps = [];
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            // An exact copy under a text is a halo, not a second label.
            if (!same(texts[i], texts[j]) && meet(texts[i].box, texts[j].box)) overlaps.push(`"${texts[i].words}" × "${texts[j].words}"`);
          }
        }
        const outside = texts
          .filter((t) => t.box.left < frame.left - 1 || t.box.top < frame.top - 1 || t.box.right > frame.right + 1 || t.box.bottom > frame.bottom + 1)
          .map((t) => `"${t.words}"`);
        return { texts, overlaps, outside };
      }

      /** The SVG text behind image `img`, or null when it shows no SVG. */
      async function svgTextOf(img) {
        const kept = window.__keptBlobs?.get(img.currentSrc || img.src);
        if (kept) return kept.type.includes("svg") ? kept.text() : null;
        try {
          const response = await fetch(img.currentSrc || img.src);
          return (response.headers.get("content-type") ?? "").includes("svg") || /\.svg($|\?)/.test(img.src) ? response.text() : null;
        } catch {
          return null;
        }
      }

      /** Measures the SVG text `source` drawn at `width` × `height` CSS px, as an image of it shows it. */
      function measureCopy(source, width, height) {
        const doc = new DOMParser().parseFromString(source, "image/svg+xml");
        const svg = document.importNode(doc.documentElement, true);
        for (const s of svg.querySelectorAll("script, foreignObject")) s.remove();
        if (!svg.getAttribute("viewBox")) {
          const w = parseFloat(svg.getAttribute("width"));
          const h = parseFloat(svg.getAttribute("height"));
          if (w > 0 && h > 0) svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
        }
        svg.setAttribute("width", String(width));
        svg.setAttribute("height", String(height));
        const holder = document.createElement("div");
        Object.assign(holder.style, { position: "absolute", left: "-30000px", top: "0", width: `${width}px`, height: `${height}px`, overflow: "visible" });
        holder.append(svg);
        document.body.append(holder);
        try {
          return measure(svg);
        } finally {
          holder.remove();
        }
      }

      const figures = [];
      const scope = document.querySelector(root) ?? document.body;
      for (const fig of scope.querySelectorAll("figure")) {
        if (!visible(fig)) continue;
        const name = fig.dataset.name ?? fig.querySelector("[id]")?.id ?? fig.querySelector("figcaption")?.textContent.trim().slice(0, 40) ?? "figure";
        const parts = [];
        const charts = [];
        for (const svg of fig.querySelectorAll("svg")) {
          // A legend swatch or an icon is not a chart.
          if (svg.parentElement.closest('svg, [class*="legend"], button') || !visible(svg)) continue;
          parts.push(measure(svg));
          charts.push(box(svg.getBoundingClientRect()));
        }
        for (const img of fig.querySelectorAll("img")) {
          if (!visible(img)) continue;
          if (!img.complete) await img.decode().catch(() => {});
          const source = await svgTextOf(img);
          if (source === null) continue;
          const r = img.getBoundingClientRect();
          parts.push(measureCopy(source, r.width, r.height));
          charts.push(box(r));
        }
        if (parts.length === 0) continue;
        const texts = parts.flatMap((p) => p.texts);
        // A legend is any element whose class names one, outermost only (its items are inside it).
        const legends = [...fig.querySelectorAll('[class*="legend"]')]
          .filter((l) => visible(l) && !l.parentElement.closest('[class*="legend"]'))
          .map((l) => l.getBoundingClientRect());
        const legendOverChart = legends.filter((l) => charts.some((c) => meet(box(l), c))).length;
        figures.push({
          name,
          texts: texts.length,
          smallest: texts.length ? Math.min(...texts.map((t) => t.px)) : null,
          small: texts.filter((t) => t.px < min).map((t) => `"${t.words}" at ${t.px} px`),
          overlaps: parts.flatMap((p) => p.overlaps),
          outside: parts.flatMap((p) => p.outside),
          legendOverChart,
        });
      }
      const sizes = figures.map((f) => f.smallest).filter((s) => s !== null);
      return {
        figures,
        texts: figures.reduce((n, f) => n + f.texts, 0),
        smallest: sizes.length ? Math.min(...sizes) : null,
        small: figures.reduce((n, f) => n + f.small.length, 0),
        overlaps: figures.reduce((n, f) => n + f.overlaps.length, 0),
        outside: figures.reduce((n, f) => n + f.outside.length, 0),
        legendOverChart: figures.reduce((n, f) => n + f.legendOverChart, 0),
      };
    },
    [root, MIN_TEXT_PX],
  );
}

/** One line per figure with a finding, for an assertion's message. */
export function findings(scan) {
  return scan.figures
    .filter((f) => f.small.length || f.overlaps.length || f.outside.length || f.legendOverChart)
    .map((f) => `${f.name}: smallest ${f.smallest} px; under ${MIN_TEXT_PX} px: ${f.small.slice(0, 4).join(", ")}${f.small.length > 4 ? ` (+${f.small.length - 4})` : ""}; overlaps: ${f.overlaps.slice(0, 3).join(", ")}${f.overlaps.length > 3 ? ` (+${f.overlaps.length - 3})` : ""}; outside: ${f.outside.slice(0, 3).join(", ")}; legends over the chart: ${f.legendOverChart}`)
    .join("\n");
}

/** Writes a scan as target/e2e-screenshots/legibility-NAME.json (the numbers behind a report). */
export function saveScan(name, scan) {
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, `legibility-${name}.json`), JSON.stringify(scan, null, 1));
}
