"""The facilitator's page against the members', per press, from a traced run (press-trace.patch; PERFORMANCE.md fix 23).

usage: by-page.py DIR [PATTERN]   DIR holds ours.tsv, base.tsv and dump/*.json; PATTERN picks the dumps (default
'4_rooms_round'). Prints, for each app, p50/p95 in ms of: press -> the facilitator's render and the last member's
render (server), each render -> that page's WebSocket hearing of it, the facilitator's message -> shown, and which
page of the room (harness index; 0 is the facilitator) was the last to show each press.
"""
import collections, glob, json, re, sys

from analyse import load_trace, pct  # the trace's reader and percentiles, shared with analyse.py


def page_logs(d):
    keyof, logs = {}, {}
    for pg in d['pages']:
        m = re.search(r'/sessions/(\d+)/room', pg['url']) or re.search(r'/room/(\d+)', pg['url'])
        keyof[int(pg['Room'])] = int(m.group(1))
        log = pg['log']
        logs[(int(pg['Room']), int(pg['Index']))] = json.loads(log) if isinstance(log, str) else log
    return keyof, logs


def summarise(kind, trace, base, pattern):
    marks = load_trace(f'{base}/{trace}')
    rows = collections.defaultdict(list)
    last_page = collections.Counter()
    for f in sorted(glob.glob(f'{base}/dump/*{kind}_{pattern}*')):
        d = json.load(open(f))
        keyof, logs = page_logs(d)
        for a in d['actions']:
            if a['WarmUp']:
                continue
            seen = {}
            for (room, i), log in logs.items():
                if room != a['Room']:
                    continue
                for seq, shown, received in log:
                    if seq >= a['Target']:
                        seen[i] = (received, shown)
                        break
            if len(seen) < 2:
                continue
            last_page[max(seen, key=lambda i: seen[i][1])] += 1
            mk = marks.get((keyof[a['Room']], a['Target']))
            if not mk or 'click' not in mk or 0 not in seen:
                continue
            me = mk['click'][0][1]
            ends = {pg: t for t, pg, _ in mk.get('render-end', [])}
            if me not in ends:
                continue
            others = [t for pg, t in ends.items() if pg != me]
            rows['press -> the facilitator\'s render ends'].append(ends[me] - a['At'])
            rows['press -> the last member\'s render ends'].append(max(others) - a['At'])
            rows['facilitator: render -> WebSocket received'].append(seen[0][0] - ends[me])
            rows['last member: render -> WebSocket received'].append(
                max(r for i, (r, _) in seen.items() if i != 0) - max(others))
            rows['facilitator: received -> shown'].append(seen[0][1] - seen[0][0])
            rows['members: received -> shown (each)'] += [s - r for i, (r, s) in seen.items() if i != 0]
    print(kind)
    for k, v in rows.items():
        print(f'  {k:45s} n={len(v):5d} p50 {pct(v, 50):6.2f} p95 {pct(v, 95):6.2f}')
    print('  the last page of the room to show a press (index: presses):', dict(last_page.most_common(6)))


base = sys.argv[1]
pattern = sys.argv[2] if len(sys.argv) > 2 else '4_rooms_round'
summarise('MentorCircles', 'ours.tsv', base, pattern)
summarise('Baseline', 'base.tsv', base, pattern)
