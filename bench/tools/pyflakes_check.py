"""Times pyflakes (Debian's python3-pyflakes) over the files named on stdin,
in-process, excluding file reading, and prints a JSON summary."""
import json
import sys
import time

from pyflakes import api, reporter


class Count(reporter.Reporter):
    def __init__(self):
        super().__init__(None, None)
        self.n = 0

    def unexpectedError(self, filename, msg):
        self.n += 1

    def syntaxError(self, filename, msg, lineno, offset, text):
        self.n += 1

    def flake(self, message):
        self.n += 1


paths = [line.strip() for line in sys.stdin if line.strip()]
sources = [open(p, "rb").read().decode("utf-8", "replace") for p in paths]
rep = Count()
start = time.perf_counter()
for p, s in zip(paths, sources):
    try:
        api.check(s, p, rep)
    except (SyntaxError, ValueError, LookupError):
        # pyflakes' tokenizer rejects a few files CPython's parser also
        # rejects (bad coding cookies); count them as findings.
        rep.n += 1
seconds = time.perf_counter() - start
print(json.dumps({"tool": "pyflakes", "files": len(paths), "bytes": sum(len(s.encode()) for s in sources),
                  "seconds": seconds, "findings": rep.n}))
