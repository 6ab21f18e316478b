#!/usr/bin/env python3
"""TorchSharp on a libstdc++ older than GCC 13 (Debian 12): the compatibility step, run after every build.

    eng/torchsharp-compat/apply.py NATIVE_DIR

NATIVE_DIR is a build output's runtimes/linux-x64/native (TorchSharp's libLibTorchSharp.so beside LibTorch 2.10).
libLibTorchSharp.so references one libstdc++ symbol introduced with GCC 13, std::ios_base_library_init
(_ZSt21ios_base_library_initv, version GLIBCXX_3.4.32); LibTorch's own libraries need only GLIBCXX_3.4.26. Where the
system libstdc++ lacks GLIBCXX_3.4.32, this step, on the copy in NATIVE_DIR (never the NuGet cache):
  1. builds libalgoperf_stdcxx_compat.so (stdcxx_compat.cpp: that one function, which constructs a static
     std::ios_base::Init, exported as version GLIBCXX_3.4.32) into NATIVE_DIR;
  2. marks libLibTorchSharp.so's reference to version GLIBCXX_3.4.32 weak (VER_FLG_WEAK in .gnu.version_r), so the
     loader accepts a libstdc++ without it, and adds the compat library as NEEDED, which then supplies the symbol;
  3. sets its RUNPATH to $ORIGIN, so the LibTorch 2.10 libraries beside it are loaded, never Debian's libtorch.
Where libstdc++ has GLIBCXX_3.4.32 (Debian 13, Ubuntu 24.04) nothing is changed. Idempotent: an already patched copy
is left as it is; a copy MSBuild refreshed from the package is patched again. Writes NATIVE_DIR/algoperf-compat.json
(applied or not, and why), which `algoperf version` reports. Needs g++ and patchelf (scripts/bootstrap.sh installs them).
"""
import json
import os
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = "GLIBCXX_3.4.32"
COMPAT = "libalgoperf_stdcxx_compat.so"
VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def system_libstdcxx():
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if "libstdc++.so.6 " in line and "x86-64" in line:
            return line.split("=>")[-1].strip()
    raise SystemExit("torchsharp-compat: no x86-64 libstdc++.so.6 in the loader cache")


def has_version(path, version):
    return version.encode() + b"\0" in open(path, "rb").read()


def verneed_flags(data, version):
    """Offsets and flags of every vernaux entry naming `version` (ELF64 little-endian)."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit("torchsharp-compat: not an ELF64 little-endian file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    found = []
    for s in sections:
        if s[1] != SHT_GNU_VERNEED:
            continue
        strings = sections[s[6]][4]
        off = s[4]
        while True:
            _, count, _, aux_rel, next_rel = struct.unpack_from("<HHIII", data, off)
            aux = off + aux_rel
            for _ in range(count):
                _, flags, _, name, aux_next = struct.unpack_from("<IHHII", data, aux)
                end = data.index(0, strings + name)
                if data[strings + name:end].decode() == version:
                    found.append((aux + 4, flags))
                if aux_next == 0:
                    break
                aux += aux_next
            if next_rel == 0:
                break
            off += next_rel
    return found


def run(*args):
    subprocess.run(args, check=True)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    native = sys.argv[1]
    lib = os.path.join(native, "libLibTorchSharp.so")
    marker = os.path.join(native, "algoperf-compat.json")
    if not os.path.isfile(lib):
        print(f"torchsharp-compat: {lib}: missing", file=sys.stderr)
        return 1
    libstdcxx = system_libstdcxx()
    if has_version(libstdcxx, VERSION):
        json.dump({"applied": False, "reason": f"{libstdcxx} has {VERSION}"}, open(marker, "w"))
        return 0

    data = bytearray(open(lib, "rb").read())
    refs = verneed_flags(data, VERSION)
    needed = subprocess.run(["patchelf", "--print-needed", lib], capture_output=True, text=True, check=True).stdout.split()
    if refs and all(flags & VER_FLG_WEAK for _, flags in refs) and COMPAT in needed and os.path.isfile(os.path.join(native, COMPAT)):
        json.dump({"applied": True, "reason": f"{libstdcxx} lacks {VERSION}"}, open(marker, "w"))
        return 0

    for tool in ("g++", "patchelf"):
        if shutil.which(tool) is None:
            raise SystemExit(f"torchsharp-compat: {tool} is needed (scripts/bootstrap.sh installs it)")
    run("g++", "-O2", "-shared", "-fPIC", "-o", os.path.join(native, COMPAT), os.path.join(HERE, "stdcxx_compat.cpp"),
        f"-Wl,--version-script={os.path.join(HERE, 'stdcxx_compat.map')}", f"-Wl,-soname,{COMPAT}")
    for offset, flags in refs:
        struct.pack_into("<H", data, offset, flags | VER_FLG_WEAK)
    open(lib, "wb").write(data)
    if COMPAT not in needed:
        run("patchelf", "--add-needed", COMPAT, lib)
    run("patchelf", "--set-rpath", "$ORIGIN", lib)
    json.dump({"applied": True, "reason": f"{libstdcxx} lacks {VERSION}"}, open(marker, "w"))
    print(f"torchsharp-compat: {lib}: {VERSION} made weak, {COMPAT} added, RUNPATH $ORIGIN")
    return 0


if __name__ == "__main__":
    sys.exit(main())
