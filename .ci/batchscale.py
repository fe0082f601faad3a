#!/usr/bin/env python3
"""Times `synfin batch` with --jobs 1 and --jobs 2 over a directory of
captures, alternating, and prints medians and their ratio (issue 6). Also
runs two --jobs 1 batches at once: what two independent processes get from
the machine's two cores is the most --jobs 2 can get.

usage: batchscale.py SYNFIN DIR [PAIRS]"""
import os, statistics, sys, time

synfin, corpus = sys.argv[1], sys.argv[2]
pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
out = os.path.join(os.environ.get("TMPDIR", "/tmp"), "batchscale-%d" % os.getpid())


def start(jobs, tag):
    path = "%s-%s.jsonl" % (out, tag)
    try:
        os.unlink(path)  # a fresh file: truncating a large one costs milliseconds
    except FileNotFoundError:
        pass
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.execv(synfin, [synfin, "batch", "--jobs", str(jobs), "--no-progress", "-o", path, corpus])
    return pid


def timed(*runs):
    t = time.perf_counter()
    cpu = 0.0
    for pid in [start(j, tag) for j, tag in runs]:
        _, _, ru = os.wait4(pid, 0)
        cpu += ru.ru_utime + ru.ru_stime
    return time.perf_counter() - t, cpu


for _ in range(3):  # page cache and binary warm
    timed((1, "a"))
    timed((2, "a"))
j1, j2, both = [], [], []
for _ in range(pairs):
    j1.append(timed((1, "a")))
    j2.append(timed((2, "a")))
    both.append(timed((1, "a"), (1, "b")))
for tag in ("a", "b"):
    try:
        os.unlink("%s-%s.jsonl" % (out, tag))
    except FileNotFoundError:
        pass
w1, w2, wb = (statistics.median(x[0] for x in r) for r in (j1, j2, both))
c1, c2 = (statistics.median(x[1] for x in r) for r in (j1, j2))
print("--jobs 1: %.4f s wall, %.4f s CPU" % (w1, c1))
print("--jobs 2: %.4f s wall, %.4f s CPU" % (w2, c2))
print("ratio of medians %.3f, median of pair ratios %.3f (%d pairs)" % (
    w1 / w2, statistics.median(a[0] / b[0] for a, b in zip(j1, j2)), pairs))
print("two --jobs 1 at once: %.4f s, so two cores give at most %.3f x" % (wb, 2 * w1 / wb))
