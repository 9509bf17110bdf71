// promptlab's optional script for a page that embeds promptlab figures: it sizes every promptlab
// <iframe> on the page to its content. It takes a size only from a frame of its own origin (the origin
// it was loaded from) and only for the frame that sent it; it does nothing else.
(() => {
  const script = document.currentScript;
  if (!script?.src) return;
  const origin = new URL(script.src).origin;
  // Each snippet brings its own copy of this script: the first one loaded does the work for all.
  const once = Symbol.for(`promptlab embeds of ${origin}`);
  if (window[once]) return;
  window[once] = true;
  const ours = (frame) => frame.src.startsWith(`${origin}/`);
  const frames = () => [...document.querySelectorAll("iframe")].filter(ours);

  window.addEventListener("message", (event) => {
    if (event.origin !== origin) return;
    const msg = event.data;
    if (!msg || msg.type !== "promptlab:size" || !Number.isFinite(msg.height)) return;
    const frame = frames().find((f) => f.contentWindow === event.source);
    if (!frame) return;
    const height = Math.round(Math.min(Math.max(msg.height, 40), 10000));
    frame.style.height = `${height}px`;
  });

  // Frames that loaded before this script ran say their size again when asked.
  const ask = (frame) => frame.contentWindow?.postMessage({ type: "promptlab:ask-size" }, origin);
  for (const frame of frames()) {
    ask(frame);
    frame.addEventListener("load", () => ask(frame));
  }
})();
