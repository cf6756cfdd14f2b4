using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

public static partial class ProgramScheduler
{
    /// <summary>The state of one scheduling run: who is free when, who is booked when, how many sessions each lead leads a week.</summary>
    private sealed partial class Run
    {
        private readonly ProgramScheduleInput input;
        private readonly Dictionary<long, PersonAvailability> people = [];
        private readonly Dictionary<long, long[]> free = [];
        private readonly Dictionary<long, Bookings> booked = [];
        private readonly Dictionary<(long Person, int Week), int> led = [];
        private readonly Dictionary<string, TimeZoneInfo> zones = new(StringComparer.Ordinal);
        private readonly List<Plan> plans = [];
        private readonly Dictionary<long, int> circlesPerPerson = [];
        private readonly DateTimeOffset spanFrom, spanTo;
        private readonly (long From, long To)[] blackoutSpans;
        private readonly HashSet<DateOnly> near;

        public Run(ProgramScheduleInput input)
        {
            this.input = input;
            foreach (var p in input.People) people.TryAdd(p.PersonId, p);
            foreach (var b in input.Booked)
            {
                if (b.End <= b.Start) continue;
                Of(b.PersonId).Add(new Booking(b.Start.UtcTicks, b.End.UtcTicks, -1, b.What));
                if (b.Leading) CountLed(b.PersonId, b.Start, +1);
            }
            foreach (var c in input.Circles)
                foreach (var p in c.Leads.Concat(c.Members).Distinct())
                    circlesPerPerson[p] = circlesPerPerson.GetValueOrDefault(p) + 1;
            // Local dates are within 14 hours of UTC and a session lasts at most 8 hours.
            spanFrom = Midnight(input.From).AddDays(-1);
            spanTo = Midnight(input.To).AddDays(2).AddHours(8);
            blackoutSpans = input.Blackouts.Where(d => d >= input.From.AddDays(-2) && d <= input.To.AddDays(2)).Order()
                .Select(d => (Midnight(d).AddDays(-2).UtcTicks, Midnight(d).AddDays(3).UtcTicks)).ToArray();
            near = input.Blackouts.SelectMany(b => Enumerable.Range(-2, 5).Select(i => b.AddDays(i))).ToHashSet();
        }

        private static DateTimeOffset Midnight(DateOnly d) => new(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        private Bookings Of(long person)
        {
            if (!booked.TryGetValue(person, out var b)) booked[person] = b = new Bookings();
            return b;
        }

        private string Name(long person) =>
            people.TryGetValue(person, out var p) && p.Name is { Length: > 0 } n ? n : $"Person {person}";

        private TimeZoneInfo Zone(string id)
        {
            if (!zones.TryGetValue(id, out var z))
                zones[id] = z = TimeZones.IsValid(id) ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Utc;
            return z;
        }

        /// <summary>Monday of the week, on the person's own calendar, that the instant falls in.</summary>
        private int WeekOf(long person, DateTimeOffset at)
        {
            var zone = people.TryGetValue(person, out var p) ? Zone(p.TimeZoneId) : TimeZoneInfo.Utc;
            var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
            return local.DayNumber - ((int)local.DayOfWeek + 6) % 7;
        }

        private void CountLed(long person, DateTimeOffset at, int by)
        {
            var key = (person, WeekOf(person, at));
            led[key] = led.GetValueOrDefault(key) + by;
        }

        private int LimitOf(long person) => input.LeadLimits.TryGetValue(person, out var l) ? l : DefaultLeadLimit;

        /// <summary>The person's free time over the term as sorted [start, end) tick pairs; nobody is free without availability.</summary>
        private long[] FreeOf(long person)
        {
            if (free.TryGetValue(person, out var f)) return f;
            f = people.TryGetValue(person, out var p)
                ? SlotFinder.CommonFreeTime([p with { Required = false }], spanFrom, spanTo).SelectMany(i => new[] { i.Start.UtcTicks, i.End.UtcTicks }).ToArray()
                : [];
            free[person] = f;
            return f;
        }

        private bool IsFree(long person, long start, long end)
        {
            var f = FreeOf(person);
            int lo = 0, hi = f.Length / 2 - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (f[2 * mid] <= start) { found = mid; lo = mid + 1; } else hi = mid - 1;
            }
            return found >= 0 && f[2 * found + 1] >= end;
        }

