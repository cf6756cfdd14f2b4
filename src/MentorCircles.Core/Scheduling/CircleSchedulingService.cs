using System.Data.Common;
using System.Globalization;
using MentorCircles.Core.Audit;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Sessions;
using Npgsql;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// Scheduling for one circle: find times, create a series, move or cancel one occurrence, and RSVPs. Finding times and
/// changing the schedule are for the circle's leads (facilitators, mentors) and its program's coordinators; RSVPs are for
/// members. Every committed change is followed up through <see cref="SessionChanges"/>.
/// </summary>
public sealed partial class CircleSchedulingService(NpgsqlDataSource db, CircleAccess access, TimeProvider clock, SessionChanges? changes = null)
{
    public const int MaxResults = 10;
    private const string NotScheduler = "Only this circle's facilitators and mentors, or a coordinator of its program, can schedule its sessions.";

    /// <summary>"No windows entered" means "not told", as in conflict detection: such a person is counted as free all week.</summary>
    private static readonly IReadOnlyList<WeeklyWindow> AllWeek =
        Enum.GetValues<DayOfWeek>().Select(d => new WeeklyWindow(d, TimeOnly.MinValue, TimeOnly.MinValue)).ToList();

    /// <summary>
    /// The Schedule tab: the circle's series with their occurrences, upcoming single sessions, RSVP counts. A member who does
    /// not lead gets only the circle's name (<see cref="CircleSchedule.MaySchedule"/> false); anyone else is refused.
    /// </summary>
    public async Task<CircleSchedule> ScheduleAsync(long circleId, long viewerId, CancellationToken ct)
    {
        var who = await access.GetAsync(circleId, viewerId, ct) ?? throw new AccessDeniedException(NotScheduler);
        await using var conn = await db.OpenConnectionAsync(ct);
        var circle = await CircleScheduleStore.CircleAsync(conn, null, circleId, ct) ?? throw new AccessDeniedException(NotScheduler);
        var viewerZone = await CircleScheduleStore.PersonZoneAsync(conn, viewerId, ct) ?? circle.TimeZone;
        if (!(who.IsLead || who.IsCoordinator))
            return new CircleSchedule(who, circle.Name, circle.TimeZone, viewerZone, circle.SessionMinutes, circle.Cadence, 0, 0, 0, [], []) { MaySchedule = false };
        var members = await CircleScheduleStore.MembersAsync(conn, null, circleId, ct);
        var now = clock.GetUtcNow();
        var (series, sessions) = await CircleScheduleStore.ScheduleAsync(conn, circleId, now.AddDays(-1), ct);
        var others = members.Count(m => !m.IsLead);
        ScheduleOccurrence Occ(CircleScheduleStore.OccurrenceRow s) => new(s.Id, s.Occurrence, s.StartsAt, s.EndsAt, s.Status, s.CancelledReason,
            s.Sequence, new RsvpCounts(s.Yes, s.No, s.Maybe, members.Count), s.StartsAt > now);
        var bySeries = sessions.Where(s => s.SeriesId is not null).ToLookup(s => s.SeriesId!.Value);
        return new CircleSchedule(who, circle.Name, circle.TimeZone, viewerZone, circle.SessionMinutes, circle.Cadence, members.Count, others,
            DefaultQuorum(circle.Quorum, others),
            series.Select(s => new ScheduleSeries(s.Id, Enum.Parse<SeriesCadence>(s.Cadence, ignoreCase: true), DateOnly.FromDateTime(s.FirstDate),
                TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(s.LocalStartSeconds)), s.LengthMinutes, s.TimeZone, bySeries[s.Id].Select(Occ).ToList())).ToList(),
            sessions.Where(s => s.SeriesId is null && s.StartsAt > now && s.Status is "scheduled" or "proposed").Select(Occ).ToList());
    }

    /// <summary>Ranks times for the circle from its members' availability and their other circles' sessions.</summary>
    public async Task<FoundTimes> FindTimesAsync(long circleId, long viewerId, FindTimesInput input, CancellationToken ct)
    {
        await RequireSchedulerAsync(circleId, viewerId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var circle = await CircleScheduleStore.CircleAsync(conn, null, circleId, ct) ?? throw new AccessDeniedException(NotScheduler);
        var members = await CircleScheduleStore.MembersAsync(conn, null, circleId, ct);
        var viewerZone = input.ViewerTimeZone ?? await CircleScheduleStore.PersonZoneAsync(conn, viewerId, ct) ?? circle.TimeZone;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(ScheduleWords.Local(now, circle.TimeZone));
        var others = members.Count(m => !m.IsLead);

        var errors = new List<FieldError>();
        if (input.LengthMinutes is < 15 or > 480)
            errors.Add(new("lengthMinutes", $"A session lasts from 15 to 480 minutes; {input.LengthMinutes} minutes is not possible."));
        if (!TimeZones.IsValid(viewerZone))
            errors.Add(new("viewerTimeZone", $"\"{Shorten(viewerZone)}\" is not a time zone we know; choose one such as Europe/London."));
        if (!Enum.IsDefined(input.Cadence))
            errors.Add(new("cadence", "Choose how often: once, weekly, fortnightly or monthly."));
        if (input.FromDate is not { } from) errors.Add(new("fromDate", "Choose the first date to look at."));
        else if (input.ToDate is not { } to) errors.Add(new("toDate", "Choose the last date to look at."));
        else if (to < from)
            errors.Add(new("toDate", $"The date window ends ({ScheduleWords.Date(to)}) before it starts ({ScheduleWords.Date(from)})."));
        else if (to.DayNumber - from.DayNumber + 1 > SlotRequest.MaxWindowDays)
            errors.Add(new("toDate", string.Create(CultureInfo.InvariantCulture,
                $"The date window is {to.DayNumber - from.DayNumber + 1:N0} days long; choose at most 26 weeks ({SlotRequest.MaxWindowDays} days).")));
        else if (from < today)
            errors.Add(new("fromDate", $"The date window starts on {ScheduleWords.Date(from)}, which has passed in {circle.TimeZone} (today is {ScheduleWords.Date(today)})."));
        if (members.Count == 0)
            errors.Add(new("circle", "This circle has no members yet, so there is no one to find a time for."));
        if (input.Quorum is < 0)
            errors.Add(new("quorum", $"A quorum cannot be negative ({input.Quorum})."));
        else if (input.Quorum is { } q && q > others)
            errors.Add(new("quorum", $"A quorum of {q} is larger than the circle: it has {others} {(others == 1 ? "member" : "members")} besides its facilitators and mentors."));
        InvalidInputException.ThrowIfAny(errors);

        var quorum = input.Quorum ?? DefaultQuorum(circle.Quorum, others);
        var window = (From: input.FromDate!.Value, To: input.ToDate!.Value);
        var fromUtc = new DateTimeOffset(window.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-2);
        var toUtc = new DateTimeOffset(window.To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(3);
        var (people, unknown) = await PeopleAsync(conn, circleId, members, fromUtc, toUtc, ct);
        var blackouts = await CircleScheduleStore.BlackoutsAsync(conn, null, circle.ProgramId, ct);
        var request = new SlotRequest(input.LengthMinutes, window.From, window.To, SlotCadence.Once, circle.TimeZone) { Quorum = quorum };

        var ranked = input.Cadence == FindCadence.Monthly
            ? Monthly(request, people, now)
            : SlotFinder.Find(request with
            {
                Cadence = input.Cadence switch { FindCadence.Weekly => SlotCadence.Weekly, FindCadence.Fortnightly => SlotCadence.Fortnightly, _ => SlotCadence.Once },
                MaxResults = MaxResults * 3,
            }, people)
                // A time earlier today has passed; a single meeting on a blackout date would be refused anyway.
                .Where(c => c.FirstStartUtc > now
                            && !(input.Cadence == FindCadence.Once && blackouts.ContainsKey(DateOnly.FromDateTime(ScheduleWords.Local(c.FirstStartUtc, circle.TimeZone)))))
                .Select(c => new Ranked(c.FirstStartUtc, c.LocalTime, c.Occurrences.Select(o => o.StartUtc).ToList(),
                    c.CannotCome.Select(a => (Name: a.Name ?? $"Person {a.PersonId}", a.Missed, a.Occurrences)).ToList(),
                    c.FreeCount, c.PeopleCount, c.InsideWakingHours, c.Explanation))
                .Take(MaxResults).ToList();

        var times = ranked.Select((r, i) => Describe(i + 1, r, input.Cadence, circle.TimeZone, viewerZone)).ToList();
        return new FoundTimes(circle.TimeZone, viewerZone, input.LengthMinutes, input.Cadence, quorum, others,
            members.Where(m => m.IsLead).Select(m => m.Name).ToList(), unknown, times);
    }

    /// <summary>
    /// Creates a series at a local time in the circle's home zone with all its sessions (agenda from the circle's template)
    /// in one transaction, passing over program blackout dates, then schedules each session's follow-up.
    /// </summary>
    public async Task<SeriesCreated> CreateSeriesAsync(long circleId, long viewerId, SeriesInput input, CancellationToken ct)
    {
        await RequireSchedulerAsync(circleId, viewerId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var circle = await CircleScheduleStore.CircleAsync(conn, null, circleId, ct) ?? throw new AccessDeniedException(NotScheduler);
        var blackouts = await CircleScheduleStore.BlackoutsAsync(conn, null, circle.ProgramId, ct);
        var now = clock.GetUtcNow();

        var errors = new List<FieldError>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length > 200) errors.Add(new("title", $"The title is {title.Length} characters; the limit is 200."));
        TextRules.CheckPlainText("title", "The title", title, errors);
        if (input.FirstDate is null) errors.Add(new("FirstDate", "Choose the date of the first session."));
        if (input.LocalTime is null) errors.Add(new("LocalTime", $"Choose the time the sessions start ({circle.TimeZone} time)."));
        if (input.LengthMinutes is < 15 or > 480)
            errors.Add(new("LengthMinutes", $"A session lasts from 15 to 480 minutes; {input.LengthMinutes} minutes is not possible."));
        SeriesSpec? spec = null;
        if (input.FirstDate is { } first && input.LocalTime is { } time)
        {
            spec = new SeriesSpec(first, time, input.LengthMinutes, circle.TimeZone, input.Cadence, input.Count, input.Until);
            // The length is checked above with the table's own limits; SeriesRules' wording would repeat it.
            errors.AddRange(SeriesRules.Check(spec, blackouts.Keys.ToHashSet(), now).Where(e => e.Field != "LengthMinutes"));
        }
        InvalidInputException.ThrowIfAny(errors);
        var plan = SeriesRules.Occurrences(spec!, blackouts.Keys.ToHashSet(), now);

        var created = new List<CreatedOccurrence>();
        long seriesId;
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            seriesId = await CircleScheduleStore.InsertSeriesAsync(conn, tx, circleId, spec!, viewerId, ct);
            var (template, _) = await SessionService.TemplateAsync(conn, tx, circleId, circle.Format, ct);
            var agenda = template.Select(t => ((long?)null, t)).ToList();
            foreach (var o in plan.Occurrences)
            {
                var id = await CircleScheduleStore.InsertOccurrenceAsync(conn, tx, circleId, seriesId, title, o, viewerId, ct);
                await SessionStore.ReplaceAgendaAsync(conn, tx, id, agenda, ct);
                created.Add(new(id, o.Number, o.LocalDate, o.LocalStart, o.StartUtc, o.TimeNote));
            }
            await AuditLog.WriteAsync(conn, tx, viewerId, "series.created", $"series:{seriesId}",
                new { circleId, sessions = created.Count, skipped = plan.SkippedForBlackout.Select(ScheduleText.Date).ToArray() }, ct);
            await tx.CommitAsync(ct);
        }
        foreach (var c in created) changes?.Session(c.SessionId, SessionChange.Scheduled);

        var skipped = plan.SkippedForBlackout.Select(d => (d, blackouts[d])).ToList();
        var summary = $"Created {created.Count} {ScheduleWords.Cadence(spec!.Cadence)} {(created.Count == 1 ? "session" : "sessions")} at "
            + $"{ScheduleWords.Time(spec.LocalStart)} {circle.TimeZone}, from {ScheduleWords.Date(created[0].LocalDate)} to {ScheduleWords.Date(created[^1].LocalDate)}."
            + (skipped.Count == 0 ? "" : " Skipped for program blackout dates: "
                + string.Join(", ", skipped.Select(s => s.d.ToString("d MMM yyyy", CultureInfo.InvariantCulture) + (s.Item2.Length > 0 ? $" ({s.Item2})" : ""))) + ".");
        return new SeriesCreated(seriesId, circle.TimeZone, created, skipped, summary);
    }

    /// <summary>
    /// Moves one session (of a series or planned on its own) to a new local date and time in the circle's zone, bumps its
    /// sequence so calendars update, and says who cannot come at the new time.
    /// </summary>
    public async Task<MoveResult> MoveOccurrenceAsync(long sessionId, long viewerId, DateOnly? newLocalDate, TimeOnly? newLocalTime, CancellationToken ct)
    {
        var (session, circle) = await SessionForSchedulerAsync(sessionId, viewerId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        var errors = new List<FieldError>();
        if (newLocalDate is null) errors.Add(new("date", "Choose the new date."));
        if (newLocalTime is null) errors.Add(new("time", $"Choose the new start time ({circle.TimeZone} time)."));
        InvalidInputException.ThrowIfAny(errors);
        var (date, time) = (newLocalDate!.Value, newLocalTime!.Value);

        var zone = ZoneMapping.Find(circle.TimeZone);
        if (zone.IsInvalidTime(date.ToDateTime(time, DateTimeKind.Unspecified)))
            throw new InvalidInputException("time", $"{ScheduleText.Time(time)} does not exist on {ScheduleText.Day(date)} in {circle.TimeZone} "
                + "(the clocks go forward then); choose another time.");
        var blackouts = await CircleScheduleStore.BlackoutsAsync(conn, null, circle.ProgramId, ct);
        if (blackouts.TryGetValue(date, out var label))
            throw new InvalidInputException("date", $"{ScheduleText.Day(date)} is a program blackout date{(label.Length > 0 ? $" ({label})" : "")}; choose another day.");
        var moved = SeriesRules.Move(new SeriesOccurrence(session.Occurrence ?? 1, DateOnly.MinValue, TimeOnly.MinValue, session.StartsAt, session.EndsAt, null),
            date, time, circle.TimeZone, now);

        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var locked = await CircleScheduleStore.SessionAsync(conn, tx, sessionId, forUpdate: true, ct);
            RequireChangeable(locked, now);
            await CircleScheduleStore.MoveAsync(conn, tx, sessionId, moved.StartUtc, moved.EndUtc, now, ct);
            await AuditLog.WriteAsync(conn, tx, viewerId, "session.moved", $"session:{sessionId}",
                new { circleId = circle.Id, from = session.StartsAt, to = moved.StartUtc }, ct);
            await tx.CommitAsync(ct);
        }
        changes?.Session(sessionId, SessionChange.Moved);

        var members = await CircleScheduleStore.MembersAsync(conn, null, circle.Id, ct);
        var (people, _) = await PeopleAsync(conn, circle.Id, members, moved.StartUtc.AddDays(-1), moved.EndUtc.AddDays(1), ct);
        var missing = people.Where(p => !ConflictRules.IsFree(p, moved.StartUtc, moved.EndUtc)).ToList();
        var names = missing.Select(p => p.Name ?? $"Person {p.PersonId}").ToList();
        var home = ScheduleWords.At(moved.StartUtc, circle.TimeZone);
        var summary = $"Moved to {home}. " + (names.Count == 0
            ? "Everyone can come, as far as their availability says."
            : $"Cannot come then: {string.Join(", ", names)}.");
        return new MoveResult(sessionId, moved.StartUtc, moved.EndUtc, home, names, missing.Any(p => p.Required), summary);
    }

    /// <summary>Cancels one upcoming session with a reason; its calendars and reminders follow.</summary>
    public async Task CancelOccurrenceAsync(long sessionId, long viewerId, string? reason, CancellationToken ct)
    {
        var (_, circle) = await SessionForSchedulerAsync(sessionId, viewerId, ct);
        var text = reason?.Trim() ?? "";
        var errors = new List<FieldError>();
        if (text.Length == 0) errors.Add(new("reason", "Say why the session is cancelled; members see the reason."));
        else if (text.Length > 500) errors.Add(new("reason", $"The reason is {text.Length} characters; the limit is 500."));
        TextRules.CheckPlainText("reason", "The reason", text, errors);
        InvalidInputException.ThrowIfAny(errors);
        var now = clock.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var locked = await CircleScheduleStore.SessionAsync(conn, tx, sessionId, forUpdate: true, ct);
            RequireChangeable(locked, now);
            await CircleScheduleStore.CancelAsync(conn, tx, sessionId, text, now, ct);
            await AuditLog.WriteAsync(conn, tx, viewerId, "session.cancelled", $"session:{sessionId}", new { circleId = circle.Id }, ct);
            await tx.CommitAsync(ct);
        }
        changes?.Session(sessionId, SessionChange.Cancelled);
    }

    private static void RequireChangeable(CircleScheduleStore.SessionFacts? s, DateTimeOffset now)
    {
        if (s is null) throw new AccessDeniedException("This session no longer exists.");
        if (s.Status is not ("scheduled" or "proposed"))
            throw new InvalidInputException("session", s.Status switch
            {
                "cancelled" => "This session is already cancelled.",
                "live" => "This session is live now; it can no longer be moved or cancelled.",
                _ => "This session has already taken place.",
            });
        if (s.StartsAt <= now) throw new InvalidInputException("session", "This session has already started; it can no longer be moved or cancelled.");
    }

    private async Task<CircleAccessInfo> RequireSchedulerAsync(long circleId, long viewerId, CancellationToken ct)
    {
        var who = await access.GetAsync(circleId, viewerId, ct);
        if (who is null || !(who.IsLead || who.IsCoordinator)) throw new AccessDeniedException(NotScheduler);
        return who;
    }

    private async Task<(CircleScheduleStore.SessionFacts Session, CircleScheduleStore.CircleFacts Circle)> SessionForSchedulerAsync(
        long sessionId, long viewerId, CancellationToken ct)
    {
        CircleScheduleStore.SessionFacts? session;
        await using (var conn = await db.OpenConnectionAsync(ct))
            session = await CircleScheduleStore.SessionAsync(conn, null, sessionId, forUpdate: false, ct);
        // The same refusal for "no such session" and "not yours", so ids cannot be probed.
        if (session is null) throw new AccessDeniedException(NotScheduler);
        await RequireSchedulerAsync(session.CircleId, viewerId, ct);
        await using (var conn = await db.OpenConnectionAsync(ct))
            return (session, await CircleScheduleStore.CircleAsync(conn, null, session.CircleId, ct) ?? throw new AccessDeniedException(NotScheduler));
    }

    /// <summary>The circle's own quorum (never more than there are members to make it), or all but one of the non-leads.</summary>
    private static int DefaultQuorum(int? circleQuorum, int others) => circleQuorum is { } q ? Math.Min(q, others) : Math.Max(0, others - 1);

    /// <summary>
    /// Each member's availability (leads required), with their other circles' sessions as busy time; a member who entered
    /// no weekly windows is counted as free all week and named in the second list.
    /// </summary>
    private static async Task<(IReadOnlyList<PersonAvailability> People, IReadOnlyList<string> Unknown)> PeopleAsync(
        DbConnection conn, long circleId, IReadOnlyList<CircleScheduleStore.Member> members, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken ct)
    {
        var ids = members.Select(m => m.PersonId).ToArray();
        var known = await ConflictStore.LoadAvailabilityAsync(conn, null, ids, fromUtc, toUtc, ct);
        var elsewhere = await CircleScheduleStore.OtherSessionsAsync(conn, circleId, ids, fromUtc, toUtc, ct);
        var unknown = new List<string>();
        var people = members.Select(m =>
        {
            var a = known.GetValueOrDefault(m.PersonId);
            if (a is not { Weekly.Count: > 0 }) unknown.Add(m.Name);
            var busy = (a?.Busy ?? []).Concat(elsewhere[m.PersonId]).ToList();
            return new PersonAvailability(m.PersonId, a?.TimeZoneId ?? m.TimeZone, m.IsLead,
                a is { Weekly.Count: > 0 } ? a.Weekly : AllWeek, a?.Away ?? [], busy)
            { Name = m.Name };
        }).ToList();
        return (people, unknown);
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
