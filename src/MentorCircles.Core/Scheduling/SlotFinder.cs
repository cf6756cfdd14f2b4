using System.Runtime.InteropServices;
using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// Finds and ranks meeting times for a circle from its people's availability. Pure: no clock, no database, no state.
/// </summary>
/// <remarks>
/// <para><b>Hard rules.</b> Every required person is free for the whole session at every occurrence, and at least the
/// quorum of the others is (default: all of them but one). A slot that breaks either at any occurrence is never
/// offered; when none is left the result is empty.</para>
/// <para><b>Ranking</b>, deterministic, best first:
/// (1) fewer missed person-occurrences (each occurrence counts everyone who cannot come to it);
/// (2) fewer person-occurrences outside someone's local waking hours, so a slot inside everyone's waking hours always
/// beats one that is not when (1) ties;
/// (3) the sooner first occurrence, by home-zone date and then local time — for Weekly that is earlier in the week
/// counting from the window's first day, then earlier in the day.</para>
/// <para><b>How.</b> The window is cut into cells of the largest size that every candidate start and the session
/// length are whole multiples of (15 minutes for the defaults). Each person's free time becomes the cells they are
/// wholly free, which is exact for sessions that start and end on cell edges; each free run of at least a session's
/// length adds one to a difference array over the start cells it allows. One prefix sum then gives, for every
/// possible start, how many required and other people can come and how many are inside waking hours, so every
/// candidate is scored in O(occurrences). Who cannot come is worked out only for the candidates returned.</para>
/// </remarks>
public static partial class SlotFinder
{
    // More cells than this means the home zone has an offset that is not a whole minute (historical local mean time).
    private const int MaxCells = 2_000_000;

    /// <summary>Ranks candidate times for a circle; empty when no time meets the hard rules.</summary>
    /// <exception cref="InvalidInputException">The request or someone's availability is not usable; the messages say why.</exception>
    public static IReadOnlyList<SlotCandidate> Find(SlotRequest request, IReadOnlyList<PersonAvailability> people)
    {
        Validate(request, people);
        var g = Grid.Build(request);
        var nonRequired = people.Where(p => !p.Required).ToArray();
        var requiredCount = people.Count - nonRequired.Length;
        var quorum = request.Quorum ?? Math.Max(0, nonRequired.Length - 1);

        // Per start cell: required people who can come, other people who can come, people inside waking hours.
        var required = new int[g.Cells + 1];
        var others = new int[g.Cells + 1];
        var inside = new int[g.Cells + 1];
        var zones = new ZoneCache(g.Origin, g.End);
        var work = new FreeTimeWork();
        var othersOk = new StartRanges(nonRequired.Length);
        foreach (var p in people)
        {
            var free = work.Free(p, zones.Get(p.TimeZoneId), g.Origin, g.End);
            var counts = p.Required ? required : others;
            foreach (var r in free)
            {
                var (lo, hi) = g.StartsWithin(r);
                if (lo >= hi) continue;
                counts[lo]++;
                counts[hi]--;
                if (!p.Required) othersOk.Add(lo, hi);
            }
            if (!p.Required) othersOk.EndPerson();
        }

        var waking = new Dictionary<string, (int People, StartRanges Ok)>(StringComparer.Ordinal);
        foreach (var group in people.GroupBy(p => p.TimeZoneId, StringComparer.Ordinal))
        {
            var ok = WakingStarts(request, g, zones.Get(group.Key));
            var n = group.Count();
            for (var i = 0; i < ok.Count; i++)
            {
                var (lo, hi) = ok.Range(i);
                inside[lo] += n;
                inside[hi] -= n;
            }
            waking[group.Key] = (n, ok);
        }

        for (var c = 1; c <= g.Cells; c++)
        {
            required[c] += required[c - 1];
            others[c] += others[c - 1];
            inside[c] += inside[c - 1];
        }

        var best = new Best(request.MaxResults);
        for (var phase = 0; phase < g.Phases; phase++)
        {
            for (var slot = 0; slot < g.SlotsPerDay; slot++)
            {
                long missed = 0, outside = 0;
                var ok = true;
                for (var day = phase; day < g.Days; day += g.Period)
                {
                    var c = g.StartCell(day, slot);
                    if (required[c] != requiredCount || others[c] < quorum) { ok = false; break; }
                    missed += nonRequired.Length - others[c];
                    outside += people.Count - inside[c];
                }
                if (ok) best.Offer(missed, outside, phase, slot);
            }
        }

        var keys = best.InOrder();
        var absent = new Absentees(keys, g, others, nonRequired.Length, othersOk);
        var misses = new int[nonRequired.Length];
        return keys.Select(k => Describe(request, g, people, nonRequired, absent, misses, waking, k)).ToList();
    }

