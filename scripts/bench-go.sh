#!/usr/bin/env bash
# Runs the Go benchmarks of the dossier exports and the in-process page handlers against a
# PostgreSQL given by DATABASE_URL, and writes their figures into docs/benchmarks.md between
# "<!-- go:start -->" and "<!-- go:end -->", with the date and the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test -run '^$' -bench 'Dossier|Pages' -benchtime "${BENCH_TIME:-2s}" ./internal/server/ 2>&1 | grep -E '^(Benchmark|goos|goarch|cpu)')
echo "$out"
section=$(cat <<MD
## Exports and handlers (Go benchmarks)

Written by \`make bench\` (\`scripts/bench-go.sh\`): \`go test -bench 'Dossier|Pages' ./internal/server/\`, in
process against PostgreSQL, on $(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(go version | cut -d' ' -f3).

- \`BenchmarkDossierPDF\`: one person's PDF dossier through the whole stack (goal: under 50 ms per PDF, i.e.
  under 50000000 ns/op).
- \`BenchmarkDossierZip\`: \`/dossiers.zip\` built whole and downloaded, for 200 and for 800 people (a new server
  each iteration, so nothing comes from the kept file; the benchmark fails unless the archive opens with every
  person); \`peak-live-heap-MB\` is the live heap the garbage collector found at its peak during the export
  (goal: the same at both sizes). The 20,000-person zip is in "Bulk exports and restore" below.
- \`BenchmarkPages\`: pages through the handler stack with the page cache on and off.

\`\`\`
$out
\`\`\`
MD
)
file=docs/benchmarks.md
start='<!-- go:start -->'; end='<!-- go:end -->'
touch "$file"
if grep -qF "$start" "$file"; then
  awk -v s="$start" -v e="$end" -v body="$section" '
    $0 == s { print s; print body; skip = 1; next }
    $0 == e { skip = 0 }
    !skip { print }' "$file" > "$file.tmp" && mv "$file.tmp" "$file"
else
  printf '\n%s\n%s\n%s\n' "$start" "$section" "$end" >> "$file"
fi
echo "wrote $file"
