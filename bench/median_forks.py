#!/usr/bin/env python3
"""Merges the JSON of several runs of the Java bench (one JVM each) into one file of the same shape.

    median_forks.py OUT.json FORK1.json FORK2.json ...

Every number that differs between the runs (throughputs, times, GFLOP/s) becomes the median over the runs; everything
else (the settings, and counts that every run computes alike) is taken from the first run. The file also gets
"java_forks" (the number of runs) and "fork_values" (each merged figure's values, run by run), so that the spread
between JVMs stays visible. Why: how fast a JVM runs the compiled kernels varies from one JVM to the next by up to
1.5x on this kind of machine (docs/benchmarks.md, "Same-work targets"), so one JVM per side is one sample of that spread.
"""
import json
import statistics
import sys


def merge(runs):
    first = runs[0]
    out = dict(first)
    spread = {}
    for key, value in first.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        values = [r.get(key) for r in runs]
        if any(not isinstance(v, (int, float)) or isinstance(v, bool) for v in values):
            continue
        if all(v == value for v in values):
            continue
        out[key] = statistics.median(values)
        spread[key] = values
    out["java_forks"] = len(runs)
    out["fork_values"] = spread
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: median_forks.py OUT.json FORK1.json [FORK2.json ...]")
    runs = []
    for path in argv[2:]:
        with open(path) as f:
            runs.append(json.load(f))
    with open(argv[1], "w") as f:
        json.dump(merge(runs), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)
