#!/usr/bin/env bash
# The one entry point: ./build.sh setup|build|serve|test|bench (native engine, wasm package, web page).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export PATH="$HOME/.cargo/bin:$PATH"

WASM_TARGET=wasm32-unknown-unknown
WASM_FILE="target/$WASM_TARGET/release/promptlab.wasm"
NODE_PKG=target/pkg-node

section() { printf '\n==== %s ====\n' "$*"; }

usage() {
    cat >&2 <<'EOF'
usage: ./build.sh COMMAND
  setup   install the wasm32 target, wasm-bindgen-cli (version from Cargo.lock) and check Node
  build   native release binary, wasm packages (www/pkg for the web, target/pkg-node for Node), the shipped
          models (www/models, pretrained once and cached in target/models) and the page in www/
  serve   build, then serve www/ on http://localhost:8000/ (the PORT variable picks another port)
  test    native tests (cargo test --release), the wasm tests under Node, then the page in headless Chromium
  bench   ms per training step natively, in wasm under Node and in Chromium (small and paper sizes, against
          the reference library), the small-* presets' wall times, and bench-lstm-single natively and in a tab
EOF
}

# The wasm-bindgen crate version pinned in Cargo.lock (the CLI must match it exactly).
locked_wasm_bindgen_version() {
    [ -f Cargo.lock ] || cargo generate-lockfile
    awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock
}

setup() {
    section "setup"
    if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
        rustup target add "$WASM_TARGET"
    fi
    local want have
    want="$(locked_wasm_bindgen_version)"
    [ -n "$want" ] || { echo "error: no wasm-bindgen entry in Cargo.lock" >&2; exit 1; }
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
    if [ "$have" != "$want" ]; then
        echo "installing wasm-bindgen-cli $want (found: ${have:-none}); this compiles for several minutes"
        # --locked first; if a pinned dependency is missing from the registry, resolve afresh at the same CLI version.
        if ! cargo install wasm-bindgen-cli --version "$want" --locked; then
            echo "warning: locked install of wasm-bindgen-cli $want failed; retrying with freshly resolved dependencies" >&2
            cargo install wasm-bindgen-cli --version "$want"
        fi
    fi
    if ! command -v node >/dev/null; then
        echo "Node.js not found; installing it from Debian"
        apt-get update && apt-get install -y nodejs
    fi
    local node_major
    node_major="$(node -p 'process.versions.node.split(".")[0]')"
    if [ "$node_major" -lt 20 ]; then
        echo "error: Node.js >= 20 needed (node --test, playwright-core) (found $(node --version))" >&2
        exit 1
    fi
    # The page's end-to-end tests drive Debian's Chromium through playwright-core (never a downloaded browser).
    if [ ! -x /usr/bin/chromium ]; then
        echo "Chromium not found; installing it from Debian"
        apt-get update && apt-get install -y chromium chromium-driver
    fi
    if [ ! -f tests/e2e/node_modules/.package-lock.json ] || ! cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.lock-installed; then
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/e2e --no-audit --no-fund
        cp tests/e2e/package-lock.json tests/e2e/node_modules/.lock-installed
    fi
    echo "rust $(rustc --version | awk '{print $2}'), $(wasm-bindgen --version), node $(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
}

build_native() {
    section "native build"
    cargo build --release
}

