// Saving what the page made: a blob as a file through a temporary link, and an image or SVG text as a PNG.

/** Rasterises an image at twice its size. */
export function pngOf(img) {
  return new Promise((resolve, reject) => {
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, img.naturalWidth * scale);
    canvas.height = Math.max(1, img.naturalHeight * scale);
    const g = canvas.getContext("2d");
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("could not draw the PNG"))), "image/png");
  });
}

/** Saves a blob under `name` through a temporary link. */
export function download(name, blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** A PNG of SVG text, rasterised at twice its size. */
export function pngOfSvg(svg) {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  return new Promise((resolve, reject) => {
    img.onload = () => pngOf(img).then(resolve, reject).finally(() => URL.revokeObjectURL(url));
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("could not read the SVG"));
    };
    img.src = url;
  });
}
