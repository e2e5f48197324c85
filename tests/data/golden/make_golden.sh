#!/usr/bin/env bash
# Makes the golden checksums of the demo worlds' result tables (tests/data/golden/checksums.sha256)
# with a given minecarbon binary:
#
#   tests/data/golden/make_golden.sh build/minecarbon
#
# It runs `minecarbon synth` (seed 42) and the demo project, then lists the SHA-256 of every
# results CSV after replacing the data folder's absolute path (which the vegetation stage cites in
# its species table) by "<data>/", and the demo folder's (which the emissions stage cites for the
# demo's own grid table) by "<demo>/", so the sums do not depend on where the repository lives.
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
data_dir=$(cd "$here/../../../data" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" -q synth --out "$work/demo"
"$bin" -q run "$work/demo/project.toml"
cd "$work/demo"
find . -path '*results*' -name '*.csv' | LC_ALL=C sort | while read -r f; do
  sum=$(sed -e "s#$data_dir/#<data>/#g" -e "s#$work/demo/#<demo>/#g" "$f" | sha256sum | cut -d' ' -f1)
  echo "$sum  $f"
done > "$here/checksums.sha256"
mkdir -p "$here/damage_tables"
cp results/tables/*.csv "$here/damage_tables/"
echo "wrote $here/checksums.sha256 ($(wc -l < "$here/checksums.sha256") tables)"
