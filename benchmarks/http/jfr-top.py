#!/usr/bin/env python3
"""Where the CPU went in a JFR recording: the top frames by self time and by inclusive time (share of
all execution samples), and the share under each of a few cara/Helidon entry points.

    benchmarks/http/jfr-top.py FILE.jfr [TOP]

Reads `jfr print --json --events jdk.ExecutionSample` (the JDK's jfr tool next to bin/cara-java).
"""
import collections, json, os, subprocess, sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
java = subprocess.run([os.path.join(root, "bin", "cara-java")], capture_output=True, text=True, check=True).stdout.strip()
jfr = os.path.join(os.path.dirname(java), "jfr")
event = os.environ.get("EVENT", "jdk.ExecutionSample")  # or jdk.CPUTimeSample (JDK 25+, Linux)
raw = subprocess.run([jfr, "print", "--json", "--stack-depth", "96", "--events", event, path],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(raw)["recording"]["events"]

def name(frame):
    m = frame["method"]
    return f'{m["type"]["name"]}.{m["name"]}'.replace("/", ".")

self_counts, incl_counts = collections.Counter(), collections.Counter()
for e in events:
    frames = [name(f) for f in (e["values"]["stackTrace"] or {}).get("frames", [])]
    if not frames:
        continue
    self_counts[frames[0]] += 1
    for f in set(frames):
        incl_counts[f] += 1
n = sum(self_counts.values())
print(f"{path}: {n} samples ({event})")
print(f"\n-- top {top} frames by self time --")
for f, c in self_counts.most_common(top):
    print(f"{100 * c / n:5.1f}%  {f}")
print(f"\n-- top {top} frames by inclusive time (cara, Helidon, Micrometer, JSON, MapDB) --")
interesting = ("dev.cara", "io.helidon", "io.micrometer", "org.eclipse.parsson", "org.mapdb", "jakarta")
for f, c in [(f, c) for f, c in incl_counts.most_common() if f.startswith(interesting)][:top]:
    print(f"{100 * c / n:5.1f}%  {f}")
