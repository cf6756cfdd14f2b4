"""Per-render scheduler figures (the sched-start/sched-end marks of press-trace.patch): the slow renders by cause.
Usage: stalls.py DIR/ours.tsv DIR/base.tsv (docs/PERFORMANCE.md, "The browsers preempted the server's renders")."""
import sys, collections
def load(path):
    d = collections.defaultdict(dict)
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) != 6 or not f[0].startswith('sched-'): continue
        what, room, seq, page, t, s = f
        run, wait, slices, vol, invol, gc0, tid = s.split(',')
        d[(room, seq, page)][what] = (float(t), int(run)/1e6, int(wait)/1e6, int(slices), int(vol), int(invol), int(gc0), tid)
    return d
def pct(xs, p):
    xs = sorted(xs); 
    if not xs: return float('nan')
    return xs[min(len(xs)-1, int(len(xs)*p/100))]
for name in sys.argv[1:]:
    d = load(name)
    rows = []
    for k, v in d.items():
        if 'sched-start' not in v or 'sched-end' not in v: continue
        a, b = v['sched-start'], v['sched-end']
        rows.append(dict(key=k, wall=b[0]-a[0], run=b[1]-a[1], wait=b[2]-a[2], slices=b[3]-a[3], vol=b[4]-a[4], invol=b[5]-a[5], gc=b[6]-a[6], tid=a[7]))
    print(f"== {name}: {len(rows)} renders; wall p50 {pct([r['wall'] for r in rows],50):.2f} p95 {pct([r['wall'] for r in rows],95):.2f} p99 {pct([r['wall'] for r in rows],99):.2f}; run p50 {pct([r['run'] for r in rows],50):.3f} p99 {pct([r['run'] for r in rows],99):.3f}")
    for lim in (2, 5):
        slow = [r for r in rows if r['wall'] > lim]
        cls = collections.Counter()
        for r in slow:
            if r['gc'] > 0: c = 'gc'
            elif r['wait'] > 0.5*r['wall']: c = 'runqueue-wait'
            elif r['run'] > 0.5*r['wall']: c = 'running (cpu or steal)'
            elif r['vol'] > 0: c = 'blocked (voluntary switch)'
            else: c = 'unaccounted'
            cls[c] += 1
        print(f"  renders over {lim} ms: {len(slow)} ({100*len(slow)/max(1,len(rows)):.1f}%): {dict(cls)}")
    slow = sorted([r for r in rows if r['wall'] > 5], key=lambda r: -r['wall'])[:25]
    for r in slow:
        print(f"   {r['key']} wall {r['wall']:6.2f} run {r['run']:6.2f} wait {r['wait']:6.2f} slices {r['slices']} vol {r['vol']} invol {r['invol']} gc {r['gc']} tid {r['tid']}")
