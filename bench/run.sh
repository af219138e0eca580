#!/usr/bin/env bash
# Every figure of issue 15 in one command, measured on the node as the Dockerfile ships it: published for this
# machine's runtime identifier, hence ahead-of-time compiled (ReadyToRun). Options go to the benchmark (--help).
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
out=bench/out/node
dotnet publish src/Node -c Release -r "$rid" --self-contained false -o "$out" -nologo -v quiet
dotnet build bench/Kuiper.Bench -c Release -nologo -v quiet
exec dotnet run -c Release --no-build --project bench/Kuiper.Bench -- --node "$out/Kuiper.Node.dll" "$@"
