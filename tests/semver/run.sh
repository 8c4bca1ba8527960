#!/usr/bin/env bash
# The Rust verdict of `cargo xtask diff`, checked against cargo-semver-checks.
#
# For every fixture pair of tests/tests/model_diff.rs: generate both crates
# with `cargo xtask generate`, run `cargo semver-checks` on them (every
# feature on, so the `server` bindings count), and compare
# its verdict with the diff's `rust` verdict. Prints the agreement table and
# exits 1 on any disagreement that tests/semver/disagreements.txt does not
# explain (or on an explained one that no longer happens). Where the diff
# says major and semver-checks sees nothing, tests/semver/probes/PAIR.rs must
# compile against the old crate and fail against the new one.
#
# Needs cargo-semver-checks on PATH (`cargo install --locked cargo-semver-checks`).
# Everything goes to one scratch directory (default target/semver-oracle,
# or $SEMVER_SCRATCH) with one shared target dir, so dependencies are built
# once. Usage: tests/semver/run.sh [PAIR...] (default: every pair).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scratch=${SEMVER_SCRATCH:-$root/target/semver-oracle}
known=$root/tests/semver/disagreements.txt
export CARGO_TERM_COLOR=never

cargo semver-checks --version >/dev/null 2>&1 || {
    echo "error: cargo-semver-checks is not installed (cargo install --locked cargo-semver-checks)" >&2
    exit 2
}

# 1. The pairs, exactly as the tests build them.
rm -rf "$scratch/pairs" "$scratch/crates"
mkdir -p "$scratch/pairs" "$scratch/crates"
DIFF_PAIRS_OUT="$scratch/pairs" cargo test --quiet -p workspace-tests --test model_diff \
    >"$scratch/model_diff.log" 2>&1 ||
    echo "note: model_diff has failing tests (see $scratch/model_diff.log); checking the pairs anyway" >&2
cargo build --quiet -p xtask
xtask=$root/target/debug/xtask # what `cargo xtask` runs

if [ $# -gt 0 ]; then pairs=("$@"); else
    mapfile -t pairs < <(ls "$scratch/pairs")
fi
[ ${#pairs[@]} -gt 0 ] || { echo "error: no fixture pairs were written" >&2; exit 2; }

# Code written against the old crate that must stop compiling with the new
# one: `probe PAIR_DIR PROBE_RS SIDE` type-checks it against SIDE.
probe() {
    local dir=$1 src=$2 side=$3 krate
    krate=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$dir/$side/Cargo.toml" | head -1)
    mkdir -p "$dir/probe-$side"
    cat >"$dir/probe-$side/Cargo.toml" <<TOML
[package]
name = "probe"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
path = "$src"

[dependencies]
$krate = { path = "../$side" }

[workspace]
TOML
    CARGO_TARGET_DIR=$scratch/target cargo check --quiet \
        --manifest-path "$dir/probe-$side/Cargo.toml" >"$dir/probe-$side.log" 2>&1
}

# semver-checks' verdict: the bump it requires (major, minor) or none.
semver_verdict() {
    local log=$1
    if grep -q "requires new major version" "$log"; then echo major
    elif grep -q "requires new minor version" "$log"; then echo minor
    elif grep -q "no semver update required" "$log"; then echo none
    else echo error; fi
}

table=$scratch/agreement.md
{
    echo "| fixture pair | diff's rust verdict | semver-checks | agree? | semver-checks warnings |"
    echo "|---|---|---|---|---|"
} >"$table"
failures=0
seen_known=()
start=$(date +%s)
for pair in "${pairs[@]}"; do
    dir=$scratch/crates/$pair
    for side in old new; do
        "$xtask" generate --model "$scratch/pairs/$pair/$side.json" --out "$dir/$side" >/dev/null
    done
    diff_verdict=$("$xtask" diff "$scratch/pairs/$pair/old.json" "$scratch/pairs/$pair/new.json" --format json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["rust"] or "none")')
    log=$dir/semver-checks.log
    CARGO_TARGET_DIR=$scratch/target cargo semver-checks check-release \
        --manifest-path "$dir/new/Cargo.toml" --baseline-root "$dir/old" \
        --release-type patch --all-features >"$log" 2>&1 || true
    tool=$(semver_verdict "$log")
    # A patch-level diff needs no semver update.
    expected=$diff_verdict
    [ "$expected" = patch ] && expected=none
    if [ "$tool" = "$expected" ]; then
        agree=yes
    elif grep -qE "^$pair $diff_verdict $tool " "$known" 2>/dev/null; then
        agree="no: the diff is right (disagreements.txt)"
        seen_known+=("$pair")
        src=$root/tests/semver/probes/$pair.rs
        if [ "$diff_verdict" = major ]; then
            if [ ! -f "$src" ]; then
                agree="NO: no probe for a break the tool can't see"
                failures=$((failures + 1))
            elif ! probe "$dir" "$src" old; then
                agree="NO: the probe does not compile against the old crate"
                failures=$((failures + 1))
            elif probe "$dir" "$src" new; then
                agree="NO: the probe still compiles against the new crate"
                failures=$((failures + 1))
            else
                agree="$agree; probe breaks"
            fi
        fi
    else
        agree=NO
        failures=$((failures + 1))
        echo "disagreement on $pair: diff says $diff_verdict, semver-checks says $tool ($log)" >&2
    fi
    warnings=$(sed -n 's/^--- warning \([a-z_]*\):.*/\1/p' "$log" | sort -u | paste -sd, -)
    echo "| $pair | $diff_verdict | $tool | $agree | ${warnings:-} |" >>"$table"
done
elapsed=$(($(date +%s) - start))

# Explained disagreements that no longer happen are stale.
if [ $# -eq 0 ] && [ -f "$known" ]; then
    while read -r pair _; do
        case $pair in '' | '#'*) continue ;; esac
        if [[ ! " ${seen_known[*]:-} " == *" $pair "* ]]; then
            echo "stale entry in $known: $pair now agrees (or is gone)" >&2
            failures=$((failures + 1))
        fi
    done <"$known"
fi

cat "$table"
echo
echo "${#pairs[@]} pairs in ${elapsed}s; $failures unexplained disagreement(s)"
[ "$failures" -eq 0 ]
