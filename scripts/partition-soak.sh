#!/usr/bin/env bash
# Runs the network-partition tests N times in a row (default 10) and prints, per run and test, the outcome, its time,
# and the majority's longest time without an acknowledged write after the cut. Needs root (network namespaces), a
# Release build (scripts/test.sh makes one) and Debian's PostgreSQL; each test starts its own server.
#   bash scripts/partition-soak.sh [N]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
out=$(mktemp -d /tmp/kuiper-soak.XXXXXX)
for i in $(seq 1 "$runs"); do
  KUIPER_TEST_RESULTS="$out/run$i" dotnet test tests/Kuiper.Tests -c Release --no-build \
    --filter "FullyQualifiedName~Cluster.PartitionTests" --logger "console;verbosity=detailed" > "$out/run$i.log" 2>&1
  grep -E "^\s+(Passed|Failed) Kuiper|^ largest gap" "$out/run$i.log" | grep -v xUnit |
    sed -E 's/^\s+//; s/Kuiper.Tests.Cluster.PartitionTests.//' | paste -d' ' - - | sed "s/^/run $i: /"
done
echo "logs: $out"
