"""Times CPython's own ast.parse over the files named on stdin (one path per
line), excluding file reading, and prints a JSON summary."""
import ast
import json
import sys
import time

paths = [line.strip() for line in sys.stdin if line.strip()]
sources = [open(p, "rb").read() for p in paths]
start = time.perf_counter()
failed = 0
for p, s in zip(paths, sources):
    try:
        ast.parse(s, p)
    except (SyntaxError, ValueError):
        failed += 1
seconds = time.perf_counter() - start
print(json.dumps({"tool": "cpython-ast.parse " + sys.version.split()[0], "files": len(paths),
                  "bytes": sum(map(len, sources)), "seconds": seconds, "rejected": failed}))
