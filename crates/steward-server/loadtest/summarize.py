#!/usr/bin/env python3
"""Summaries of wrk reports for run.sh.

  summarize.py --parse NAME PER_REQUEST PEAK_RSS_KB CPU_S [WRK_OUTPUT…]    # one tab-separated line
  summarize.py --table < results.tsv                               # medians per scenario

A line holds: name, requests/s, decisions/s (requests/s x PER_REQUEST), p50 ms, p99 ms,
peak RSS kB, non-2xx responses, socket errors, server CPU µs per decision (CPU_S, the server's
user + system time during the run, over the decisions answered). Several wrk reports (one per
replica, run at the same time) are summed: requests/s and counts added, the slowest p50 and p99
kept; without a file the report is read from standard input."""
import re
import statistics
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s)", text)
    if not m:
        raise ValueError(f"not a wrk duration: {text}")
    return float(m.group(1)) * UNITS[m.group(2)]


def report(out):
    """requests/s, requests, p50 ms, p99 ms, non-2xx, socket errors of one wrk report."""
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors:(.*)", out)
    errors = 0
    if sock:
        errors = sum(int(n) for n in re.findall(r"\d+", sock.group(1)))
    return rps, total, p50, p99, int(non2xx.group(1)) if non2xx else 0, errors


def parse(name, per, peak, cpu_s, *files):
    outs = [open(f).read() for f in files] if files else [sys.stdin.read()]
    rs = [report(o) for o in outs]
    rps = sum(r[0] for r in rs)
    total = sum(r[1] for r in rs)
    p50 = max(r[2] for r in rs)
    p99 = max(r[3] for r in rs)
    non2xx = sum(r[4] for r in rs)
    errors = sum(r[5] for r in rs)
    cpu_us = float(cpu_s) * 1e6 / max(total * int(per), 1)
    print("\t".join([name, f"{rps:.1f}", f"{rps * int(per):.0f}", f"{p50:.3f}", f"{p99:.3f}",
                     peak, str(non2xx), str(errors), f"{cpu_us:.3f}"]))


def table():
    runs = {}
    for line in sys.stdin:
        f = line.rstrip("\n").split("\t")
        if len(f) == 9:
            runs.setdefault(f[0], []).append(f)
    print("| scenario | runs | requests/s | decisions or writes/s (median; min–max) | p50 ms | p99 ms | server CPU µs per decision | peak RSS MB | non-2xx / socket errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, rs in runs.items():
        med = lambda i: statistics.median(float(r[i]) for r in rs)
        per = [float(r[2]) for r in rs]
        print(f"| {name} | {len(rs)} | {med(1):,.0f} | {med(2):,.0f} ({min(per):,.0f}–{max(per):,.0f}) "
              f"| {med(3):.2f} | {med(4):.2f} | {med(8):.2f} | {max(int(r[5]) for r in rs) / 1024:.0f} "
              f"| {sum(int(r[6]) for r in rs)} / {sum(int(r[7]) for r in rs)} |")


if __name__ == "__main__":
    if sys.argv[1] == "--parse":
        parse(*sys.argv[2:])
    else:
        table()
