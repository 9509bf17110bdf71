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
  bench [--reference]
          ms per training step natively, in wasm under Node, in a Chromium worker and in the page's own
          pretraining (two workers) at small and paper sizes, the small-* presets' wall times, and
          bench-lstm-single natively and in a tab. With --reference, also the JAX reference (bench/reference/,
          installed once into target/reference-venv from bench/reference/requirements.txt) timed in the same
          run, and the ratios to it; without it (or when that install fails) the ratios say "not measured"
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

# A hash of Cargo.toml, Cargo.lock and every engine source file: what the shipped models and the previews are cached under.
engine_hash() {
    { cat Cargo.toml Cargo.lock; find src -type f -name '*.rs' | LC_ALL=C sort | xargs sha256sum; } | sha256sum | cut -c1-16
}

# Pretrains each web/models/NAME.json into www/models/NAME/. A run is cached in
# target/models/NAME-KEY, KEY hashing the config, Cargo.toml, Cargo.lock and every engine source
# file, so a rebuild retrains only when one of them changed.
build_models() {
    section "shipped models"
    local engine config name key cache
    engine="$(engine_hash)"
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

# The embeds' build-time previews (web/previews.json) into www/previews/, rendered by the native binary
# from the same configs; runs cached in target/previews/ by engine hash and config.
build_previews() {
    section "embed previews"
    node tools/previews.mjs "$(engine_hash)"
}

# The offline copy, after every step that writes into www/: the service worker's file list and version
# (tools/precache.mjs), then gzip -9 twins FILE.gz of the text, wasm and model files, which serve.py sends compressed.
build_offline() {
    section "offline copy and compression"
    find www -name '*.gz' -delete
    node tools/precache.mjs www
    find www -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.json' \
        -o -name '*.webmanifest' -o -name '*.svg' -o -name '*.safetensors' \) -exec gzip -9kf {} +
    echo "gzipped $(find www -name '*.gz' | wc -l) files: $(du -cb $(find www -name '*.gz') | tail -1 | cut -f1) bytes"
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
    # Files of older builds go, so the offline copy holds only this build's (pkg/ and models/ are this build's already).
    find www -mindepth 1 -maxdepth 1 ! -name pkg ! -name models -exec rm -rf {} +
    # The page's files, keeping their folders; web/models/ holds pretraining configs, not page files.
    find web -path web/models -prune -o -type f -print | while IFS= read -r file; do
        install -D -m 644 "$file" "www/${file#web/}"
    done
    build_previews
    build_offline
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

REFERENCE_VENV=target/reference-venv

# Creates (once, again whenever bench/reference/requirements.txt changes) the JAX reference's venv.
# Returns 1 when it cannot, after writing why (the failing step's last line) to target/reference-why.txt.
install_reference() {
    local stamp="$REFERENCE_VENV/requirements.installed" log=target/reference-install.log
    mkdir -p target
    rm -f target/reference-why.txt
    if [ -x "$REFERENCE_VENV/bin/python" ] && cmp -s bench/reference/requirements.txt "$stamp"; then
        return 0
    fi
    rm -rf "$REFERENCE_VENV"
    echo "installing the JAX reference into $REFERENCE_VENV (bench/reference/requirements.txt, log in $log)"
    if ! { python3 -m venv "$REFERENCE_VENV" &&
        "$REFERENCE_VENV/bin/python" -m pip install --disable-pip-version-check -q -r bench/reference/requirements.txt; } >"$log" 2>&1; then
        { grep -v '^[[:space:]]*$' "$log" | tail -n 1; } >target/reference-why.txt || true
        [ -s target/reference-why.txt ] || echo "python3 -m venv or pip failed" >target/reference-why.txt
        return 1
    fi
    cp bench/reference/requirements.txt "$stamp"
}

# bench/run.mjs serves www/ with the bench page at /bench/, times the native binary, the Node build, a
# Chromium worker and the page's pretraining worker, and, with --reference, the JAX reference, then prints the tables.
bench() {
    local reference=""
    case "${1:-}" in
        "") ;;
        --reference) reference=1 ;;
        *) usage; exit 2 ;;
    esac
    setup
    build_all
    unset BENCH_REFERENCE_PYTHON BENCH_REFERENCE_WHY
    if [ -z "$reference" ]; then
        export BENCH_REFERENCE_WHY="not asked for: ./build.sh bench --reference measures it"
    else
        section "JAX reference"
        if install_reference && "$REFERENCE_VENV/bin/python" -c 'import jax, optax; print("jax", jax.__version__, "optax", optax.__version__)' \
            2>target/reference-import.log; then
            export BENCH_REFERENCE_PYTHON="$PWD/$REFERENCE_VENV/bin/python"
        else
            [ -s target/reference-why.txt ] || tail -n 1 target/reference-import.log >target/reference-why.txt
            export BENCH_REFERENCE_WHY="its install failed: $(cat target/reference-why.txt)"
            echo "$BENCH_REFERENCE_WHY"
        fi
    fi
    node bench/run.mjs
}

case "${1:-}" in
    setup) setup ;;
    build) build ;;
    serve) serve ;;
    test) test_all ;;
    bench) bench "${2:-}" ;;
    *) usage; exit 2 ;;
esac
