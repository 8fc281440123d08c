#!/usr/bin/env bash
# Renders the sample report and takes a full-page screenshot of its index.html in headless
# Chromium, to look at the page as a reader would. Not part of `cargo test`.
#
#   tests/browser/screenshot.sh [EXPORT] [OUT.png]
#
# Installs Debian's chromium when it is missing. The page makes no network requests; the
# flags below also keep Chromium's own background traffic off.
set -euo pipefail
cd "$(dirname "$0")/../.."
export_dir=${1:-data/sample-export}
shot=${2:-target/screenshot/index.png}

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (Debian package)…" >&2
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

report=$(mktemp -d)/report
cargo run --quiet --release -- report "$export_dir" -o "$report" -q
mkdir -p "$(dirname "$shot")"
profile=$(mktemp -d)
# A tall window captures the whole page; Chromium trims nothing, so pick generously.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1280,${HEIGHT:-9000} --screenshot="$PWD/$shot" "file://$report/index.html" 2>/dev/null
echo "screenshot: $shot (report in $report)"
