namespace MentorCircles.Core.Scheduling;

/// <summary>
/// A circle to give a weekly slot: its home zone, session length, leads (facilitators and mentors, who must be free at
/// every session) and other members (of whom <see cref="Quorum"/> must be free; null means all but one).
/// </summary>
public sealed record ScheduledCircle(long CircleId, string Name, string HomeTimeZoneId, int LengthMinutes,
    IReadOnlyList<long> Leads, IReadOnlyList<long> Members)
{
    public int? Quorum { get; init; }

    /// <summary>When set, the circle is not scheduled and this says why (e.g. it already has sessions in the term).</summary>
    public string? Skip { get; init; }
}

/// <summary>
/// A session one person already has outside this run, as instants. <see cref="Leading"/> counts it against their weekly
/// limit; <see cref="What"/> names it in explanations ("Circle C").
/// </summary>
public sealed record BookedTime(long PersonId, DateTimeOffset Start, DateTimeOffset End, string What, bool Leading = false);

/// <summary>
/// Everything the program-wide scheduler needs. Dates <see cref="From"/>..<see cref="To"/> are both included and read in
/// each circle's home zone; blackout dates are skipped there too. A lead with no entry in <see cref="LeadLimits"/> may
/// lead <see cref="ProgramScheduler.DefaultLeadLimit"/> sessions a week.
/// </summary>
public sealed record ProgramScheduleInput(
    IReadOnlyList<ScheduledCircle> Circles,
    IReadOnlyList<PersonAvailability> People,
    IReadOnlyList<BookedTime> Booked,
    IReadOnlyDictionary<long, int> LeadLimits,
    DateOnly From,
    DateOnly To,
    IReadOnlySet<DateOnly> Blackouts,
    DateTimeOffset Now);

/// <summary>One session of a proposal, and the members who cannot come to it.</summary>
public sealed record ProposedSession(int Number, DateOnly LocalDate, TimeOnly LocalStart, DateTimeOffset StartUtc, DateTimeOffset EndUtc,
    IReadOnlyList<long> CannotCome, string? TimeNote);

/// <summary>A member who misses <paramref name="Missed"/> of <paramref name="Of"/> sessions of a proposal.</summary>
public sealed record ProposedAbsence(long PersonId, string Name, int Missed, int Of);

/// <summary>
/// What the scheduler proposes for one circle: a weekly local day and time in its home zone with its sessions, or not
/// placed with the reason. The text is for people; the rest is what publishing needs.
/// </summary>
public sealed record CircleProposal(
    long CircleId,
    string CircleName,
    string TimeZone,
    int LengthMinutes,
    bool Placed,
    DayOfWeek? LocalDay,
    TimeOnly? LocalTime,
    IReadOnlyList<ProposedSession> Sessions,
    IReadOnlyList<ProposedAbsence> CannotCome,
    bool InsideWakingHours,
    string Text)
{
    public DateOnly? FirstDate => Sessions.Count > 0 ? Sessions[0].LocalDate : null;

    public DateOnly? LastDate => Sessions.Count > 0 ? Sessions[^1].LocalDate : null;
}

/// <summary>The scheduler's answer: one proposal per circle, in the order the circles were given.</summary>
public sealed record ProgramSchedule(IReadOnlyList<CircleProposal> Circles)
{
    public int PlacedCount => Circles.Count(c => c.Placed);

    public int NotPlacedCount => Circles.Count(c => !c.Placed);
}
