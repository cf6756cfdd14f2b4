using System.Globalization;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Core.Conflicts;

public static class ConflictKinds
{
    public const string DoubleBooked = "double_booked";
    public const string OutsideAvailability = "outside_availability";
    public const string NoLeadAvailable = "no_lead_available";
    public const string QuorumAtRisk = "quorum_at_risk";
    public const string AgreementNotAccepted = "agreement_not_accepted";
    public const string BlackoutDate = "blackout_date";
}

/// <summary>
/// One upcoming session as the rules see it. <paramref name="Leads"/> are the facilitators and mentors who lead it (or the
/// one person it was handed to); <paramref name="Members"/> the others. <paramref name="Rsvps"/> maps person to yes/no/maybe.
/// <paramref name="AcceptedAgreement"/> is who accepted the circle's current agreement, or null when the circle has none.
/// </summary>
public sealed record ConflictSession(
    long Id,
    long CircleId,
    string CircleTimeZoneId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,
    IReadOnlyList<long> Leads,
    IReadOnlyList<long> Members,
    IReadOnlyDictionary<long, string> Rsvps,
    IReadOnlySet<long>? AcceptedAgreement)
{
    /// <summary>How many non-leads must be free; null means all but one.</summary>
    public int? Quorum { get; init; }

    /// <summary>Everyone who has not answered "no" (an excused person is not expected, so cannot clash).</summary>
    public IEnumerable<long> Expected => Leads.Concat(Members).Distinct().Where(p => !SaidNo(p));

    public bool SaidNo(long personId) => Rsvps.TryGetValue(personId, out var a) && a == "no";
}

/// <summary>What detection sees of one program: its upcoming sessions, people's availability by id, blackout dates, and now.</summary>
public sealed record ConflictInput(
    IReadOnlyList<ConflictSession> Sessions,
    IReadOnlyDictionary<long, PersonAvailability> People,
    IReadOnlySet<DateOnly> BlackoutDates,
    DateTimeOffset Now);

/// <summary>A detected problem. <see cref="Key"/> names "the same problem" across runs: kind, people and sessions.</summary>
public sealed record DetectedConflict(
    string Kind,
    string Key,
    long SessionId,
    IReadOnlyList<long> PersonIds,
    IReadOnlyList<long> SessionIds,
    string Detail);

public enum ResolutionKind { Move, Excuse, HandOver, Cancel }

/// <summary>A way out of a conflict, as data: move the session to a new time, excuse a person, hand it to another lead, or cancel it.</summary>
public sealed record ConflictResolution(ResolutionKind Kind, long SessionId, string Label)
{
    public long? PersonId { get; init; }
    public DateTimeOffset? NewStart { get; init; }
    public DateTimeOffset? NewEnd { get; init; }
}

/// <summary>Pure conflict detection over plain records: no database, no clock but the one passed in.</summary>
public static class ConflictRules
{
    /// <summary>Sessions that can still conflict: not cancelled or completed, and not yet over.</summary>
    public static bool IsActive(ConflictSession s, DateTimeOffset now) =>
        s.Status is not ("cancelled" or "completed") && s.End > now;

    public static IReadOnlyList<DetectedConflict> Detect(ConflictInput input)
    {
        var active = input.Sessions.Where(s => IsActive(s, input.Now)).ToList();
        var result = new List<DetectedConflict>();
        DoubleBookings(active, result);
        // Three rules ask whether the same person is free for the same session; each answer is computed once.
        var free = new Dictionary<(long Person, long Session), bool>();
        foreach (var s in active.OrderBy(s => s.Id))
        {
            OutsideAvailability(s, input, free, result);
            NoLead(s, input, free, result);
            Quorum(s, input, free, result);
            Agreement(s, input, result);
            Blackout(s, input, result);
        }
        return result;
    }