        public Plan Prepare(int index, ScheduledCircle circle)
        {
            var plan = new Plan(index, circle);
            plans.Add(plan);
            plan.Leads = circle.Leads.Distinct().ToArray();
            plan.Members = circle.Members.Distinct().Where(m => !plan.Leads.Contains(m)).ToArray();
            plan.Quorum = circle.Quorum ?? Math.Max(0, plan.Members.Length - 1);
            plan.Shared = plan.People.Sum(p => circlesPerPerson.GetValueOrDefault(p) - 1);
            if (circle.Skip is not null) { plan.Reason = circle.Skip; return plan; }
            if (plan.Leads.Length + plan.Members.Length == 0) { plan.Reason = "The circle has no members."; return plan; }
            if (plan.Quorum > plan.Members.Length)
            {
                plan.Reason = $"Its quorum ({plan.Quorum}) is larger than its {plan.Members.Length} members who are not leads; lower the quorum.";
                return plan;
            }
            try
            {
                plan.Candidates = Find(plan, includeRun: false);
                // The exact check reads each person's free time: an unreadable availability shows here, once, by name.
                foreach (var p in plan.People) FreeOf(p);
            }
            catch (InvalidInputException ex)
            {
                plan.Candidates = [];
                plan.Reason = $"It cannot be scheduled: {ex.Message}";
            }
            return plan;
        }

        /// <summary>
        /// The slot finder's ranked candidates, with sessions already booked (and, with <paramref name="includeRun"/>,
        /// this run's placements) as busy time. Near blackout dates nobody is treated as away or busy: the slot finder
        /// knows nothing of blackouts and would otherwise refuse a weekday because of a session that will not happen.
        /// The exact check after it puts that time back.
        /// </summary>
        private IReadOnlyList<SlotCandidate> Find(Plan plan, bool includeRun)
        {
            var c = plan.Circle;
            var list = new List<PersonAvailability>(plan.Leads.Length + plan.Members.Length);
            foreach (var id in plan.People)
            {
                var required = plan.Leads.Contains(id);
                var p = people.TryGetValue(id, out var known)
                    ? known
                    : new PersonAvailability(id, "UTC", required, [], [], []) { Name = $"Person {id}" };
                var busy = new List<BusyBlock>(p.Busy);
                if (booked.TryGetValue(id, out var b))
                    foreach (var x in b.All)
                        if (x.Owner < 0 || (includeRun && x.Owner != plan.Index))
                            busy.Add(new BusyBlock(new DateTimeOffset(x.Start, TimeSpan.Zero), new DateTimeOffset(x.End, TimeSpan.Zero)));
                list.Add(p with { Required = required, Away = ClipAway(p.Away), Busy = ClipBusy(busy) });
            }
            var request = new SlotRequest(c.LengthMinutes, input.From, input.To, SlotCadence.Weekly, c.HomeTimeZoneId)
            {
                Quorum = plan.Quorum,
                MaxResults = Candidates,
            };
            return SlotFinder.Find(request, list);
        }

        private IReadOnlyList<AwayPeriod> ClipAway(IReadOnlyList<AwayPeriod> away)
        {
            if (blackoutSpans.Length == 0 || away.Count == 0) return away;
            var result = new List<AwayPeriod>();
            foreach (var a in away)
            {
                DateOnly? start = null;
                for (var d = a.From; d <= a.To; d = d.AddDays(1))
                {
                    if (near.Contains(d))
                    {
                        if (start is { } s) result.Add(new AwayPeriod(s, d.AddDays(-1)));
                        start = null;
                    }
                    else start ??= d;
                }
                if (start is { } last) result.Add(new AwayPeriod(last, a.To));
            }
            return result;
        }

        private List<BusyBlock> ClipBusy(List<BusyBlock> busy)
        {
            if (blackoutSpans.Length == 0) return busy;
            return busy.Where(b => !blackoutSpans.Any(s => b.Start.UtcTicks < s.To && b.End.UtcTicks > s.From)).ToList();
        }

        private Evaluation Evaluate(Plan plan, SlotCandidate candidate)
        {
            var sessions = SessionsOf(plan, candidate);
            var eval = new Evaluation { Candidate = candidate, Sessions = sessions, Absent = new List<long>[sessions.Count] };
            if (sessions.Count == 0) eval.Unavailable = true;
            var weekCounts = new Dictionary<(long, int), int>();
            for (var k = 0; k < sessions.Count; k++)
            {
                var s = sessions[k];
                long start = s.StartUtc.UtcTicks, end = s.EndUtc.UtcTicks;
                var absent = new List<long>();
                eval.Absent[k] = absent;
                foreach (var lead in plan.Leads)
                {
                    if (!IsFree(lead, start, end)) eval.Unavailable = true;
                    var key = (lead, WeekOf(lead, s.StartUtc));
                    var n = weekCounts[key] = weekCounts.GetValueOrDefault(key) + 1;
                    if (led.GetValueOrDefault(key) + n > LimitOf(lead)) eval.OverLimit.Add(lead);
                }
                foreach (var m in plan.Members)
                    if (!IsFree(m, start, end)) absent.Add(m);
                if (plan.Members.Length - absent.Count < plan.Quorum) eval.Unavailable = true;
                foreach (var p in plan.People)
                {
                    if (!booked.TryGetValue(p, out var b)) continue;
                    foreach (var x in b.Overlapping(start, end))
                    {
                        if (x.Owner == plan.Index) continue;
                        if (x.Owner < 0) eval.Booked.Add(x.What);
                        else eval.Blockers.Add(x.Owner);
                    }
                }
            }
            return eval;
        }

