#!/usr/bin/env python3
"""Writes a git fast-import stream for the source benchmark repository: FILES files of about
SIZE bytes in total, spread over directories, built up over COMMITS commits (each commit adds or
rewrites a slice of the files). Content is YAML-like text with per-file variation, so it
compresses like real manifests rather than like random bytes."""
import random
import sys

files, total_bytes, commits = (int(a) for a in sys.argv[1:4])
rng = random.Random(42)
per_file = total_bytes // files
words = ["apiVersion", "kind", "metadata", "name", "namespace", "labels", "spec", "replicas",
         "template", "containers", "image", "ports", "containerPort", "resources", "limits",
         "requests", "memory", "cpu", "env", "value", "volumeMounts", "mountPath", "selector"]

def content(i, rev):
    lines = [f"# file {i} revision {rev}"]
    size = len(lines[0])
    while size < per_file:
        line = "  " * rng.randint(0, 4) + rng.choice(words) + ": " + "%x" % rng.getrandbits(rng.choice([16, 32, 64, 128]))
        lines.append(line)
        size += len(line) + 1
    return ("\n".join(lines) + "\n").encode()

out = sys.stdout.buffer
mark = 0
per_commit = max(1, files // commits)
written = 0
for c in range(commits):
    # the first commits create the files, later ones rewrite a few each
    if written < files:
        batch = range(written, min(files, written + max(per_commit, files // max(1, commits // 2))))
        written = batch.stop
    else:
        batch = rng.sample(range(files), 10)
    out.write(b"commit refs/heads/main\n")
    mark += 1
    out.write(b"mark :%d\n" % mark)
    ts = 1700000000 + c * 60
    out.write(b"author Bench <bench@currents.invalid> %d +0000\n" % ts)
    out.write(b"committer Bench <bench@currents.invalid> %d +0000\n" % ts)
    msg = b"commit %d" % c
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    if c > 0:
        out.write(b"from :%d\n" % (mark - 1))
    for i in batch:
        data = content(i, c)
        out.write(b"M 100644 inline apps/team-%02d/svc-%03d/manifest-%d.yaml\n" % (i % 50, (i // 50) % 100, i))
        out.write(b"data %d\n" % len(data))
        out.write(data)
        out.write(b"\n")
out.write(b"done\n")
