"""Write one commit of a git repository out as plain files, for bench/realworld.

    python3 bench/realworld/extract.py GITDIR OUT [COMMIT]

GITDIR is a repository's git directory or work tree (a bare mirror is fine); COMMIT defaults to HEAD. Snapshots
of large repositories often lack their biggest blobs, so `git archive` and `git checkout` fail on
them: this skips a missing blob (and says how many it skipped) instead. Symbolic links and
submodules are skipped too. OUT/.commit records the commit, which bench/realworld compares with the
commit the labels were made at.
"""

import os
import subprocess
import sys


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    gitdir, out = argv[1], argv[2]
    if os.path.isdir(os.path.join(gitdir, ".git")):
        gitdir = os.path.join(gitdir, ".git")  # a work tree was named, not its git directory
    rev = argv[3] if len(argv) == 4 else "HEAD"
    git = ["git", "--git-dir", gitdir]
    commit = subprocess.run(git + ["rev-parse", "--verify", rev + "^{commit}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    tree = subprocess.run(git + ["ls-tree", "-r", "-z", commit], check=True, capture_output=True).stdout
    blobs = []
    for entry in tree.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":
            blobs.append((sha, path))
    written = missing = 0
    root = os.path.abspath(out).encode()
    cat = subprocess.Popen(git + ["cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for sha, path in blobs:
        cat.stdin.write(sha + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline()
        if header.endswith(b" missing\n"):
            missing += 1
            continue
        size = int(header.split()[2])
        data = cat.stdout.read(size)
        cat.stdout.read(1)  # the newline after each object
        target = os.path.normpath(os.path.join(root, path))
        if not target.startswith(root + b"/"):
            continue  # a path that climbs out of OUT is never written
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        written += 1
    cat.stdin.close()
    cat.wait()
    with open(os.path.join(out, ".commit"), "w") as f:
        f.write(commit + "\n")
    print(f"{commit}: {written} files written, {missing} missing blobs skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