# The release wasm library, then wasm-bindgen's glue for --target TARGET into DIR.
build_wasm() {
    section "wasm build"
    cargo build --release --lib --target "$WASM_TARGET"
    local target dir
    while [ $# -gt 0 ]; do
        target="$1" dir="$2"
        shift 2
        wasm-bindgen "$WASM_FILE" --target "$target" --out-dir "$dir"
        echo "wasm-bindgen --target $target -> $dir"
    done
}

# Pretrains each web/models/NAME.json into www/models/NAME/. A run is cached in
# target/models/NAME-KEY, KEY hashing the config, Cargo.lock and every engine source
# file, so a rebuild retrains only when one of them changed.
build_models() {
    section "shipped models"
    local engine config name key cache
    engine="$({ cat Cargo.lock; find src -type f -name '*.rs' | LC_ALL=C sort | xargs sha256sum; } | sha256sum | cut -c1-16)"
    for config in web/models/*.json; do
        name="$(basename "$config" .json)"
        key="$({ echo "$engine"; cat "$config"; } | sha256sum | cut -c1-16)"
        cache="target/models/$name-$key"
        if [ -f "$cache/model.safetensors" ]; then
            echo "$name: cached ($cache)"
        else
            rm -rf target/models/"$name"-*
            target/release/promptlab pretrain --config "$config" --out "$cache.tmp"
            mv "$cache.tmp" "$cache"
        fi
        mkdir -p "www/models/$name"
        cp "$cache/config.json" "$cache/model.safetensors" "www/models/$name/"
    done
}

build() {
    setup
    build_all
}

# Everything build makes, without the tool checks of setup.
build_all() {
    build_native
    build_wasm web www/pkg nodejs "$NODE_PKG"
    build_models
    section "page"
    mkdir -p www
    # The page's files, keeping their folders; web/models/ holds pretraining configs, not page files.
    find web -path web/models -prune -o -type f -print | while IFS= read -r file; do
        install -D -m 644 "$file" "www/${file#web/}"
    done
    local wasm=www/pkg/promptlab_bg.wasm
    echo "www/ ready; $wasm is $(wc -c <"$wasm") bytes ($(gzip -9c "$wasm" | wc -c) gzipped)"
}

serve() {
    build
    section "serve"
    exec python3 serve.py www "${PORT:-8000}"
}

# Native loss curves of the agreement configs, which the wasm tests compare against.
agreement_runs() {
    section "native agreement runs"
    local config name
    for config in tests/wasm/agreement*.json; do
        name="$(basename "$config" .json)"
        target/release/promptlab pretrain --config "$config" --out "target/wasm-$name"
    done
    # A whole small experiment on the first model, which the wasm experiment test reproduces in workers' pieces.
    target/release/promptlab experiment --config tests/wasm/experiment.json --model target/wasm-agreement --out target/wasm-experiment
}

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Serves www/ with serve.py on a free port in the background and exports E2E_URL (stop_server ends it).
start_server() {
    local port log=target/e2e-serve.log
    port="$(free_port)"
    python3 serve.py www "$port" >"$log" 2>&1 &
    SERVER_PID=$!
    trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
    local tries=0
    until node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$port/"; do
        tries=$((tries + 1))
        if [ "$tries" -ge 50 ]; then
            echo "error: serve.py did not answer on port $port:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.2
    done
    export E2E_URL="http://127.0.0.1:$port/"
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    trap - EXIT
}

# The page in headless Chromium against www/ served by serve.py on a free port.
e2e_tests() {
    section "end-to-end tests (node --test tests/e2e, headless Chromium)"
    start_server || return 1
    local status=0
    node --test --test-concurrency=1 tests/e2e/*.test.mjs || status=1
    stop_server
    return "$status"
}

test_all() {
    local status=0
    setup
    section "native tests (cargo test --release)"
    cargo test --release || status=1
    build_all
    agreement_runs
    section "wasm tests (node --test tests/wasm)"
    node --test tests/wasm/*.test.mjs || status=1
    e2e_tests || status=1
    section "summary"
    if [ "$status" -eq 0 ]; then echo "all tests passed"; else echo "some tests FAILED (see above)"; fi
    return "$status"
}

# Writes the bench configs into target/bench/: the small nets at B = 64, N = 100 and the paper's size at B = 256, N = 100.
bench_configs() {
    mkdir -p target/bench
    local lstm='"architecture":"lstm"' transformer='"architecture":"transformer","num_heads":4,"widening_factor":4'
    echo "{\"seed\":0,\"model\":{$lstm,\"embedding_dim\":32,\"hidden_sizes\":[32]},\"pretraining\":{\"batch_size\":64,\"sequence_length\":100}}" >target/bench/lstm.json
    echo "{\"seed\":0,\"model\":{$transformer,\"embedding_dim\":32,\"hidden_sizes\":[32]},\"pretraining\":{\"batch_size\":64,\"sequence_length\":100}}" >target/bench/transformer.json
    echo "{\"seed\":0,\"model\":{$lstm,\"embedding_dim\":128,\"hidden_sizes\":[128]},\"pretraining\":{\"batch_size\":256,\"sequence_length\":100}}" >target/bench/lstm-paper.json
    echo "{\"seed\":0,\"model\":{$transformer,\"embedding_dim\":128,\"hidden_sizes\":[128]},\"pretraining\":{\"batch_size\":256,\"sequence_length\":100}}" >target/bench/transformer-paper.json
}

# Median ms per step from a JSON line on stdin.
median_of() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s.trim().split("\n").pop()).ms_per_step_median.toFixed(1)))'; }

# The median of a bench command's JSON line, or "refused" when the engine refuses the config
# (its message is kept in target/bench/refusals.txt and printed under the table).
median_or_refused() {
    local out
    if out="$("$@" 2>>target/bench/refusals.txt)"; then echo "$out" | median_of; else echo "refused"; fi
}

# a / b to 2 decimals, with an "x"; "-" when either is not a number.
ratio() {
    if [[ "$1" =~ ^[0-9.]+$ && "$2" =~ ^[0-9.]+$ ]]; then echo "$(node -p "($1 / $2).toFixed(2)")x"; else echo "-"; fi
}

# Seconds since the epoch, to the millisecond.
now() { date +%s.%N; }

# One row of the per-step table: NAME LABEL REFERENCE_MS STEPS WARMUP.
bench_row() {
    local config="target/bench/$1.json" native node chromium
    native="$(median_or_refused target/release/promptlab bench --config "$config" --steps "$4" --warmup "$5")"
    node="$(median_or_refused node tests/wasm/bench.mjs "$config" "$4" "$5")"
    chromium="$(median_or_refused node tests/e2e/bench.mjs "$config" "$4" "$5")"
    printf '%-42s %8s %8s %9s %10s %6s %10s %9s\n' "$2" "$native" "$node" "$chromium" "$(ratio "$chromium" "$native")" "$3" \
        "$(ratio "$native" "$3")" "$(ratio "$chromium" "$3")"
}

# Speed against the reference library (issue 5's figures for this 2-core machine kind: the paper's JAX
# code, XLA on CPU, 2 threads): ms per step natively, in wasm under Node and in a Chromium worker;
# the small-* presets' wall times; and the bench-lstm-single experiment natively and in a browser tab.
bench() {
    setup
    build_all
    bench_configs
    start_server
    local steps="${BENCH_STEPS:-20}" warmup="${BENCH_WARMUP:-3}" big="${BENCH_PAPER_STEPS:-5}" preset t0 seconds
    section "bench: ms per Adam step (forward + backward + update), median of $steps steps after $warmup warm-up ($big after 1 at the paper's size)"
    : >target/bench/refusals.txt
    printf '%-42s %8s %8s %9s %10s %6s %10s %9s\n' "model, batch x length" "native" "Node" "Chromium" "Chr/native" "ref" "native/ref" "Chr/ref"
    bench_row lstm "LSTM E=32 h32, 64x100" 16 "$steps" "$warmup"
    bench_row transformer "Transformer E=32 4 heads MLP 128, 64x100" 98 "$steps" "$warmup"
    bench_row lstm-paper "LSTM E=128 h128, 256x100" 364 "$big" 1
    bench_row transformer-paper "Transformer E=128 MLP 512, 256x100" 1119 "$big" 1
    echo "(native: release build; the fused LSTM op splits its batch over every core, the paper-size dense products their rows, and attention, LayerNorm and GELU their independent rows; Node and Chromium: the page's wasm package, one thread;"
    echo " ref: the paper's JAX library on this machine kind, 2 threads, jit-compiled; goals native/ref <= 0.5, Chr/ref <= 2)"
    if grep -q 'invalid' target/bench/refusals.txt; then
        echo "refused (the engine's message):"
        grep -o 'invalid .*MB' target/bench/refusals.txt | sort -u | sed 's/^/  /'
    fi

    section "bench: wall time of the small-* presets (native, every core)"
    for preset in small-lstm-single small-lstm-mixture small-transformer-single small-transformer-mixture \
        small-untrained-lstm-single small-untrained-transformer-single; do
        t0="$(now)"
        target/release/promptlab experiment --preset "$preset" --out "target/bench/$preset" >/dev/null 2>&1
        printf '%-36s %8.1f s\n' "$preset" "$(node -p "$(now) - $t0")"
    done

    section "bench: bench-lstm-single (reference: 265 s = 45 s pretraining + 220 s tuning and evaluation)"
    t0="$(now)"
    target/release/promptlab experiment --preset bench-lstm-single --out target/bench/bench-lstm-single >/dev/null 2>&1
    seconds="$(node -p "($(now) - $t0).toFixed(1)")"
    printf '%-36s %8s s  %6s the reference\n' "native (every core)" "$seconds" "$(ratio "$seconds" 265)"
    node tests/e2e/bench_experiment.mjs | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s.trim().split("\n").pop());
        console.log(`${("browser tab (Chromium, " + r.workers + " workers)").padEnd(36)} ${r.total_s.toFixed(1).padStart(8)} s  ${((r.total_s/265).toFixed(2) + "x").padStart(6)} the reference (pretraining ${r.pretrain_s.toFixed(1)} s, experiment ${r.experiment_s.toFixed(1)} s)`)})'
    stop_server
}

case "${1:-}" in
    setup) setup ;;
    build) build ;;
    serve) serve ;;
    test) test_all ;;
    bench) bench ;;
    *) usage; exit 2 ;;
esac
