// The networks the page can use: the shipped ones, fetched once from models/NAME/, and the one
// pretrained in this page ("mine", which a reload does not keep).

/** The shipped models' notes: www/models/NAME/{config.json, model.safetensors}. */
export const SHIPPED = {
  lstm: "LSTM (E = 32, hidden 32), pretrained on Random Coins (1, 1)",
  transformer: "Transformer (E = 32, 4 heads, MLP 32 × 4), pretrained on Random Coins (1, 1)",
  untrained: "LSTM with random weights, never trained: it cannot use the flips",
};

/** Shipped network `name` from `root`models/NAME/ (root: the site's folder, the page's by default; a worker gives its own). */
export async function fetchModel(name, root = location.href) {
  const url = (file) => new URL(`models/${name}/${file}`, root);
  const [c, w] = await Promise.all([fetch(url("config.json")), fetch(url("model.safetensors"))]);
  if (!c.ok || !w.ok) throw new Error(`could not load the ${name} model (models/${name}/: HTTP ${c.ok ? w.status : c.status})`);
  const config = await c.text();
  return { config, weights: new Uint8Array(await w.arrayBuffer()), steps: JSON.parse(config).pretraining?.steps };
}

/**
 * The page's networks: load(name) → Promise<{config, weights, steps}>, note(name) (a line about
 * the network), mine (the network pretrained here, or null) and use(net) to make `net`
 * ({config, weights, steps, arch}) the page's own.
 */
export function createModels() {
  const loaded = new Map(); // model name → Promise<{config, weights, steps}>
  let mine = null;

  function load(name) {
    if (name === "mine") return mine ? Promise.resolve(mine) : Promise.reject(new Error("no network pretrained in this page yet"));
    if (!loaded.has(name)) {
      const p = fetchModel(name);
      p.catch(() => loaded.delete(name)); // a failed load is retried next time
      loaded.set(name, p);
    }
    return loaded.get(name);
  }

  function note(name) {
    if (name === "mine" && mine) return `Your ${mine.arch} network, pretrained here for ${mine.steps} steps.`;
    return SHIPPED[name] ?? "";
  }

  return {
    load,
    note,
    get mine() { return mine; },
    use(net) { mine = net; },
  };
}

/** Shows and names the "mine" option of the network menu `select` for the network `net`. */
export function showMineOption(select, net) {
  const option = select.querySelector('option[value="mine"]');
  option.hidden = false;
  option.disabled = false;
  option.textContent = `Your ${net.arch} (${net.steps} steps, from Pretrain)`;
}
