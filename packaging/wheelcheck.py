#!/usr/bin/env python3
"""Checks built wheels the way an installer may: every file is listed in
RECORD with its sha256 and size, RECORD lists nothing else, WHEEL's tags are
the file name's, and the binary is an executable .data/scripts entry.

    python3 packaging/wheelcheck.py dist/tdlint-*.whl
"""

import base64
import hashlib
import sys
import zipfile


def check(path):
    errors = []
    name = path.rsplit("/", 1)[-1]
    dist, version, py, abi, plat = name[: -len(".whl")].split("-")
    info = f"{dist}-{version}.dist-info"
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        record = z.read(f"{info}/RECORD").decode("utf-8")
        listed = set()
        for line in record.splitlines():
            file, digest, size = line.rsplit(",", 2)
            listed.add(file)
            if file == f"{info}/RECORD":
                if digest or size:
                    errors.append("RECORD lists a hash for itself")
                continue
            if file not in names:
                errors.append(f"RECORD lists {file}, not in the wheel")
                continue
            data = z.read(file)
            want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            if digest != want or size != str(len(data)):
                errors.append(f"RECORD's {file}: {digest},{size}; the file is {want},{len(data)}")
        for file in sorted(names - listed):
            errors.append(f"{file} is not in RECORD")
        tags = {line.split(": ", 1)[1] for line in z.read(f"{info}/WHEEL").decode().splitlines() if line.startswith("Tag: ")}
        want_tags = {f"{py}-{abi}-{p}" for p in plat.split(".")}
        if tags != want_tags:
            errors.append(f"WHEEL tags {sorted(tags)}, file name {sorted(want_tags)}")
        exe = "tdlint.exe" if plat.startswith("win") else "tdlint"
        script = f"{dist}-{version}.data/scripts/{exe}"
        if script not in names:
            errors.append(f"no {script}")
        elif (z.getinfo(script).external_attr >> 16) & 0o111 == 0:
            errors.append(f"{script} is not executable")
        meta = z.read(f"{info}/METADATA").decode()
        if f"\nVersion: {version}\n" not in meta or f"\nName: {dist}\n" not in meta:
            errors.append("METADATA's name or version is not the file name's")
    return errors


def main(paths):
    bad = False
    for path in paths:
        errors = check(path)
        for e in errors:
            print(f"wheelcheck: {path}: {e}", file=sys.stderr)
        bad = bad or bool(errors)
        if not errors:
            print(f"wheelcheck: {path}: ok")
    return 1 if bad or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
