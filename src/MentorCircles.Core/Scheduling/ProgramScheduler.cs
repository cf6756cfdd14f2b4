using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// Gives each circle of a program a weekly slot for a term. Pure: no clock (<c>Now</c> comes in), no database.
/// </summary>
/// <remarks>
/// <para><b>Hard rules</b>, checked on the real sessions (<see cref="SeriesRules"/>: weekly in the circle's home zone,
/// blackout dates skipped) as UTC instants, so circles in zones that change their clocks on different dates are compared
/// as they will really meet: every lead is free at every session; at least the quorum of the other members is; no
/// person (lead or member) is in two overlapping sessions, counting sessions already booked; no lead leads more than
/// their weekly limit (weeks run Monday to Sunday on the lead's own calendar).</para>
/// <para><b>How.</b> <see cref="SlotFinder"/> ranks each circle's candidate times (fewest missed sessions, then inside
/// waking hours), with sessions already booked as busy time. Circles are placed most constrained first (fewest
/// candidates, then most people shared with other circles, then id), greedily: the best candidate that keeps the rules
/// given what is already placed. When none does, the slot finder is asked again with this run's placements as busy time;
/// then a bounded repair moves one blocking circle elsewhere if that frees a candidate. Each person keeps a sorted list of
/// their booked intervals, so a check costs a binary search per person and session, not a scan of the program.
/// Deterministic: the same input gives the same proposals.</para>
/// </remarks>
public static partial class ProgramScheduler
{
    public const int DefaultLeadLimit = 3;
    public const int MaxTermDays = 25 * 7;
    private const int Candidates = SlotRequest.MaxResultsLimit;
    private const int RepairAttempts = 8;
    private const int NamesInText = 4;

    /// <summary>Schedules every circle; <paramref name="progress"/> gets (circles done, circles in all) as work goes on.</summary>
    /// <exception cref="InvalidInputException">The term is backwards or too long.</exception>
    public static ProgramSchedule Schedule(ProgramScheduleInput input, Action<int, int>? progress = null, CancellationToken ct = default)
    {
        Validate(input);
        var run = new Run(input);
        var total = input.Circles.Count;
        var plans = new Plan[total];
        for (var i = 0; i < total; i++)
        {
            ct.ThrowIfCancellationRequested();
            plans[i] = run.Prepare(i, input.Circles[i]);
            // Ranking the candidates is about half the work; placing them is the other half.
            progress?.Invoke((i + 1) / 2, total);
        }

        var order = plans
            .OrderBy(p => p.Candidates.Count)
            .ThenByDescending(p => p.Shared)
            .ThenBy(p => p.Circle.CircleId)
            .ToList();
        var decided = 0;
        foreach (var plan in order)
        {
            ct.ThrowIfCancellationRequested();
            if (plan.Reason is null && !run.TryPlace(plan, allowRepair: true)) plan.Reason = run.WhyNot(plan);
            decided++;
            progress?.Invoke((total + decided) / 2, total);
        }
        progress?.Invoke(total, total);
        return new ProgramSchedule(plans.Select(run.Proposal).ToList());
    }

    /// <summary>Refuses a term that ends before it starts or is longer than <see cref="MaxTermDays"/>; callers check before loading anything for it.</summary>
    public static void CheckTerm(DateOnly from, DateOnly to) => InvalidInputException.ThrowIfAny(TermErrors(from, to));

    private static List<FieldError> TermErrors(DateOnly from, DateOnly to)
    {
        var errors = new List<FieldError>();
        if (to < from)
            errors.Add(new("to", $"The term ends ({ScheduleText.Date(to)}) before it starts ({ScheduleText.Date(from)})."));
        else if (to.DayNumber - from.DayNumber + 1 > MaxTermDays)
            errors.Add(new("to", $"The term is {to.DayNumber - from.DayNumber + 1} days long; schedule at most 25 weeks ({MaxTermDays} days) at a time."));
        return errors;
    }

    private static void Validate(ProgramScheduleInput input)
    {
        var errors = TermErrors(input.From, input.To);
        var ids = new HashSet<long>();
        foreach (var c in input.Circles)
            if (!ids.Add(c.CircleId)) errors.Add(new("circles", $"Circle {c.CircleId} is listed twice."));
        InvalidInputException.ThrowIfAny(errors);
    }

    /// <summary>One circle's state during a run.</summary>
    private sealed class Plan(int index, ScheduledCircle circle)
    {
        public int Index { get; } = index;
        public ScheduledCircle Circle { get; } = circle;
        public long[] Leads { get; set; } = [];
        public long[] Members { get; set; } = [];
        public int Quorum { get; set; }
        public IReadOnlyList<SlotCandidate> Candidates { get; set; } = [];
        public int Shared { get; set; }
        public string? Reason { get; set; }
        public Evaluation? Placed { get; set; }
        public Dictionary<(DayOfWeek Day, TimeOnly Time), List<SeriesOccurrence>> Sessions { get; } = [];
        public IEnumerable<long> People => Leads.Concat(Members);
    }

    /// <summary>A candidate checked against the rules and what is placed so far.</summary>
    private sealed class Evaluation
    {
        public required SlotCandidate Candidate { get; init; }
        public IReadOnlyList<SeriesOccurrence> Sessions { get; init; } = [];
        public List<long>[] Absent { get; init; } = [];
        /// <summary>A lead not free, or too few members, at some session (or no session at all).</summary>
        public bool Unavailable { get; set; }
        /// <summary>Circles of this run (by index) a person would overlap with.</summary>
        public SortedSet<int> Blockers { get; } = [];
        /// <summary>Sessions booked before the run that a person would overlap with.</summary>
        public SortedSet<string> Booked { get; } = new(StringComparer.Ordinal);
        /// <summary>Leads who would go over their weekly limit.</summary>
        public SortedSet<long> OverLimit { get; } = [];
        public bool Ok => !Unavailable && Blockers.Count == 0 && Booked.Count == 0 && OverLimit.Count == 0;
    }

    private readonly record struct Booking(long Start, long End, int Owner, string What);

    /// <summary>A person's booked intervals, sorted by start.</summary>
    private sealed class Bookings
    {
        private readonly List<Booking> list = [];
        private long longest;

        public IEnumerable<Booking> All => list;

        public void Add(Booking b)
        {
            var i = LowerBound(b.Start);
            list.Insert(i, b);
            longest = Math.Max(longest, b.End - b.Start);
        }

        public void RemoveOwner(int owner) => list.RemoveAll(b => b.Owner == owner);

        /// <summary>The bookings that overlap [start, end): only those starting within the longest booking before it can.</summary>
        public IEnumerable<Booking> Overlapping(long start, long end)
        {
            for (var i = LowerBound(end) - 1; i >= 0 && list[i].Start > start - longest; i--)
                if (list[i].End > start) yield return list[i];
        }

        private int LowerBound(long start)
        {
            int lo = 0, hi = list.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (list[mid].Start < start) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
    }
}
