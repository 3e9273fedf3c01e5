#!/usr/bin/env python3
"""`handoff build --watch` reaction to a save against a one-shot build (issue 17's aim: one
build + 20 ms). Not part of the test suite.

    python3 benches/watch_reaction.py [BIN] [SAVES]

Copies briefs/enterprise-pipeline.yaml into a temporary project, starts `build --watch` on it,
then SAVES times: rewrites the brief (a changed comment, so the content differs), and polls
every millisecond until the design document is replaced (its inode changes: outputs are
renamed in). Prints the median and range of the reaction, and of a one-shot build of the same
brief for comparison.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/handoff")
SAVES = int(sys.argv[2]) if len(sys.argv) > 2 else 15
NOW = ["--now", "2027-01-04T09:00:00Z"]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = tempfile.mkdtemp()
brief = os.path.join(work, "brief.yaml")
shutil.copy(os.path.join(root, "briefs", "enterprise-pipeline.yaml"), brief)
out, plans = os.path.join(work, "out"), os.path.join(work, "plans")
text = open(brief).read()


def design():
    for dirpath, _, files in os.walk(out):
        for f in files:
            if f.startswith("design") and f.endswith(".md"):
                p = os.path.join(dirpath, f)
                return p, os.stat(p).st_ino
    return None, None


one_shot = []
for i in range(SAVES):
    o = os.path.join(work, f"once{i}")
    t = time.perf_counter()
    subprocess.run([BIN, "build", brief, "--out", o, "--plans-dir", o + "-plans", *NOW], check=True,
                   stdout=subprocess.DEVNULL)
    one_shot.append(time.perf_counter() - t)

watch = subprocess.Popen([BIN, "build", brief, "--out", out, "--plans-dir", plans, "--watch", *NOW],
                         stdout=open(os.path.join(work, "watch.out"), "w"), stderr=subprocess.STDOUT)
try:
    deadline = time.time() + 30
    while design()[0] is None:
        if time.time() > deadline:
            sys.exit("watch never wrote the first build")
        time.sleep(0.01)
    time.sleep(0.5)
    reactions = []
    for i in range(SAVES):
        _, ino = design()
        with open(brief, "w") as f:
            f.write(text + f"\n# save {i}\n")
        t = time.perf_counter()
        while design()[1] == ino:
            if time.perf_counter() - t > 10:
                sys.exit(f"save {i}: no rebuild within 10 s; watch said:\n" + open(os.path.join(work, "watch.out")).read())
            time.sleep(0.001)
        reactions.append(time.perf_counter() - t)
        time.sleep(0.3)
finally:
    watch.terminate()
    watch.wait()


def show(name, v):
    ms = [x * 1000 for x in v]
    print(f"{name}: median {statistics.median(ms):.1f} ms (min {min(ms):.1f}, max {max(ms):.1f}, {len(ms)} runs)")


print(f"load average {os.getloadavg()[0]:.2f}")
show("one-shot build (process start to exit)", one_shot)
show("watch: save to design replaced", reactions)
shutil.rmtree(work)
