"""CPython side of pyparse's conformance test.

Reads file paths (one per line) on stdin and writes, for each, a line
"== <path>" followed by one line: ast.dump(ast.parse(src), include_attributes=True)
or "SyntaxError: <msg> (<file name>, line <n>)" exactly as `tdlint debug ast`
prints them.
"""
import ast
import os
import sys
import warnings

warnings.simplefilter("ignore")
out = sys.stdout
for line in sys.stdin:
    path = line.rstrip("\n")
    if not path:
        continue
    with open(path, "rb") as f:
        src = f.read()
    out.write("== " + path + "\n")
    try:
        tree = ast.parse(src, path)
    except SyntaxError as e:
        out.write("SyntaxError: %s (%s, line %s)\n" % (e.msg, os.path.basename(path), e.lineno))
        continue
    except ValueError as e:
        out.write("SyntaxError: %s (%s, line 0)\n" % (e, os.path.basename(path)))
        continue
    out.write(ast.dump(tree, include_attributes=True) + "\n")
