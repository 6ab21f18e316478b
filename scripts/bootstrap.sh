#!/usr/bin/env bash
# Sets up this machine for AlgoPerf.Actors, idempotently: system packages and the .NET build (TorchSharp brings LibTorch
# as a NuGet package; the build applies the libstdc++ compatibility step where this machine needs it, docs/torchsharp.md).
# A second run on a ready machine does nothing slow. Run as root (or with sudo available).
#
#   scripts/bootstrap.sh [--with-benchmarks] [--with-browser]   # python3-torch (the speed peer); chromium (dashboard test)
#
# Environment:
#   ALGOPERF_SKIP_DOTNET_BUILD=1   stop after the system packages
#   TORCH_BACKEND=cuda             build against TorchSharp-cuda-linux (GPU hosts; from the public NuGet feed)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

say() { printf '[bootstrap] %s\n' "$*"; }

# g++ and patchelf: the TorchSharp compatibility step on Debian 12 (eng/torchsharp-compat/apply.py, run by the build).
# libgloo-dev: the Gloo reducer's native library (native/gloo/, built by the build with g++; docs/data-parallel.md).
# yamllint: lints the Kubernetes manifests (k8s/, .yamllint; tests/Seed.Tests/Kubernetes).
packages=(g++ patchelf libgloo-dev postgresql dataset-fashion-mnist fortunes librsvg2-bin yamllint)
for arg in "$@"; do
  case "$arg" in
    --with-benchmarks) packages+=(python3-torch) ;;
    --with-browser) packages+=(chromium) ;;
    *) echo "bootstrap.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

# 1. System packages: only touch apt when something is missing.
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap.sh: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "system packages present"
fi

command -v dotnet >/dev/null || { echo "bootstrap.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

# 2. The .NET solution, skipped when nothing changed since the last successful build.
[ "${ALGOPERF_SKIP_DOTNET_BUILD:-0}" = 1 ] && exit 0
mkdir -p "$repo/build"
stamp="$repo/build/dotnet-build.stamp"
if [ -f "$stamp" ] && [ -z "$(find src tests benchmarks examples hocon eng native Directory.*.props Directory.*.targets global.json AlgoPerf.Actors.sln \
      -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.conf' -o -name '*.json' -o -name '*.sln' \
      -o -path 'eng/torchsharp-compat/*' -o -path 'native/*' \) \
      -print -quit 2>/dev/null)" ]; then
  say ".NET build up to date"
else
  say "building .NET solution (Release)"
  dotnet build "$repo/AlgoPerf.Actors.sln" -c Release --nologo -v quiet -clp:ErrorsOnly -p:TorchBackend="${TORCH_BACKEND:-cpu}"
  touch "$stamp"
fi
say "ready"
