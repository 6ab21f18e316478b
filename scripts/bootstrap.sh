#!/usr/bin/env bash
# Sets up this machine for AlgoPerf.Actors, idempotently: system packages, the native libtorch shim, the .NET build.
# A second run on a ready machine does nothing slow. Run as root (or with sudo available).
#
#   scripts/bootstrap.sh [--with-benchmarks]      # --with-benchmarks also installs python3-torch (the speed peer)
#
# Environment:
#   Torch_DIR        CMake config dir of another libtorch (e.g. a CUDA build: <libtorch>/share/cmake/Torch)
#   ALGOPERF_SKIP_DOTNET_BUILD=1   stop after the native build
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

say() { printf '[bootstrap] %s\n' "$*"; }

# libgloo-dev: Gloo headers for the c10d process group (libtorch-dev does not pull them in).
# patchelf: the TorchSharp compatibility step on Debian 12 (eng/torchsharp-compat/apply.py, run by the build).
packages=(libtorch-dev libgloo-dev libopenblas0-pthread cmake g++ make postgresql dataset-fashion-mnist fortunes librsvg2-bin patchelf)
for arg in "$@"; do
  case "$arg" in
    --with-benchmarks) packages+=(python3-torch) ;;
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

# 2. The native shim (CMake; incremental).
native_build="$repo/build/native"
mkdir -p "$native_build"
cmake_args=(-S "$repo/src/Torch/native" -B "$native_build" -DCMAKE_BUILD_TYPE=Release)
[ -n "${Torch_DIR:-}" ] && cmake_args+=("-DTorch_DIR=$Torch_DIR")
if [ ! -f "$native_build/CMakeCache.txt" ] || [ -n "${Torch_DIR:-}" ]; then
  say "configuring native shim"
  cmake "${cmake_args[@]}" >"$native_build/configure.log" 2>&1 || { cat "$native_build/configure.log" >&2; exit 1; }
fi
say "building native shim"
cmake --build "$native_build" -j "$(nproc)" 2>&1 | grep -vE '^\[ *[0-9]+%\] (Built target|Building|Linking)' || true
test -f "$native_build/libalgoperf_torch.so" || { echo "bootstrap.sh: native shim build failed" >&2; exit 1; }

# 3. The .NET solution, skipped when nothing changed since the last successful build.
[ "${ALGOPERF_SKIP_DOTNET_BUILD:-0}" = 1 ] && exit 0
stamp="$repo/build/dotnet-build.stamp"
if [ -f "$stamp" ] && [ -z "$(find src tests benchmarks examples hocon eng Directory.*.props Directory.*.targets global.json AlgoPerf.Actors.sln \
      -newer "$stamp" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.conf' -o -name '*.json' -o -name '*.sln' \
      -o -path 'eng/torchsharp-compat/*' \) \
      -print -quit 2>/dev/null)" ]; then
  say ".NET build up to date"
else
  say "building .NET solution (Release)"
  dotnet build "$repo/AlgoPerf.Actors.sln" -c Release --nologo -v quiet -clp:ErrorsOnly
  touch "$stamp"
fi
say "ready"