    /// <summary>
    /// A person expected at two sessions whose times overlap. Touching sessions (one ends as the other starts) do not.
    /// One conflict per person and pair, keyed by the lower session id first.
    /// </summary>
    private static void DoubleBookings(List<ConflictSession> active, List<DetectedConflict> result)
    {
        var byPerson = new Dictionary<long, List<ConflictSession>>();
        foreach (var s in active)
            foreach (var p in s.Expected)
                (byPerson.TryGetValue(p, out var list) ? list : byPerson[p] = []).Add(s);

        foreach (var (person, sessions) in byPerson.OrderBy(kv => kv.Key))
        {
            if (sessions.Count < 2) continue;
            sessions.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (var i = 0; i < sessions.Count; i++)
                for (var j = i + 1; j < sessions.Count && sessions[j].Start < sessions[i].End; j++)
                {
                    var (a, b) = sessions[i].Id < sessions[j].Id ? (sessions[i], sessions[j]) : (sessions[j], sessions[i]);
                    if (a.Id == b.Id) continue;
                    result.Add(new(ConflictKinds.DoubleBooked, $"double_booked:p{person}:s{a.Id}:s{b.Id}", a.Id, [person], [a.Id, b.Id],
                        $"Person {person} is expected at session {a.Id} ({Utc(a.Start)}–{Utc(a.End)}) and session {b.Id} ({Utc(b.Start)}–{Utc(b.End)}), which overlap."));
                }
        }
    }

    private static void OutsideAvailability(ConflictSession s, ConflictInput input, Dictionary<(long, long), bool> free, List<DetectedConflict> result)
    {
        foreach (var p in s.Expected.Order())
            if (!IsAvailable(input, p, s, free))
                result.Add(new(ConflictKinds.OutsideAvailability, $"outside_availability:p{p}:s{s.Id}", s.Id, [p], [s.Id],
                    $"Session {s.Id} ({Utc(s.Start)}–{Utc(s.End)}) is outside the availability of person {p}."));
    }

    private static void NoLead(ConflictSession s, ConflictInput input, Dictionary<(long, long), bool> free, List<DetectedConflict> result)
    {
        if (s.Leads.Any(p => !s.SaidNo(p) && IsAvailable(input, p, s, free))) return;
        result.Add(new(ConflictKinds.NoLeadAvailable, $"no_lead_available:s{s.Id}", s.Id, s.Leads.Order().ToList(), [s.Id],
            s.Leads.Count == 0
                ? $"Session {s.Id} has no facilitator or mentor."
                : $"None of the facilitators or mentors of session {s.Id} is available ({Utc(s.Start)}–{Utc(s.End)})."));
    }

    private static void Quorum(ConflictSession s, ConflictInput input, Dictionary<(long, long), bool> free, List<DetectedConflict> result)
    {
        var members = s.Members.Where(m => !s.Leads.Contains(m)).Distinct().ToList();
        var quorum = QuorumFor(s.Quorum, members.Count);
        var coming = members.Where(m => !s.SaidNo(m) && IsAvailable(input, m, s, free)).ToList();
        if (coming.Count >= quorum) return;
        var missing = members.Except(coming).Order().ToList();
        result.Add(new(ConflictKinds.QuorumAtRisk, $"quorum_at_risk:s{s.Id}", s.Id, missing, [s.Id],
            $"Only {coming.Count} of {members.Count} members can come to session {s.Id}; {quorum} are needed."));
    }

    /// <summary>The circle's own quorum, or all but one of the non-leads (never below zero).</summary>
    public static int QuorumFor(int? circleQuorum, int memberCount) => circleQuorum ?? Math.Max(memberCount - 1, 0);

    /// <summary>From a day before the session, every expected person must have accepted the circle's current agreement.</summary>
    private static void Agreement(ConflictSession s, ConflictInput input, List<DetectedConflict> result)
    {
        if (s.AcceptedAgreement is null || input.Now < s.Start.AddDays(-1)) return;
        foreach (var p in s.Expected.Order())
            if (!s.AcceptedAgreement.Contains(p))
                result.Add(new(ConflictKinds.AgreementNotAccepted, $"agreement_not_accepted:p{p}:s{s.Id}", s.Id, [p], [s.Id],
                    $"Person {p} has not accepted the circle's current agreement, and session {s.Id} starts {Utc(s.Start)}."));
    }

    /// <summary>A blackout date is a local date in the circle's zone; a session starting on it conflicts.</summary>
    private static void Blackout(ConflictSession s, ConflictInput input, List<DetectedConflict> result)
    {
        var local = LocalDate(s.Start, s.CircleTimeZoneId);
        if (!input.BlackoutDates.Contains(local)) return;
        result.Add(new(ConflictKinds.BlackoutDate, $"blackout_date:s{s.Id}", s.Id, [], [s.Id],
            $"Session {s.Id} falls on {local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, a program blackout date."));
    }

