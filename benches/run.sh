#!/usr/bin/env bash
# The whole-run benchmark: generates the tiers (cached under target/bench-data/), then times
# `orchard report --no-charts` and a bare polars read of the same needed columns (the floor),
# and prints wall time, peak RSS, rows per second and the ratio to the floor per tier, plus the
# speed-up from one thread to all. Prints figures; asserts nothing.
#
#   benches/run.sh [S M L]        (default: S; tiers S=30k/300k, M=300k/3M, L=1M/10M)
#   REPEAT=3 benches/run.sh S M   best of three runs of each timing (for a shared machine); the
#                                 report and the floor run in turn, and `paired` is the median
#                                 of each pair's ratio (the two measured in the same minute)
set -euo pipefail
repeat=${REPEAT:-1}
cd "$(dirname "$0")/.."
tiers=${*:-S}
cargo build --release --quiet --bin orchard --example polars_floor
bin=target/release/orchard
floor=target/release/examples/polars_floor
data=target/bench-data
mkdir -p "$data"

# wall seconds and peak RSS (MiB) of a command, via GNU time.
measure_once() {
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

printf '%-4s %12s %12s %9s %9s %9s %11s %11s %10s %9s\n' tier connections messages "synth s" "report s" "floor s" "report/floor" "paired" "peak MiB" "rows/s"
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
    read -r synth_s _ <<<"$(measure_once "$bin" synth --connections $c --messages $m --seed 1 -o "$dir")"
  fi
  # Rows read over the three files, from the generator's own accounting.
  rows=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["accounting"]; print(sum(a[f]["rows"] for f in a if a[f]))' "$dir/truth.json")
  # The report and the floor in turn, $repeat times, so that each pair runs in the same
  # minute and a change in the machine's speed moves both: the fastest of each (the report's
  # peak RSS with it), and the median of the pairs' ratios.
  pairs=$(mktemp)
  for ((i = 0; i < repeat; i++)); do
    read -r r r_mib <<<"$(measure_once "$bin" report "$dir/export" --no-charts -q --force -o "$data/$tier-report")"
    read -r f _ <<<"$(measure_once "$floor" "$dir/export")"
    echo "$r $r_mib $f" >> "$pairs"
  done
  read -r rep_s rep_mib <<<"$(sort -n -k1,1 "$pairs" | head -1 | cut -d' ' -f1,2)"
  floor_s=$(sort -n -k3,3 "$pairs" | head -1 | cut -d' ' -f3)
  ratio=$(awk -v a="$rep_s" -v b="$floor_s" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), a / b }')
  paired=$(awk '$3 > 0 { print $1 / $3 }' "$pairs" | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  rm -f "$pairs"
  rps=$(awk -v r="$rows" -v s="$rep_s" 'BEGIN { printf (s > 0 ? "%.0f" : "n/a"), r / s }')
  printf '%-4s %12s %12s %9s %9s %9s %11s %11s %10s %9s\n' "$tier" $c $m "$synth_s" "$rep_s" "$floor_s" "$ratio" "$paired" "$rep_mib" "$rps"
done

# Speed-up from one thread to all, per stage (the fastest of $repeat runs), on the largest tier
# given: on S the tie and network metrics take 15-30 ms, so their speed-up there measures
# waking threads as much as the stages' parallel work.
largest=S
for t in $tiers; do
  case $t in M) [ "$largest" = L ] || largest=M ;; L) largest=L ;; esac
done
echo
echo "threads: --timings of report on tier $largest"
stages=$(mktemp)
for t in 1 "$(nproc)"; do
  echo "-- $t thread(s)"
  for ((i = 0; i < repeat; i++)); do
    "$bin" report "$data/$largest/export" --no-charts -q --force --timings --threads "$t" -o "$data/$largest-report" 2>&1 \
      | grep -E '^(read|identity|tie metrics|network metrics|total) '
  done | awk '{ ms = $(NF - 1); name = $0; sub(/ +[0-9.]+ ms$/, "", name)
               if (!(name in best) || ms < best[name]) best[name] = ms; order[name] = NR }
             END { for (n in best) printf "%d %-16s %9.1f ms\n", order[n], n, best[n] }' \
    | sort -n | cut -d' ' -f2- | tee -a "$stages"
done
# Each stage's time on one thread over its time on all, from the two tables above.
awk -v n="$(nproc)" '{ ms = $(NF - 1); name = $0; sub(/ +[0-9.]+ ms$/, "", name)
       if (name in one) { if (ms > 0) printf "speed-up 1 -> %s threads: %-16s %5.2fx\n", n, name, one[name] / ms }
       else one[name] = ms }' "$stages"
rm -f "$stages"

# What two threads can give on this machine now: two CPU-bound jobs at once against one.
ceiling=$(python3 - <<'PY'
import multiprocessing as mp, time
def spin(n):
    while n: n -= 1
if __name__ == "__main__":
    n = 20_000_000
    t = time.perf_counter(); spin(n); one = time.perf_counter() - t
    jobs = [mp.Process(target=spin, args=(n,)) for _ in range(2)]
    t = time.perf_counter(); [j.start() for j in jobs]; [j.join() for j in jobs]
    print(f"{2 * one / (time.perf_counter() - t):.2f}")
PY
)
echo
echo "machine ceiling: two CPU-bound processes at once did ${ceiling}x the work of one in the same time"
echo "(2.00 on two idle cores; lower when the machine is shared)"
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
