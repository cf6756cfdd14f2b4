#!/usr/bin/env python3
"""Chromium trace (room-probe's probe-*.json) read by each thread's own CPU time.

The wall times in a trace taken on these VMs are mostly a thread waiting for a core (5-20 times its CPU time), so a
phase that happened to be preempted looks expensive. Trace events carry `tdur`, the thread's CPU time, which does not
move with the machine's load. Used for fixes 27-29 in docs/PERFORMANCE.md.

  python3 docs/perf/trace-cpu.py threads OURS.json BASE.json    CPU ms per (process, thread) name, summed over pages
  python3 docs/perf/trace-cpu.py events  OURS.json THREAD [N]   self CPU ms per event name on threads named THREAD
  python3 docs/perf/trace-cpu.py frames  OURS.json [N]          each main-thread task over 0.3 ms of N renderers, by phase
  python3 docs/perf/trace-cpu.py layouts OURS.json              Blink layouts: dirty / total objects, partial or from the root
"""
import collections
import json
import sys


def load(path):
    with open(path) as f:
        d = json.load(f)
    return d["traceEvents"] if isinstance(d, dict) else d


def names(ev):
    threads, processes = {}, {}
    for e in ev:
        if e.get("ph") == "M" and e.get("name") == "thread_name":
            threads[(e["pid"], e["tid"])] = e["args"]["name"]
        if e.get("ph") == "M" and e.get("name") == "process_name":
            processes[e["pid"]] = e["args"]["name"]
    return threads, processes


def complete_events(ev, keep):
    """Complete ('X') events with a thread time, grouped by thread, for threads where keep(pid, tid) holds."""
    per = collections.defaultdict(list)
    for e in ev:
        if e.get("ph") == "X" and "tdur" in e and keep(e["pid"], e["tid"]):
            per[(e["pid"], e["tid"])].append(e)
    return per


def tree(events):
    """Nests one thread's events by time; returns the top-level ones, each with 'kids'."""
    events.sort(key=lambda e: (e["ts"], -e["dur"]))
    roots, stack = [], []
    for e in events:
        e["kids"] = []
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
            stack.pop()
        (stack[-1]["kids"] if stack else roots).append(e)
        stack.append(e)
    return roots


def threads_cmd(paths):
    for path in paths:
        ev = load(path)
        threads, processes = names(ev)
        total = collections.Counter()
        for key, events in complete_events(ev, lambda p, t: True).items():
            total[(processes.get(key[0], "?"), threads.get(key, "?"))] += sum(r["tdur"] for r in tree(events)) / 1000
        print(f"{path}: {sum(total.values()):.0f} ms of CPU")
        for (process, thread), ms in total.most_common(12):
            print(f"  {ms:8.1f} ms  {process} / {thread}")


def events_cmd(path, thread, n):
    ev = load(path)
    threads, _ = names(ev)
    own = collections.Counter()
    for events in complete_events(ev, lambda p, t: threads.get((p, t)) == thread).values():
        for root in tree(events):
            stack = [root]
            while stack:
                e = stack.pop()
                own[e["name"]] += e["tdur"] - sum(k["tdur"] for k in e["kids"])
                stack.extend(e["kids"])
    for name, us in own.most_common(n):
        print(f"  {us / 1000:8.2f} ms  {name}")


PHASES = [("js", "FunctionCall"), ("style", "Document::recalcStyle"), ("layout", "LocalFrameView::performLayout"),
          ("prepaint", "Blink.PrePaint.UpdateTime"), ("compin", "Blink.CompositingInputs.UpdateTime"),
          ("paint", "Paint"), ("layerize", "PaintArtifactCompositor::Update"), ("gc", "V8.GC_MC_INCREMENTAL")]


def frames_cmd(path, n):
    ev = load(path)
    threads, _ = names(ev)
    per = complete_events(ev, lambda p, t: threads.get((p, t)) == "CrRendererMain")

    def cpu(e, name):
        return e["tdur"] / 1000 if e["name"] == name else sum(cpu(k, name) for k in e["kids"])

    for key in sorted(per)[:n]:
        roots = tree(per[key])
        print(f"renderer {key[0]}: {sum(r['tdur'] for r in roots) / 1000:.1f} ms of main-thread CPU")
        t0 = roots[0]["ts"]
        for r in roots:
            if r["tdur"] < 300:
                continue
            parts = " ".join(f"{short}={cpu(r, name):.2f}" for short, name in PHASES if cpu(r, name) > 0.03)
            print(f"  {(r['ts'] - t0) / 1000:8.0f} ms  cpu {r['tdur'] / 1000:5.2f}  wall {r['dur'] / 1000:6.2f}  {parts}")


def layouts_cmd(path):
    count = collections.Counter()
    for e in load(path):
        if e.get("name") == "Layout" and e.get("ph") in ("B", "X"):
            begin = e.get("args", {}).get("beginData", {})
            count[(begin.get("dirtyObjects"), begin.get("totalObjects"), begin.get("partialLayout"))] += 1
    print("  n  dirty / total objects  partial")
    for (dirty, total, partial), n in count.most_common():
        print(f"  {n:3}  {dirty} / {total}  {partial}")


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[:1] == ["threads"] and len(a) > 1:
        threads_cmd(a[1:])
    elif a[:1] == ["events"] and len(a) > 2:
        events_cmd(a[1], a[2], int(a[3]) if len(a) > 3 else 25)
    elif a[:1] == ["frames"] and len(a) > 1:
        frames_cmd(a[1], int(a[2]) if len(a) > 2 else 3)
    elif a[:1] == ["layouts"] and len(a) == 2:
        layouts_cmd(a[1])
    else:
        print(__doc__)
        sys.exit(2)
