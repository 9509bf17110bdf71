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
  build   native release binary, wasm packages (www/pkg for the web, target/pkg-node for Node), the page in www/
  serve   build, then serve www/ on http://localhost:8000/ (the PORT variable picks another port)
  test    native tests (cargo test --release), then the wasm tests under Node
  bench   ms per pretraining step, native vs wasm under Node
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
    if [ "$node_major" -lt 18 ]; then
        echo "error: Node.js >= 18 needed for node --test (found $(node --version))" >&2
        exit 1
    fi
    echo "rust $(rustc --version | awk '{print $2}'), $(wasm-bindgen --version), node $(node --version)"
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

build() {
    setup
    build_native
    build_wasm web www/pkg nodejs "$NODE_PKG"
    section "page"
    mkdir -p www
    cp web/* www/
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

test_all() {
    setup
    local status=0
    section "native tests (cargo test --release)"
    cargo test --release || status=1
    build_native
    build_wasm nodejs "$NODE_PKG"
    agreement_runs
    section "wasm tests (node --test tests/wasm)"
    node --test tests/wasm/*.test.mjs || status=1
    section "summary"
    if [ "$status" -eq 0 ]; then echo "all tests passed"; else echo "some tests FAILED (see above)"; fi
    return "$status"
}

# Writes the two bench configs (B = 64, N = 100) into target/bench/.
bench_configs() {
    mkdir -p target/bench
    cat >target/bench/lstm.json <<'EOF'
{"seed":0,"model":{"architecture":"lstm","embedding_dim":32,"hidden_sizes":[32]},"pretraining":{"batch_size":64,"sequence_length":100}}
EOF
    cat >target/bench/transformer.json <<'EOF'
{"seed":0,"model":{"architecture":"transformer","embedding_dim":32,"hidden_sizes":[32],"num_heads":4,"widening_factor":4},"pretraining":{"batch_size":64,"sequence_length":100}}
EOF
}

# Median ms per step from a JSON line on stdin.
median_of() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s.trim().split("\n").pop()).ms_per_step_median.toFixed(2)))'; }

bench() {
    setup
    build_native
    build_wasm nodejs "$NODE_PKG"
    bench_configs
    local steps="${BENCH_STEPS:-10}" warmup="${BENCH_WARMUP:-2}" arch native wasm
    section "bench: ms per pretraining step, batch 64 x length 100 (median of $steps after $warmup warm-up)"
    printf '%-34s %10s %10s %12s\n' "model" "native" "wasm" "wasm/native"
    for arch in lstm transformer; do
        native="$(target/release/promptlab bench --config "target/bench/$arch.json" --steps "$steps" --warmup "$warmup" | median_of)"
        wasm="$(node tests/wasm/bench.mjs "target/bench/$arch.json" "$steps" "$warmup" | median_of)"
        case "$arch" in
            lstm) label="LSTM E=32 hidden 32" ;;
            transformer) label="Transformer E=32 4 heads MLP 32x4" ;;
        esac
        printf '%-34s %10s %10s %11.2fx\n' "$label" "$native" "$wasm" "$(node -p "$wasm / $native")"
    done
}

case "${1:-}" in
    setup) setup ;;
    build) build ;;
    serve) serve ;;
    test) test_all ;;
    bench) bench ;;
    *) usage; exit 2 ;;
esac
