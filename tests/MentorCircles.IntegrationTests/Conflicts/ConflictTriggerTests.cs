using MentorCircles.Core.Agreements;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.IntegrationTests.Conflicts;

/// <summary>
/// Changes to availability, membership and agreements enqueue a conflict re-check through SessionChanges after they
/// commit; running what was enqueued (as Hangfire would) opens or closes the conflicts the change made or ended.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConflictTriggerTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long program, coordinator, fran, gus, mo, pat, circleA, circleB;
    private EnqueuedJobs jobs = null!;
    private CircleAccess Access => new(Db);
    // Wednesday 11 March 2026 10:00 UTC, 10:00 in London (the circles' zone and everyone's).
    private static readonly DateTimeOffset Wednesday10 = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        jobs = new EnqueuedJobs(Db, Clock);
        program = await Given.ProgramAsync(Db);
        coordinator = await Given.CoordinatorAsync(Db, program);
        fran = await Given.PersonAsync(Db, program, "fran@example.org", displayName: "Fran Facilitator");
        gus = await Given.PersonAsync(Db, program, "gus@example.org", displayName: "Gus Mentor");
        mo = await Given.PersonAsync(Db, program, "mo@example.org", displayName: "Mo Mentee");
        pat = await Given.PersonAsync(Db, program, "pat@example.org", displayName: "Pat Mentee");
        circleA = await Given.CircleAsync(Db, program, "Circle A", (fran, "facilitator"), (mo, "mentee"), (pat, "mentee"));
        circleB = await Given.CircleAsync(Db, program, "Circle B", (gus, "mentor"), (mo, "mentee"));
        await Given.SessionAsync(Db, circleA, Wednesday10);
        await Given.SessionAsync(Db, circleB, Wednesday10.AddMinutes(30));
    }

    private Task<long> OpenAsync(string kind, long person) => ScalarAsync<long>("""
        SELECT count(*) FROM mentor.conflict WHERE program_id = @program AND kind = @kind AND status = 'open' AND @person = ANY(person_ids)
        """, new { program, kind, person });

    private string PersonJob(long person) => $"SessionChangeJob.PersonAsync({person})";

    [Fact]
    public async Task Saving_weekly_availability_rechecks_and_finds_a_session_outside_it()
    {
        var availability = new AvailabilityService(Db, Access, Clock, jobs.Changes);
        await availability.SaveWeeklyAsync(pat, [new AvailabilityWindow(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(17, 0))], Ct);

        Assert.Equal([PersonJob(pat)], jobs.Pending);
        Assert.Equal(0, await OpenAsync(ConflictKinds.OutsideAvailability, pat));
        await jobs.RunAllAsync();
        Assert.Equal(1, await OpenAsync(ConflictKinds.OutsideAvailability, pat));
    }

    [Fact]
    public async Task Saving_away_dates_rechecks_and_finds_the_session_they_miss()
    {
        await ExecuteAsync("""
            INSERT INTO mentor.availability_window (person_id, day, start_time, end_time) VALUES (@pat, 3, TIME '08:00', TIME '18:00')
            """, new { pat });
        await new ConflictDetectionJob(new ConflictStore(Db), Clock).RunAsync(program, Ct);
        Assert.Equal(0, await OpenAsync(ConflictKinds.OutsideAvailability, pat));

        var availability = new AvailabilityService(Db, Access, Clock, jobs.Changes);
        await availability.SaveAwayAsync(pat, [new AwayRange(new DateOnly(2026, 3, 11), new DateOnly(2026, 3, 12), "Conference")], Ct);

        Assert.Equal([PersonJob(pat)], jobs.Pending);
        await jobs.RunAllAsync();
        Assert.Equal(1, await OpenAsync(ConflictKinds.OutsideAvailability, pat));
    }

    [Fact]
    public async Task Adding_a_member_rechecks_and_finds_their_double_booking()
    {
        var admin = new CircleAdminService(Db, Access, jobs.Changes);
        await admin.AddMemberAsync(circleB, coordinator, new NewMember(pat, "mentee"), Ct);

        Assert.Equal([PersonJob(pat)], jobs.Pending);
        await jobs.RunAllAsync();
        Assert.Equal(1, await OpenAsync(ConflictKinds.DoubleBooked, pat));
    }

    [Fact]
    public async Task Removing_a_member_rechecks_and_closes_their_double_booking()
    {
        await new ConflictDetectionJob(new ConflictStore(Db), Clock).RunAsync(program, Ct);
        Assert.Equal(1, await OpenAsync(ConflictKinds.DoubleBooked, mo));

        await new CircleAdminService(Db, Access, jobs.Changes).RemoveMemberAsync(circleB, coordinator, mo, Ct);

        Assert.Equal([PersonJob(mo)], jobs.Pending);
        await jobs.RunAllAsync();
        Assert.Equal(0, await OpenAsync(ConflictKinds.DoubleBooked, mo));
        Assert.Equal("closed", await ScalarAsync<string>("SELECT status FROM mentor.conflict WHERE kind = 'double_booked' AND @mo = ANY(person_ids)", new { mo }));
    }

    [Fact]
    public async Task Leaving_a_circle_rechecks_and_closes_the_double_booking()
    {
        await new ConflictDetectionJob(new ConflictStore(Db), Clock).RunAsync(program, Ct);

        await new CircleService(Db, Access, jobs.Changes).LeaveAsync(circleA, mo, Ct);

        Assert.Equal([PersonJob(mo)], jobs.Pending);
        await jobs.RunAllAsync();
        Assert.Equal(0, await OpenAsync(ConflictKinds.DoubleBooked, mo));
    }

    [Fact]
    public async Task A_new_agreement_version_and_an_acceptance_each_recheck()
    {
        var agreements = new AgreementService(Db, Access, new AgreementStore(Db), jobs.Changes);
        Clock.Advance(TimeSpan.FromHours(15)); // Tuesday 11:00 UTC: less than a day before session A, when acceptance is checked.

        await agreements.SaveAsync(circleA, coordinator, AgreementTemplates.Text("group"), Ct);
        Assert.Equal([$"ConflictDetectionJob.RunAsync({program})"], jobs.Pending);
        await jobs.RunAllAsync();
        Assert.Equal(1, await OpenAsync(ConflictKinds.AgreementNotAccepted, mo));
        Assert.Equal(1, await OpenAsync(ConflictKinds.AgreementNotAccepted, fran));

        var version = (await agreements.GetAsync(circleA, mo, Ct)).Current!.Id;
        await agreements.AcceptAsync(circleA, mo, version, "Mo Mentee", Ct);

        Assert.Equal([PersonJob(mo)], jobs.Pending);
        await jobs.RunAllAsync();
        Assert.Equal(0, await OpenAsync(ConflictKinds.AgreementNotAccepted, mo));
        Assert.Equal(1, await OpenAsync(ConflictKinds.AgreementNotAccepted, fran));
    }
}
