#!/usr/bin/env bash
# The whole-run benchmark: generates the tiers (cached under target/bench-data/), then times
# `orchard report --no-charts` and a bare polars read of the same needed columns (the floor),
# and prints wall time, peak RSS, rows per second and the ratio to the floor per tier, plus the
# speed-up from one thread to all. Prints figures; asserts nothing.
#
#   benches/run.sh [S M L]        (default: S; tiers S=30k/300k, M=300k/3M, L=1M/10M)
set -euo pipefail
cd "$(dirname "$0")/.."
tiers=${*:-S}
cargo build --release --quiet --bin orchard --example polars_floor
bin=target/release/orchard
floor=target/release/examples/polars_floor
data=target/bench-data
mkdir -p "$data"

# wall seconds and peak RSS (MiB) of a command, via GNU time.
measure() {
  local f s kib
  f=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$f" "$@" >/dev/null 2>&1 || true
  read -r s kib < "$f"
  rm -f "$f"
  echo "$s $((kib / 1024))"
}

if ! [ -x /usr/bin/time ]; then
  echo "installing GNU time…" >&2
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

printf '%-4s %12s %12s %9s %9s %9s %11s %10s %9s\n' tier connections messages "synth s" "report s" "floor s" "report/floor" "peak MiB" "rows/s"
for tier in $tiers; do
  case $tier in
    S) c=30000;   m=300000 ;;
    M) c=300000;  m=3000000 ;;
    L) c=1000000; m=10000000 ;;
    *) echo "unknown tier $tier" >&2; exit 2 ;;
  esac
  dir=$data/$tier
  synth_s=cached
  if ! [ -f "$dir/truth.json" ]; then
    read -r synth_s _ <<<"$(measure "$bin" synth --connections $c --messages $m --seed 1 -o "$dir")"
  fi
  # Rows read over the three files, from the generator's own accounting.
  rows=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["accounting"]; print(sum(a[f]["rows"] for f in a if a[f]))' "$dir/truth.json")
  read -r rep_s rep_mib <<<"$(measure "$bin" report "$dir/export" --no-charts -q --force -o "$data/$tier-report")"
  read -r floor_s _ <<<"$(measure "$floor" "$dir/export")"
  ratio=$(awk -v a="$rep_s" -v b="$floor_s" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), a / b }')
  rps=$(awk -v r="$rows" -v s="$rep_s" 'BEGIN { printf (s > 0 ? "%.0f" : "n/a"), r / s }')
  printf '%-4s %12s %12s %9s %9s %9s %11s %10s %9s\n' "$tier" $c $m "$synth_s" "$rep_s" "$floor_s" "$ratio" "$rep_mib" "$rps"
done

# Speed-up from one thread to all, on the first tier's tie and network metrics.
first=${tiers%% *}
echo
echo "threads: --timings of report on tier $first"
for t in 1 "$(nproc)"; do
  echo "-- $t thread(s)"
  "$bin" report "$data/$first/export" --no-charts -q --force --timings --threads "$t" -o "$data/$first-report" 2>&1 \
    | grep -E '^(identity|tie metrics|network metrics|total)'
done
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
