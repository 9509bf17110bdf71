// Draws the page's app icons, a gold coin on white like favicon.svg, as PNGs: node tools/icons.mjs OUTDIR (web/icons).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG of `size`×`size` whose pixel (x, y) is colour(x, y) → [r, g, b]. */
function png(size, colour) {
  const rows = Buffer.alloc(size * (1 + 3 * size));
  for (let y = 0; y < size; y++) {
    rows[y * (1 + 3 * size)] = 0; // filter: none
    for (let x = 0; x < size; x++) rows.set(colour(x, y), y * (1 + 3 * size) + 1 + 3 * x);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

const WHITE = [255, 255, 255];
const GOLD = [0xe0, 0xb0, 0x40];
const RIM = [0x8a, 0x6a, 0x10];
const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * Math.min(1, Math.max(0, t))));

/** The coin: a gold disc with a dark rim and an inner ring, inside the middle 80% (the maskable safe zone). */
function coin(size) {
  const c = size / 2;
  const r = size * 0.4;
  const rim = size * 0.035;
  return (x, y) => {
    const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
    if (d > r + 0.5) return WHITE;
    const face = Math.abs(d - r * 0.72) < rim / 2 ? RIM : GOLD;
    if (d > r - rim) return mix(RIM, WHITE, d - r + 0.5);
    return mix(face, RIM, d - (r - rim) + 0.5 > 0 ? d - (r - rim) + 0.5 : 0);
  };
}

const out = process.argv[2] ?? "web/icons";
fs.mkdirSync(out, { recursive: true });
for (const size of [192, 512]) {
  fs.writeFileSync(path.join(out, `icon-${size}.png`), png(size, coin(size)));
  console.log(`${out}/icon-${size}.png`);
}