    public static DateOnly LocalDate(DateTimeOffset instant, string zoneId) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zoneId)).DateTime);

    /// <summary>People who never entered a weekly window are not judged: "no windows" means "not told", not "never free".</summary>
    private static bool IsKnown(ConflictInput input, long p) =>
        input.People.TryGetValue(p, out var a) && a.Weekly.Count > 0;

    private static bool IsAvailable(ConflictInput input, long p, ConflictSession s) =>
        !IsKnown(input, p) || IsFree(input.People[p], s.Start, s.End);

    private static bool IsAvailable(ConflictInput input, long p, ConflictSession s, Dictionary<(long, long), bool> free)
    {
        if (!IsKnown(input, p)) return true;
        if (!free.TryGetValue((p, s.Id), out var answer)) free[(p, s.Id)] = answer = IsFree(input.People[p], s.Start, s.End);
        return answer;
    }

    /// <summary>
    /// True when the person is free (weekly windows, away dates, busy blocks) for the whole of [start, end). A scan asks
    /// this tens of thousands of times, so the common case is answered directly in the person's local time; when their
    /// zone's offset changes anywhere near the session (a clock change, where local times skip or repeat), or the input is
    /// unusual, the answer comes from <see cref="SlotFinder.CommonFreeTime"/>, which handles every case. Both give the
    /// same answer (a randomised test compares them).
    /// </summary>
    public static bool IsFree(PersonAvailability person, DateTimeOffset start, DateTimeOffset end) =>
        QuickIsFree(person, start, end) ?? IsFreeExact(person, start, end);

    /// <summary>The slow, always-right answer.</summary>
    public static bool IsFreeExact(PersonAvailability person, DateTimeOffset start, DateTimeOffset end)
    {
        var free = SlotFinder.CommonFreeTime([person], start, end);
        return free.Count == 1 && free[0].Start <= start && free[0].End >= end;
    }

    /// <summary>The direct answer, or null when it cannot be given simply (then ask <see cref="IsFreeExact"/>).</summary>
    internal static bool? QuickIsFree(PersonAvailability person, DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start || end - start > TimeSpan.FromDays(1)) return null;
        foreach (var b in person.Busy)
            if (b.Start < end && start < b.End) return false;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(person.TimeZoneId, out var zone)) return null;
        // One offset from a day before to a day after: every instant involved reads as instant + offset locally.
        var offset = zone.GetUtcOffset(start);
        if (zone.GetUtcOffset(start.AddDays(-1)) != offset || zone.GetUtcOffset(end) != offset || zone.GetUtcOffset(end.AddDays(1)) != offset
            || zone.GetUtcOffset(start.AddHours(12)) != offset || zone.GetUtcOffset(start.AddHours(-12)) != offset)
            return null;
        var localStart = start.UtcTicks + offset.Ticks;
        var localEnd = end.UtcTicks + offset.Ticks;
        var firstDay = localStart / TimeSpan.TicksPerDay - 1;
        var lastDay = (localEnd - 1) / TimeSpan.TicksPerDay;

        Span<(long Start, long End)> spans = stackalloc (long, long)[64];
        var n = 0;
        for (var day = firstDay; day <= lastDay; day++)
        {
            var date = DateOnly.FromDayNumber((int)day);
            if (person.Away.Any(a => a.From <= date && date <= a.To)) continue;
            var midnight = day * TimeSpan.TicksPerDay;
            foreach (var w in person.Weekly)
            {
                if (w.Day != date.DayOfWeek) continue;
                var wEnd = w.End == TimeOnly.MinValue ? TimeSpan.TicksPerDay : w.End.Ticks;
                if (wEnd <= w.Start.Ticks || n == spans.Length) return null;
                spans[n++] = (midnight + w.Start.Ticks, midnight + wEnd);
            }
        }
        spans[..n].Sort((a, b) => a.Start.CompareTo(b.Start));
        var covered = localStart;
        foreach (var (from, to) in spans[..n])
        {
            if (from > covered) break;
            if (to > covered) covered = to;
        }
        return covered >= localEnd;
    }

    /// <summary>
    /// Ways out of <paramref name="conflict"/>: for a person's problem, excuse them; for a lead's, hand the session to
    /// another lead who is free; a move to the best time SlotFinder finds for the circle in the coming week (everyone's
    /// other sessions counted as busy); and always cancelling the occurrence.
    /// </summary>
    public static IReadOnlyList<ConflictResolution> Suggest(DetectedConflict conflict, ConflictInput input)
    {
        var s = input.Sessions.FirstOrDefault(x => x.Id == conflict.SessionId);
        if (s is null) return [];
        var list = new List<ConflictResolution>();

        if (conflict.Kind is not (ConflictKinds.BlackoutDate or ConflictKinds.NoLeadAvailable))
            foreach (var p in conflict.PersonIds.Where(p => s.Members.Contains(p) && !s.Leads.Contains(p)))
                list.Add(new(ResolutionKind.Excuse, s.Id, $"Excuse person {p} from session {s.Id}") { PersonId = p });

        var leadInTrouble = conflict.Kind == ConflictKinds.NoLeadAvailable || conflict.PersonIds.Any(s.Leads.Contains);
        if (leadInTrouble)
            foreach (var other in s.Leads.Where(l => !conflict.PersonIds.Contains(l) || conflict.Kind == ConflictKinds.NoLeadAvailable))
                if (!s.SaidNo(other) && IsAvailable(input, other, s) && !BusyElsewhere(input, other, s, s.Start, s.End))
                    list.Add(new(ResolutionKind.HandOver, s.Id, $"Hand session {s.Id} to person {other}") { PersonId = other });

        if (conflict.Kind != ConflictKinds.AgreementNotAccepted && MoveTo(s, input) is { } move)
            list.Add(move);
        list.Add(new(ResolutionKind.Cancel, s.Id, $"Cancel session {s.Id}"));
        return list;
    }

    private static bool BusyElsewhere(ConflictInput input, long person, ConflictSession s, DateTimeOffset start, DateTimeOffset end) =>
        input.Sessions.Any(o => o.Id != s.Id && IsActive(o, input.Now) && o.Start < end && start < o.End && o.Expected.Contains(person));

    private static ConflictResolution? MoveTo(ConflictSession s, ConflictInput input)
    {
        var minutes = (int)Math.Round((s.End - s.Start).TotalMinutes);
        if (minutes <= 0 || minutes > SlotRequest.MaxLengthMinutes) return null;
        var from = LocalDate(s.Start > input.Now ? s.Start : input.Now, s.CircleTimeZoneId);
        var people = s.Expected.Select(p => WithOtherSessionsBusy(input, p, s)).ToList();
        var request = new SlotRequest(minutes, from, from.AddDays(7), SlotCadence.Once, s.CircleTimeZoneId)
        {
            Quorum = s.Quorum,
            // Default waking hours (08:00–21:00 in each person's zone) are a preference, not a limit: a time everyone is
            // awake for ranks first, and a night-time slot is offered only when nothing better is free.
            MaxResults = 20,
        };
        var found = SlotFinder.Find(request, people)
            .Where(c => c.FirstStartUtc > input.Now && c.FirstStartUtc != s.Start && c.MissedPersonOccurrences == 0
                        && !input.BlackoutDates.Contains(LocalDate(c.FirstStartUtc, s.CircleTimeZoneId)))
            .FirstOrDefault();
        return found is null ? null
            : new(ResolutionKind.Move, s.Id, $"Move session {s.Id} to {Utc(found.FirstStartUtc)}")
            { NewStart = found.FirstStartUtc, NewEnd = found.FirstStartUtc.AddMinutes(minutes) };
    }

    /// <summary>The person's availability, or "always free" when unknown, with their other sessions as busy blocks.</summary>
    private static PersonAvailability WithOtherSessionsBusy(ConflictInput input, long p, ConflictSession s)
    {
        var lead = s.Leads.Contains(p);
        var baseline = input.People.TryGetValue(p, out var a) && a.Weekly.Count > 0
            ? a with { Required = lead }
            : new PersonAvailability(p, s.CircleTimeZoneId, lead, AllWeek, [], []);
        var others = input.Sessions
            .Where(o => o.Id != s.Id && IsActive(o, input.Now) && o.Expected.Contains(p))
            .Select(o => new BusyBlock(o.Start, o.End));
        return baseline with { Busy = baseline.Busy.Concat(others).ToList() };
    }

    private static readonly IReadOnlyList<WeeklyWindow> AllWeek =
        Enum.GetValues<DayOfWeek>().Select(d => new WeeklyWindow(d, TimeOnly.MinValue, TimeOnly.MinValue)).ToList();

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