    /// <summary>The start cells of sessions that fit inside the waking hours of every day, for one zone.</summary>
    private static StartRanges WakingStarts(SlotRequest request, Grid g, ZoneOffsets zone)
    {
        var spans = new List<TickRange>();
        var firstDay = zone.ToLocal(g.Origin) / TimeSpan.TicksPerDay - 1;
        var lastDay = zone.ToLocal(g.End) / TimeSpan.TicksPerDay + 1;
        var to = request.WakingTo == TimeOnly.MinValue ? TimeSpan.TicksPerDay : request.WakingTo.Ticks;
        for (var day = firstDay; day <= lastDay; day++)
        {
            var midnight = day * TimeSpan.TicksPerDay;
            zone.AddCovered(midnight + request.WakingFrom.Ticks, midnight + to, g.Origin, g.End, spans);
        }
        SortAndMerge(spans);
        var ok = new StartRanges(1);
        foreach (var r in spans)
        {
            var (lo, hi) = g.StartsWithin(r);
            if (lo < hi) ok.Add(lo, hi);
        }
        ok.EndPerson();
        return ok;
    }

    private readonly record struct Key(long Missed, long Outside, int Phase, int Slot);

    /// <summary>The best few candidates so far. Candidates arrive in (phase, slot) order, so a tie on the scores keeps the earlier one first.</summary>
    private sealed class Best(int capacity)
    {
        private readonly List<Key> keys = new(capacity + 1);

        public void Offer(long missed, long outside, int phase, int slot)
        {
            if (keys.Count == capacity && !Better(missed, outside, keys[^1])) return;
            var i = keys.Count;
            while (i > 0 && Better(missed, outside, keys[i - 1])) i--;
            keys.Insert(i, new Key(missed, outside, phase, slot));
            if (keys.Count > capacity) keys.RemoveAt(keys.Count - 1);
        }

        private static bool Better(long missed, long outside, Key than) =>
            missed < than.Missed || (missed == than.Missed && outside < than.Outside);

        public IReadOnlyList<Key> InOrder() => keys;
    }

    /// <summary>Per person (or zone), sorted ranges [lo, hi) of start cells at which a session fits, stored end to end.</summary>
    private sealed class StartRanges(int owners)
    {
        private readonly List<int> lo = [];
        private readonly List<int> hi = [];
        private readonly List<int> firsts = new(owners + 1) { 0 };

        public int Count => lo.Count;

        public (int Lo, int Hi) Range(int i) => (lo[i], hi[i]);

        public void Add(int from, int to)
        {
            lo.Add(from);
            hi.Add(to);
        }

        public void EndPerson() => firsts.Add(lo.Count);

        /// <summary>
        /// Adds <paramref name="owner"/> to <paramref name="missing"/>[k] for every cells[k] (sorted) at which no range
        /// of theirs allows a start: one walk along both lists.
        /// </summary>
        public void AddWhereNotAllowed(int owner, int[] cells, List<int>[] missing)
        {
            var los = CollectionsMarshal.AsSpan(lo);
            var his = CollectionsMarshal.AsSpan(hi);
            int r = firsts[owner], end = firsts[owner + 1];
            for (var k = 0; k < cells.Length; k++)
            {
                var c = cells[k];
                while (r < end && his[r] <= c) r++;
                if (r == end || los[r] > c) missing[k].Add(owner);
            }
        }

        public bool Allows(int owner, int cell)
        {
            int a = firsts[owner], b = firsts[owner + 1] - 1;
            while (a <= b)
            {
                var m = (a + b) >>> 1;
                if (cell < lo[m]) b = m - 1;
                else if (cell >= hi[m]) a = m + 1;
                else return true;
            }
            return false;
        }
    }
}