        /// <summary>The real weekly sessions of a candidate, from its first date in the term that is still ahead.</summary>
        private List<SeriesOccurrence> SessionsOf(Plan plan, SlotCandidate candidate)
        {
            // Asked again for the same time during repairs and explanations; the sessions of a time never change.
            if (plan.Sessions.TryGetValue((candidate.LocalDay, candidate.LocalTime), out var known)) return known;
            var c = plan.Circle;
            var sessions = new List<SeriesOccurrence>();
            var first = input.From.AddDays(((int)candidate.LocalDay - (int)input.From.DayOfWeek + 7) % 7);
            for (var tries = 0; tries < 2; tries++, first = first.AddDays(7))
            {
                if (first > input.To) break;
                var spec = new SeriesSpec(first, candidate.LocalTime, c.LengthMinutes, c.HomeTimeZoneId, SeriesCadence.Weekly, null, input.To);
                try
                {
                    sessions = SeriesRules.Occurrences(spec, input.Blackouts, input.Now).Occurrences.ToList();
                    break;
                }
                catch (InvalidInputException)
                {
                    // The first week is already past, or every date is a blackout: try the next week once.
                }
            }
            plan.Sessions[(candidate.LocalDay, candidate.LocalTime)] = sessions;
            return sessions;
        }

        public bool TryPlace(Plan plan, bool allowRepair)
        {
            var tried = new HashSet<(DayOfWeek, TimeOnly)>();
            var evaluations = new List<Evaluation>();
            foreach (var c in plan.Candidates)
            {
                tried.Add((c.LocalDay, c.LocalTime));
                var e = Evaluate(plan, c);
                if (e.Ok) { Place(plan, e); return true; }
                evaluations.Add(e);
            }
            // Ask again, now with this run's placements as busy time: times the first ranking did not reach.
            if (plan.Candidates.Count > 0)
            {
                foreach (var c in Find(plan, includeRun: true))
                {
                    if (!tried.Add((c.LocalDay, c.LocalTime))) continue;
                    var e = Evaluate(plan, c);
                    if (e.Ok) { Place(plan, e); return true; }
                }
            }
            return allowRepair && Repair(plan, evaluations);
        }

        /// <summary>
        /// For the best few candidates blocked by exactly one circle of this run (and nothing else): move that circle
        /// elsewhere if it can go somewhere else, and take its place. Undone when the other circle finds no other time.
        /// </summary>
        private bool Repair(Plan plan, List<Evaluation> evaluations)
        {
            var attempts = 0;
            var triedBlockers = new HashSet<int>();
            foreach (var e in evaluations)
            {
                if (attempts == RepairAttempts) break;
                if (e.Unavailable || e.Booked.Count > 0 || e.OverLimit.Count > 0 || e.Blockers.Count != 1) continue;
                var other = plans[e.Blockers.Min];
                if (other.Placed is not { } was || !triedBlockers.Add(other.Index)) continue;
                attempts++;
                Unplace(other);
                var again = Evaluate(plan, e.Candidate);
                if (again.Ok)
                {
                    Place(plan, again);
                    if (TryPlace(other, allowRepair: false)) return true;
                    Unplace(plan);
                }
                Place(other, was);
            }
            return false;
        }

        private void Place(Plan plan, Evaluation e)
        {
            plan.Placed = e;
            foreach (var s in e.Sessions)
            {
                foreach (var p in plan.People)
                    Of(p).Add(new Booking(s.StartUtc.UtcTicks, s.EndUtc.UtcTicks, plan.Index, plan.Circle.Name));
                foreach (var lead in plan.Leads) CountLed(lead, s.StartUtc, +1);
            }
        }

        private void Unplace(Plan plan)
        {
            if (plan.Placed is not { } e) return;
            foreach (var p in plan.People) Of(p).RemoveOwner(plan.Index);
            foreach (var s in e.Sessions)
                foreach (var lead in plan.Leads) CountLed(lead, s.StartUtc, -1);
            plan.Placed = null;
        }
    }
}
