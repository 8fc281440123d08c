#!/bin/sh
# Fills fuzz/corpus/<target>/ with seeds: the small committed ones in fuzz/seeds/, the test
# fixtures, and — when the folder is there — the real exports in ../shared/real-exports (or
# $ORCHARD_REAL_EXPORTS). Real exports are copied at run time only, cut to their first 16 KiB
# (libFuzzer works best on small inputs), and never committed: corpus/ is gitignored.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
real=${ORCHARD_REAL_EXPORTS:-$root/../shared/real-exports}
[ -d "$real" ] || real=/work/shared/real-exports
corpus=$here/corpus
mkdir -p "$corpus/connections" "$corpus/messages" "$corpus/invitations" "$corpus/profile" \
    "$corpus/dates" "$corpus/zip_export" "$corpus/pipeline"
cp "$here"/seeds/dates/* "$corpus/dates/"

list=$(mktemp)
trap 'rm -f "$list"' EXIT
for dir in "$root"/tests/fixtures/*/; do echo "${dir%/}"; done > "$list"
if [ -d "$real" ]; then
    find "$real" -name '*.csv' -exec dirname {} \; | sort -u >> "$list"
else
    echo "seed.sh: $real not found; seeding from the fixtures only" >&2
fi
n=0
while IFS= read -r dir; do
    n=$((n + 1))
    for f in "$dir"/*.csv "$dir"/*.CSV; do
        [ -f "$f" ] || continue
        lower=$(basename "$f" | tr 'A-Z ' 'a-z_')
        case "$lower" in
            connections*) target=connections ;;
            messages*) target=messages ;;
            invitations*) target=invitations ;;
            profile*) target=profile ;;
            *) continue ;;
        esac
        head -c 16384 "$f" > "$corpus/$target/seed-$n-$lower"
    done
    # The same folder as a zip, files at its root, each cut to 16 KiB.
    python3 - "$dir" "$corpus/zip_export/seed-$n.zip" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(src)):
        if name.lower().endswith(".csv"):
            with open(os.path.join(src, name), "rb") as f:
                z.writestr(name, f.read(16384))
PY
    # The four files joined by NUL bytes, each cut to 4 KiB, for the pipeline target.
    python3 - "$dir" "$corpus/pipeline/seed-$n" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
names = {n.lower(): n for n in os.listdir(src) if n.lower().endswith(".csv")}
parts = []
for prefix in ("connections", "messages", "invitations", "profile"):
    match = sorted(n for n in names if n.startswith(prefix))
    data = b""
    if match:
        with open(os.path.join(src, names[match[0]]), "rb") as f:
            data = f.read(4096).replace(b"\0", b"")
    parts.append(data)
with open(dst, "wb") as f:
    f.write(b"\0".join(parts))
PY
done < "$list"
echo "seed.sh: $(find "$corpus" -type f | wc -l) seed files in $corpus"
