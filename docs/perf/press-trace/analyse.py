"""Joins a press trace (the server's marks, press-trace.patch) with the harness's per-page logs: each step's p50/p95/p99."""
import json, glob, re, statistics as st, sys, collections
def pct(xs, p):
    xs = sorted(xs)
    if not xs: return float('nan')
    k = (len(xs)-1)*p/100; f = int(k); c = min(f+1, len(xs)-1)
    return xs[f] + (xs[c]-xs[f])*(k-f)
def load_trace(path):
    marks = collections.defaultdict(lambda: collections.defaultdict(list))
    for line in open(path):
        what, room, seq, page, t, th = line.rstrip('\n').split('\t')
        marks[(int(room), int(seq))][what].append((float(t), int(page), th))
    return marks
def summarise(kind, dumps, marks):
    rows = collections.defaultdict(list)
    for d in dumps:
        keyof = {}
        for p in d['pages']:
            m = re.search(r'/sessions/(\d+)/room', p['url']) or re.search(r'/room/(\d+)', p['url'])
            keyof[p['Room']] = int(m.group(1))
        for a in d['actions']:
            if a['WarmUp']: continue
            key = (keyof[a['Room']], a['Target'])
            mk = marks.get(key)
            if not mk or 'click' not in mk: rows['missing'].append(1); continue
            at = a['At']
            click = mk['click'][0][0]
            rows['press->click'].append(click - at)
            if 'append-start' in mk:
                rows['click->append-start'].append(mk['append-start'][0][0] - click)
                rows['append'].append(mk['append-end'][0][0] - mk['append-start'][0][0])
                rows['append-end->publish'].append(mk['publish'][0][0] - mk['append-end'][0][0])
                pub = mk['publish'][0][0]
            else:
                pub = click
            tells = [t for t, _, _ in mk.get('tell', [])]
            rs = [t for t, _, _ in mk.get('render-start', [])]
            re_ = sorted(t for t, _, _ in mk.get('render-end', []))
            rows['publish->tell (each)'] += [t - pub for t in tells]
            rows['publish->last tell'].append(max(tells) - pub)
            rows['publish->render-start (each)'] += [t - pub for t in rs]
            # render durations paired per page
            byp = collections.defaultdict(dict)
            for w in ('render-start', 'render-end', 'tell'):
                for t, pg, _ in mk.get(w, []): byp[pg][w] = t
            rows['render (each)'] += [v['render-end'] - v['render-start'] for v in byp.values() if 'render-end' in v and 'render-start' in v]
            rows['tell->render-start (each)'] += [v['render-start'] - v['tell'] for v in byp.values() if 'tell' in v and 'render-start' in v]
            rows['press->last render-end'].append(re_[-1] - at if re_ else float('nan'))
            recv = []
            for p in d['pages']:
                if p['Room'] != a['Room']: continue
                for seq, shown, rec in p['log']:
                    if seq >= a['Target']: recv.append((rec, shown)); break
            rr = sorted(r for r, _ in recv)
            rows['press->last received'].append(rr[-1] - at)
            rows['press->last shown'].append(max(s for _, s in recv) - at)
            rows['press->received (each)'] += [r - at for r in rr]
            rows['render-end->received (rank-paired)'] += [r - e for r, e in zip(rr, re_)]
            rows['last render-end->last received'].append(rr[-1] - re_[-1])
    print(f"== {kind}: {len(rows['press->click'])} presses, missing {len(rows['missing'])}")
    for k, v in rows.items():
        if k == 'missing': continue
        print(f"  {k:40s} n={len(v):5d} p50 {pct(v,50):6.2f} p95 {pct(v,95):6.2f} p99 {pct(v,99):6.2f}")
# usage: analyse.py DIR [PATTERN]: DIR holds ours.tsv, base.tsv and dump/*.json from one run (see PERFORMANCE.md, fix 21)
if __name__ == '__main__':
    base = sys.argv[1]
    pattern = sys.argv[2] if len(sys.argv) > 2 else 'rooms_round'
    dumps = [json.load(open(f)) for f in sorted(glob.glob(f'{base}/dump/*.json')) if pattern in f]
    summarise('ours', [d for d in dumps if d['name'].startswith('MentorCircles') and 'settling' not in d['name']], load_trace(f'{base}/ours.tsv'))
    summarise('baseline', [d for d in dumps if d['name'].startswith('Baseline') and 'settling' not in d['name']], load_trace(f'{base}/base.tsv'))
