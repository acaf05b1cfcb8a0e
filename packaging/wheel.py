#!/usr/bin/env python3
"""Build tdlint wheels that carry the native binary, the way Ruff ships.

    python3 packaging/wheel.py --version 0.1.0 --dist dist linux/amd64 windows/amd64 ...

For each GOOS/GOARCH it reads the Go build dist/<os>-<arch>/tdlint[.exe]
(`make cross`) and writes dist/tdlint-<version>-py3-none-<platform>.whl. The
binary is a .data/scripts/ entry, so pip installs it as bin/tdlint (Windows
Scripts\\tdlint.exe) on the environment's PATH; a small tdlint package makes
`python -m tdlint` work too. Standard library only, no network; the archive
is byte-for-byte reproducible (fixed timestamps, sorted entries).
"""

import argparse
import base64
import hashlib
import io
import os
import re
import sys
import zipfile

NAME = "tdlint"

# Go's binaries are static (CGO_ENABLED=0), so any glibc or musl Linux runs
# them; Go 1.25 and later need macOS 12.
PLATFORM_TAGS = {
    "linux/amd64": "manylinux_2_17_x86_64.manylinux2014_x86_64.musllinux_1_1_x86_64",
    "linux/arm64": "manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64",
    "darwin/amd64": "macosx_12_0_x86_64",
    "darwin/arm64": "macosx_12_0_arm64",
    "windows/amd64": "win_amd64",
    "windows/arm64": "win_arm64",
}

# PEP 440, public versions only: what PyPI accepts.
VERSION_RE = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")

SUMMARY = (
    "Finds TouchDesigner threading bugs in Python: TD access from worker "
    "threads, blocking calls on the main thread, run() misuse"
)

DESCRIPTION = """\
# tdlint

A static analyzer for the Python that runs inside TouchDesigner. It finds
thread conflicts (TD objects touched from worker threads), blocking calls on
TD's main thread and misuse of run() and the ThreadManager.

This package carries tdlint's native binary: `pip install tdlint` puts the
`tdlint` command on PATH, no Go needed.

    tdlint check .
    tdlint server      # the language server, for editors

See https://github.com/tdlint/tdlint for the rules and configuration.
"""

INIT_PY = '''\
"""tdlint's native binary, installed by pip as a script; python -m tdlint runs it."""

import os
import sys
import sysconfig

__all__ = ["find_tdlint"]


def find_tdlint():
    """The tdlint executable pip put in this environment's scripts folder."""
    exe = "tdlint" + (sysconfig.get_config_var("EXE") or "")
    schemes = [None, os.name + "_user"]
    if sys.platform == "darwin":
        schemes.append("osx_framework_user")
    for scheme in schemes:
        try:
            folder = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        path = os.path.join(folder, exe)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(exe + " is not in this environment's scripts folder")
'''

MAIN_PY = '''\
"""python -m tdlint: runs the tdlint binary this package installed."""

import os
import subprocess
import sys

from tdlint import find_tdlint


def main():
    tdlint = find_tdlint()
    if os.name == "nt":
        # Windows has no exec: wait, and pass the exit code on.
        sys.exit(subprocess.call([tdlint, *sys.argv[1:]]))
    os.execv(tdlint, [tdlint, *sys.argv[1:]])


if __name__ == "__main__":
    main()
'''

# The zip epoch: the same inputs give the same wheel.
EPOCH = (1980, 1, 1, 0, 0, 0)


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def metadata(version):
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + NAME,
        "Version: " + version,
        "Summary: " + SUMMARY,
        "Home-page: https://github.com/tdlint/tdlint",
        "Project-URL: Source, https://github.com/tdlint/tdlint",
        "Keywords: touchdesigner,python,threading,lint",
        "Classifier: Environment :: Console",
        "Classifier: Operating System :: Microsoft :: Windows",
        "Classifier: Operating System :: MacOS",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: Topic :: Software Development :: Quality Assurance",
        "Requires-Python: >=3.7",
        "Description-Content-Type: text/markdown",
    ]
    return ("\n".join(lines) + "\n\n" + DESCRIPTION).encode("utf-8")


def wheel_file(tags):
    lines = [
        "Wheel-Version: 1.0",
        "Generator: tdlint packaging/wheel.py",
        # The binary is platform-specific: the package goes to platlib.
        "Root-Is-Purelib: false",
    ]
    lines += ["Tag: py3-none-" + t for t in tags.split(".")]
    return ("\n".join(lines) + "\n").encode("utf-8")


def build(version, platform, binary, out_dir):
    """Writes the wheel for one GOOS/GOARCH and returns its path."""
    tags = PLATFORM_TAGS[platform]
    exe = "tdlint.exe" if platform.startswith("windows/") else "tdlint"
    with open(binary, "rb") as f:
        native = f.read()
    dist_info = f"{NAME}-{version}.dist-info"
    data = f"{NAME}-{version}.data"
    # (archive name, bytes, unix mode)
    entries = [
        (f"{NAME}/__init__.py", INIT_PY.encode("utf-8"), 0o644),
        (f"{NAME}/__main__.py", MAIN_PY.encode("utf-8"), 0o644),
        (f"{data}/scripts/{exe}", native, 0o755),
        (f"{dist_info}/METADATA", metadata(version), 0o644),
        (f"{dist_info}/WHEEL", wheel_file(tags), 0o644),
    ]
    record = io.StringIO()
    for name, content, _ in entries:
        record.write(f"{name},{record_hash(content)},{len(content)}\n")
    record.write(f"{dist_info}/RECORD,,\n")
    entries.append((f"{dist_info}/RECORD", record.getvalue().encode("utf-8"), 0o644))

    path = os.path.join(out_dir, f"{NAME}-{version}-py3-none-{tags}.whl")
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, content, mode in entries:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.external_attr = (0o100000 | mode) << 16  # a regular file
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode is read
            z.writestr(info, content)
    os.replace(tmp, path)
    return path


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", required=True, help="PEP 440 version, e.g. 0.1.0")
    ap.add_argument("--dist", default="dist", help="folder of the Go builds and the wheels")
    ap.add_argument("platforms", nargs="+", metavar="GOOS/GOARCH")
    args = ap.parse_args(argv)
    if not VERSION_RE.match(args.version):
        ap.error(f"version {args.version!r} is not a public PEP 440 version")
    for p in args.platforms:
        if p not in PLATFORM_TAGS:
            ap.error(f"no wheel platform for {p}; known: {', '.join(sorted(PLATFORM_TAGS))}")
    for p in args.platforms:
        goos, goarch = p.split("/")
        exe = "tdlint.exe" if goos == "windows" else "tdlint"
        binary = os.path.join(args.dist, f"{goos}-{goarch}", exe)
        if not os.path.isfile(binary):
            print(f"wheel.py: {binary} is missing: run `make cross` first", file=sys.stderr)
            return 2
        print("wheel", build(args.version, p, binary, args.dist))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
