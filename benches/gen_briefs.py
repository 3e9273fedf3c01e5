"""Write N brief files, variations of the examples in briefs/: each with its own id, title,
volume and head count. With INVALID_EVERY > 0, one file in that many is made invalid in one of
three ways a schema validator sees too (a bad enum value, a misspelt key, a number written as
text). Used by the benches in this folder.

    python3 benches/gen_briefs.py SRC_DIR DST_DIR N [INVALID_EVERY]
"""
import pathlib
import re
import sys

src, dst, n = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
invalid_every = int(sys.argv[4]) if len(sys.argv) > 4 else 0
texts = [p.read_text() for p in sorted(src.glob("*.yaml"))]
for i in range(n):
    t = texts[i % len(texts)]
    base = re.search(r"^id: (\S+)$", t, re.M).group(1)
    t = re.sub(r"^id: .*$", f"id: {base}-{i:05d}", t, count=1, flags=re.M)
    t = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)} (variant {i})", t, count=1, flags=re.M)
    # Volume and head count vary, so the briefs are not all the same document.
    t = re.sub(r"(leads_per_(?:week|day): )(\d+)", lambda m: m.group(1) + str(int(m.group(2)) * (90 + i % 21) // 100), t, count=1)
    t = re.sub(r"(\n\s+reps: )(\d+)\n", lambda m: m.group(1) + str(int(m.group(2)) + i % 3) + "\n", t, count=1)
    if invalid_every and i % invalid_every == invalid_every - 1:
        kind = (i // invalid_every) % 3
        if kind == 0:
            t = re.sub(r"^segment: .*$", "segment: small-business", t, count=1, flags=re.M)
        elif kind == 1:
            t = re.sub(r"^response_sla:", "respnse_sla:", t, count=1, flags=re.M)
        else:
            t = re.sub(r"(leads_per_(?:week|day): )\d+", r"\1lots", t, count=1)
    (dst / f"brief-{i:05d}.yaml").write_text(t)
