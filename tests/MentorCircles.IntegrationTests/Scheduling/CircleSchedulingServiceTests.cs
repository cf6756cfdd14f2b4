using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;
using MentorCircles.Core.Sessions;
using MentorCircles.IntegrationTests.Objectives;

namespace MentorCircles.IntegrationTests.Scheduling;

/// <summary>
/// One circle's scheduling on real PostgreSQL (the test server runs in Pacific/Chatham): finding times from availability
/// rows, a series across the UK clock change, blackout dates, moving, cancelling and RSVPs, and who may do each.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CircleSchedulingServiceTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    // Monday 1 March 2027, noon in London (GMT, so UTC too). The UK clocks go forward on Sunday 28 March 2027.
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private long program, circle, fran, mo, pat, sam, outsider, cora;
    private readonly RecordingJobs jobs = new();
    private CircleSchedulingService Scheduling => new(Db, new CircleAccess(Db), Clock, new SessionChanges(jobs));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clock.Advance(Now - Clock.GetUtcNow());
        program = await Given.ProgramAsync(Db);
        fran = await Given.PersonAsync(Db, program, "fran@example.org", displayName: "Fran Facilitator");
        mo = await Given.PersonAsync(Db, program, "mo@example.org", displayName: "Mo Mentee");
        pat = await Given.PersonAsync(Db, program, "pat@example.org", displayName: "Pat Mentee");
        sam = await Given.PersonAsync(Db, program, "sam@example.org", displayName: "Sam Mentee");
        outsider = await Given.PersonAsync(Db, program, "olly@example.org", displayName: "Olly Outsider");
        cora = await Given.CoordinatorAsync(Db, program);
        circle = await Given.CircleAsync(Db, program, "Launch circle", (fran, "facilitator"), (mo, "mentee"), (pat, "mentee"), (sam, "mentee"));
        // Fran leads and is free Monday and Tuesday evenings; Mo only Mondays, Pat only Tuesdays; Sam has entered nothing.
        await WindowAsync(fran, DayOfWeek.Monday, "17:00", "20:00");
        await WindowAsync(fran, DayOfWeek.Tuesday, "17:00", "20:00");
        await WindowAsync(mo, DayOfWeek.Monday, "17:00", "20:00");
        await WindowAsync(pat, DayOfWeek.Tuesday, "17:00", "20:00");
    }

    private Task WindowAsync(long person, DayOfWeek day, string from, string to) => ExecuteAsync("""
        INSERT INTO mentor.availability_window (person_id, day, start_time, end_time) VALUES (@person, @day, CAST(@from AS time), CAST(@to AS time))
        """, new { person, day = (short)day, from, to });

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2027, month, day, hour, minute, 0, TimeSpan.Zero);

    private Task<SeriesCreated> WeeklyAsync(DateOnly first, int hour, int count, long by = 0) =>
        Scheduling.CreateSeriesAsync(circle, by == 0 ? fran : by, new SeriesInput(first, new TimeOnly(hour, 0), 60, SeriesCadence.Weekly, count, null), Ct);

    private Task<long> CountAsync(string table) => ScalarAsync<long>($"SELECT count(*) FROM mentor.{table}");

    [Fact]
    public async Task Find_times_keeps_the_lead_free_counts_other_circles_as_busy_and_names_who_cannot_come()
    {
        // Fran leads another circle on Monday 8 March, 17:00–18:00: no weekly Monday time may overlap it.
        var other = await Given.CircleAsync(Db, program, "Other circle", (fran, "facilitator"));
        await Given.SessionAsync(Db, other, Utc(3, 8, 17));

        var found = await Scheduling.FindTimesAsync(circle, fran,
            new FindTimesInput(60, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 21), FindCadence.Weekly) { ViewerTimeZone = "America/New_York" }, Ct);

        Assert.Equal(2, found.Quorum);
        Assert.Equal(["Sam Mentee"], found.WithoutAvailability);
        Assert.NotEmpty(found.Times);
        Assert.All(found.Times, t =>
        {
            Assert.Contains(t.HomeDate.DayOfWeek, new[] { DayOfWeek.Monday, DayOfWeek.Tuesday });
            Assert.InRange(t.HomeTime, new TimeOnly(17, 0), new TimeOnly(19, 0));
            if (t.HomeDate.DayOfWeek == DayOfWeek.Monday) Assert.True(t.HomeTime >= new TimeOnly(18, 0), $"{t.HomeText} overlaps Fran's other session");
        });
        var best = found.Times[0];
        Assert.Equal("Mondays at 18:00 Europe/London, from Mon 1 Mar 2027 (3 sessions)", best.HomeText);
        Assert.Equal(["Pat Mentee (misses 3 of 3)"], best.CannotCome);
        Assert.True(best.InsideWakingHours);
        // New York moves its clocks on 14 March, London not until the 28th: the viewer's time changes, and the page says so.
        Assert.StartsWith("Mon 1 Mar 2027, 13:00 America/New_York; 14:00 on some dates", best.ViewerText);
        Assert.Equal([Utc(3, 1, 18), Utc(3, 8, 18), Utc(3, 15, 18)], best.Starts);
    }

    [Fact]
    public async Task Find_times_monthly_keeps_the_same_weekday_of_the_month()
    {
        var found = await Scheduling.FindTimesAsync(circle, cora,
            new FindTimesInput(60, new DateOnly(2027, 3, 1), new DateOnly(2027, 5, 31), FindCadence.Monthly) { Quorum = 1 }, Ct);

        var best = found.Times[0];
        Assert.Equal("The 1st Monday of each month at 17:00 Europe/London, from Mon 1 Mar 2027 (3 sessions)", best.HomeText);
        // 5 April and 3 May are in British Summer Time: still 17:00 on the clock, an hour earlier in UTC.
        Assert.Equal([Utc(3, 1, 17), Utc(4, 5, 16), Utc(5, 3, 16)], best.Starts);
        Assert.Equal(["Pat Mentee (misses 3 of 3)"], best.CannotCome);
    }

    [Fact]
    public async Task A_weekly_series_at_18_00_stays_at_18_00_in_London_across_the_clock_change()
    {
        var created = await WeeklyAsync(new DateOnly(2027, 3, 22), 18, 3);

        Assert.Equal([Utc(3, 22, 18), Utc(3, 29, 17), Utc(4, 5, 17)], created.Sessions.Select(s => s.StartUtc));
        Assert.All(created.Sessions, s => Assert.Equal(new TimeOnly(18, 0), s.LocalStart));
        var stored = await ScalarAsync<string>("""
            SELECT string_agg(to_char(starts_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI') || '/' || occurrence, ' ' ORDER BY starts_at)
            FROM mentor.session WHERE series_id = @SeriesId
            """, new { created.SeriesId });
        Assert.Equal("2027-03-22 18:00/1 2027-03-29 18:00/2 2027-04-05 18:00/3", stored);
        Assert.Equal("weekly 18:00:00 Europe/London 3", await ScalarAsync<string>(
            "SELECT cadence || ' ' || local_start || ' ' || time_zone || ' ' || count FROM mentor.session_series WHERE id = @SeriesId", new { created.SeriesId }));
        // Each session has the circle's template agenda, and each is followed up as scheduled.
        Assert.Equal(3L * AgendaRules.BuiltInTemplate("group").Count, await CountAsync("agenda_item"));
        Assert.Equal(created.Sessions.Select(s => (s.SessionId, SessionChange.Scheduled)), jobs.SessionChanges);
        var schedule = await Scheduling.ScheduleAsync(circle, cora, Ct);
        Assert.Equal(3, schedule.Series.Single().Occurrences.Count);
    }

    [Fact]
    public async Task A_blackout_date_is_skipped_and_named_and_the_series_keeps_its_count()
    {
        await ExecuteAsync("INSERT INTO mentor.program_blackout (program_id, day, label) VALUES (@program, DATE '2027-03-29', 'Easter Monday')", new { program });

        var created = await WeeklyAsync(new DateOnly(2027, 3, 22), 18, 3);

        Assert.Equal([new DateOnly(2027, 3, 22), new DateOnly(2027, 4, 5), new DateOnly(2027, 4, 12)], created.Sessions.Select(s => s.LocalDate));
        Assert.Equal([(new DateOnly(2027, 3, 29), "Easter Monday")], created.SkippedForBlackout);
        Assert.Contains("Skipped for program blackout dates: 29 Mar 2027 (Easter Monday).", created.Summary);
    }

    [Fact]
    public async Task Moving_an_occurrence_bumps_its_sequence_and_says_who_cannot_come_at_the_new_time()
    {
        var created = await WeeklyAsync(new DateOnly(2027, 3, 22), 18, 3);
        var second = created.Sessions[1].SessionId;
        jobs.Clear();

        // Tuesday 30 March 19:00 BST: Fran and Pat are free, Mo (Mondays only) is not.
        var moved = await Scheduling.MoveOccurrenceAsync(second, fran, new DateOnly(2027, 3, 30), new TimeOnly(19, 0), Ct);

        Assert.Equal(Utc(3, 30, 18), moved.StartUtc);
        Assert.Equal(["Mo Mentee"], moved.CannotCome);
        Assert.False(moved.LeadsMissing);
        Assert.Contains("Cannot come then: Mo Mentee.", moved.Summary);
        Assert.Equal(1, await ScalarAsync<int>("SELECT sequence FROM mentor.session WHERE id = @second", new { second }));
        Assert.Equal(Utc(3, 30, 19), await ScalarAsync<DateTimeOffset>("SELECT ends_at FROM mentor.session WHERE id = @second", new { second }));
        Assert.Equal([(second, SessionChange.Moved)], jobs.SessionChanges);

        // The past, a time the clocks skip, and a blackout date are refused; the session stays where it was moved.
        var past = await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.MoveOccurrenceAsync(second, fran, new DateOnly(2027, 2, 1), new TimeOnly(18, 0), Ct));
        Assert.Contains("in the past", past.Message);
        var gap = await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.MoveOccurrenceAsync(second, fran, new DateOnly(2027, 3, 28), new TimeOnly(1, 30), Ct));
        Assert.Contains("01:30 does not exist on Sunday 2027-03-28 in Europe/London", gap.Message);
        await ExecuteAsync("INSERT INTO mentor.program_blackout (program_id, day, label) VALUES (@program, DATE '2027-04-01', 'Staff day')", new { program });
        var blackout = await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.MoveOccurrenceAsync(second, fran, new DateOnly(2027, 4, 1), new TimeOnly(18, 0), Ct));
        Assert.Contains("blackout date (Staff day)", blackout.Message);
        Assert.Equal(1, await ScalarAsync<int>("SELECT sequence FROM mentor.session WHERE id = @second", new { second }));
        Assert.Equal(Utc(3, 30, 18), await ScalarAsync<DateTimeOffset>("SELECT starts_at FROM mentor.session WHERE id = @second", new { second }));
        Assert.Single(jobs.SessionChanges);
    }

    [Fact]
    public async Task A_single_planned_session_can_be_moved_and_cancelled_too()
    {
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circle, fran);
        var single = await new SessionService(Db, new CircleAccess(Db), Clock).PlanAsync(circle, fran, new PlanInput(new DateTime(2027, 3, 9, 18, 0, 0), 60, ""), Ct);

        await Scheduling.MoveOccurrenceAsync(single, cora, new DateOnly(2027, 3, 10), new TimeOnly(18, 30), Ct);
        await Scheduling.CancelOccurrenceAsync(single, cora, "Fran is ill", Ct);

        Assert.Equal("cancelled Fran is ill 2", await ScalarAsync<string>(
            "SELECT status || ' ' || cancelled_reason || ' ' || sequence FROM mentor.session WHERE id = @single", new { single }));
        Assert.Equal([(single, SessionChange.Moved), (single, SessionChange.Cancelled)], jobs.SessionChanges);
    }

    [Fact]
    public async Task Cancelling_an_occurrence_records_the_reason_and_cannot_happen_twice()
    {
        var created = await WeeklyAsync(new DateOnly(2027, 3, 22), 18, 2);
        var first = created.Sessions[0].SessionId;
        jobs.Clear();

        var noReason = await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.CancelOccurrenceAsync(first, fran, "  ", Ct));
        Assert.Contains("Say why", noReason.Message);
        await Scheduling.CancelOccurrenceAsync(first, fran, "Half-term week", Ct);
        var again = await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.CancelOccurrenceAsync(first, fran, "Again", Ct));

        Assert.Contains("already cancelled", again.Message);
        Assert.Equal("cancelled Half-term week 1", await ScalarAsync<string>(
            "SELECT status || ' ' || cancelled_reason || ' ' || sequence FROM mentor.session WHERE id = @first", new { first }));
        Assert.Equal([(first, SessionChange.Cancelled)], jobs.SessionChanges);
        var occurrence = (await Scheduling.ScheduleAsync(circle, fran, Ct)).Series.Single().Occurrences[0];
        Assert.Equal(("cancelled", "Half-term week", false), (occurrence.Status, occurrence.CancelledReason, occurrence.Changeable));
    }

    [Fact]
    public async Task Members_answer_counts_are_for_everyone_and_names_for_leads_only()
    {
        var session = (await WeeklyAsync(new DateOnly(2027, 3, 22), 18, 1)).Sessions[0].SessionId;
        jobs.Clear();

        await Scheduling.RsvpAsync(session, mo, "yes", "", Ct);
        await Scheduling.RsvpAsync(session, pat, "no", "Teaching late", Ct);
        await Scheduling.RsvpAsync(session, pat, "maybe", "Might swap", Ct);

        var forMo = await Scheduling.RsvpsAsync(session, mo, Ct);
        Assert.Equal(new RsvpCounts(1, 0, 1, 4), forMo.Counts);
        Assert.Equal(2, forMo.Counts.NoAnswer);
        Assert.Equal("yes", forMo.MyAnswer);
        Assert.Null(forMo.Names);
        var forFran = await Scheduling.RsvpsAsync(session, fran, Ct);
        Assert.Equal([new RsvpName("Mo Mentee", "yes", ""), new RsvpName("Pat Mentee", "maybe", "Might swap")], forFran.Names);
        Assert.Null((await Scheduling.RsvpsAsync(session, cora, Ct)).Names);
        Assert.Equal(1, (await Scheduling.CircleRsvpsAsync(circle, sam, Ct))[session].Counts.Yes);
        Assert.Equal([session, session, session], jobs.Rechecks);
    }

    [Fact]
    public async Task An_rsvp_is_refused_for_a_non_member_a_past_session_and_an_unknown_answer()
    {
        var future = (await WeeklyAsync(new DateOnly(2027, 3, 22), 18, 1)).Sessions[0].SessionId;
        var past = await Given.SessionAsync(Db, circle, Utc(2, 22, 18));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Scheduling.RsvpAsync(future, outsider, "yes", "", Ct));
        // A coordinator sees the schedule but is not a member: no answer of theirs would mean anything.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Scheduling.RsvpAsync(future, cora, "yes", "", Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Scheduling.RsvpsAsync(future, outsider, Ct));
        var over = await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.RsvpAsync(past, mo, "yes", "", Ct));
        Assert.Contains("still to come", over.Message);
        var odd = await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.RsvpAsync(future, mo, "perhaps", "", Ct));
        Assert.Equal("answer", odd.Errors.Single().Field);

        Assert.Equal(0L, await CountAsync("rsvp"));
        Assert.Empty(jobs.Rechecks);
    }

    [Fact]
    public async Task A_member_who_does_not_lead_and_an_outsider_cannot_find_times_or_change_the_schedule()
    {
        var session = (await WeeklyAsync(new DateOnly(2027, 3, 22), 18, 1)).Sessions[0].SessionId;
        var input = new FindTimesInput(60, new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 21), FindCadence.Weekly);

        foreach (var who in new[] { mo, outsider })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Scheduling.FindTimesAsync(circle, who, input, Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => WeeklyAsync(new DateOnly(2027, 4, 5), 18, 2, who));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Scheduling.MoveOccurrenceAsync(session, who, new DateOnly(2027, 3, 23), new TimeOnly(18, 0), Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Scheduling.CancelOccurrenceAsync(session, who, "No", Ct));
        }
        // A member who does not lead sees the circle's name and nothing of its schedule; an outsider not even that.
        var forMo = await Scheduling.ScheduleAsync(circle, mo, Ct);
        Assert.Equal(("Launch circle", false, 0), (forMo.CircleName, forMo.MaySchedule, forMo.Series.Count));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Scheduling.ScheduleAsync(circle, outsider, Ct));
        Assert.Equal(1L, await CountAsync("session_series"));
        Assert.Equal("scheduled 0", await ScalarAsync<string>("SELECT status || ' ' || sequence FROM mentor.session WHERE id = @session", new { session }));
        // The program's coordinator may, without being a member.
        Assert.NotEmpty((await Scheduling.FindTimesAsync(circle, cora, input, Ct)).Times);
    }

    [Fact]
    public async Task Bad_find_times_input_gets_a_clear_message()
    {
        async Task<string> Refused(FindTimesInput input) =>
            (await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.FindTimesAsync(circle, fran, input, Ct))).Message;
        var march = (From: new DateOnly(2027, 3, 1), To: new DateOnly(2027, 3, 28));

        Assert.Contains("3,654 days long; choose at most 26 weeks",
            await Refused(new FindTimesInput(60, march.From, march.From.AddYears(10), FindCadence.Weekly)));
        Assert.Contains("A quorum of 4 is larger than the circle: it has 3 members besides its facilitators and mentors",
            await Refused(new FindTimesInput(60, march.From, march.To, FindCadence.Weekly) { Quorum = 4 }));
        Assert.Contains("\"Mars/Olympus_Mons\" is not a time zone we know",
            await Refused(new FindTimesInput(60, march.From, march.To, FindCadence.Weekly) { ViewerTimeZone = "Mars/Olympus_Mons" }));
        Assert.Contains("The date window ends (Mon 1 Mar 2027) before it starts (Sun 28 Mar 2027)",
            await Refused(new FindTimesInput(60, march.To, march.From, FindCadence.Weekly)));
        Assert.Contains("has passed in Europe/London", await Refused(new FindTimesInput(60, new DateOnly(2027, 2, 1), march.To, FindCadence.Weekly)));
        Assert.Contains("from 15 to 480 minutes", await Refused(new FindTimesInput(5, march.From, march.To, FindCadence.Weekly)));
    }

    [Fact]
    public async Task Bad_series_input_is_refused_with_messages_and_nothing_is_saved()
    {
        async Task<IReadOnlyList<FieldError>> Refused(SeriesInput input) =>
            (await Assert.ThrowsAsync<InvalidInputException>(() => Scheduling.CreateSeriesAsync(circle, fran, input, Ct))).Errors;

        var past = await Refused(new SeriesInput(new DateOnly(2027, 2, 1), new TimeOnly(18, 0), 60, SeriesCadence.Weekly, 4, null));
        Assert.Contains(past, e => e.Message.Contains("The first session would be in the past"));
        var none = await Refused(new SeriesInput(null, null, 60, SeriesCadence.Weekly, null, null));
        Assert.Contains(none, e => e.Field == "FirstDate");
        Assert.Contains(none, e => e.Field == "LocalTime");
        var inverted = await Refused(new SeriesInput(new DateOnly(2027, 4, 5), new TimeOnly(18, 0), 60, SeriesCadence.Weekly, null, new DateOnly(2027, 3, 1)));
        Assert.Contains(inverted, e => e.Message.Contains("is before the first date"));
        var tooMany = await Refused(new SeriesInput(new DateOnly(2027, 4, 5), new TimeOnly(18, 0), 10, SeriesCadence.Weekly, 500, null));
        Assert.Contains(tooMany, e => e.Message.Contains("at most 104 sessions"));
        Assert.Contains(tooMany, e => e.Message.Contains("from 15 to 480 minutes"));

        Assert.Equal(0L, await CountAsync("session_series"));
        Assert.Equal(0L, await CountAsync("session"));
        Assert.Empty(jobs.SessionChanges);
    }

    /// <summary>Records what <see cref="SessionChanges"/> enqueues instead of running it.</summary>
    private sealed class RecordingJobs : IBackgroundJobClient
    {
        private readonly List<Job> jobs = [];

        public IReadOnlyList<(long, SessionChange)> SessionChanges =>
            jobs.Where(j => j.Method.Name == nameof(SessionChangeJob.SessionAsync)).Select(j => ((long)j.Args[0], (SessionChange)j.Args[1])).ToList();

        public IReadOnlyList<long> Rechecks =>
            jobs.Where(j => j.Method.Name == nameof(Core.Conflicts.ConflictDetectionJob.RecheckSessionAsync)).Select(j => (long)j.Args[0]).ToList();

        public void Clear() => jobs.Clear();

        public string Create(Job job, IState state)
        {
            jobs.Add(job);
            return jobs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
