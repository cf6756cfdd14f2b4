using MentorCircles.Core.Common;
using MentorCircles.Core.Conflicts;

namespace MentorCircles.IntegrationTests.Conflicts;

/// <summary>What the coordinator's queue page reads: names not ids, times in the coordinator's zone, filters, pages, history.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConflictQueueTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private const string CoordinatorZone = "America/New_York";
    private long program, coordinator, fran, gus, hal, mo, pat, circleA, circleB, sessionA, sessionB;
    private EnqueuedJobs jobs = null!;
    private ConflictDetectionJob Detection => new(new ConflictStore(Db), Clock);
    private ConflictService Service => new(Db, Detection, Clock, jobs.Changes);
    // Wednesday 11 March 2026 10:00 UTC: 10:00 in London (the circles' zone), 06:00 in New York (already on summer time).
    private static readonly DateTimeOffset Wednesday10 = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        jobs = new EnqueuedJobs(Db, Clock);
        program = await Given.ProgramAsync(Db);
        coordinator = await Given.PersonAsync(Db, program, Given.CoordinatorEmail, "coordinator", timeZone: CoordinatorZone, displayName: "Cora Ordinator");
        fran = await Given.PersonAsync(Db, program, "fran@example.org", displayName: "Fran Facilitator");
        hal = await Given.PersonAsync(Db, program, "hal@example.org", displayName: "Hal Facilitator");
        gus = await Given.PersonAsync(Db, program, "gus@example.org", displayName: "Gus Mentor");
        mo = await Given.PersonAsync(Db, program, "mo@example.org", displayName: "Mo Mentee");
        pat = await Given.PersonAsync(Db, program, "pat@example.org", displayName: "Pat Mentee");
        circleA = await Given.CircleAsync(Db, program, "Circle A", (fran, "facilitator"), (hal, "facilitator"), (mo, "mentee"), (pat, "mentee"));
        circleB = await Given.CircleAsync(Db, program, "Circle B", (gus, "mentor"), (mo, "mentee"), (pat, "mentee"));
        sessionA = await Given.SessionAsync(Db, circleA, Wednesday10);
        sessionB = await Given.SessionAsync(Db, circleB, Wednesday10.AddMinutes(30));
        await Detection.RunAsync(program, Ct);
    }

    private Task<ConflictQueuePage> QueueAsync(ConflictQueueFilter filter, int skip = 0, int take = 20) =>
        Service.QueueAsync(program, coordinator, filter, skip, take, Ct);

    private async Task<ConflictQueueItem> DoubleBookingOfAsync(string name) =>
        Assert.Single((await QueueAsync(new(Kind: ConflictKinds.DoubleBooked, PersonName: name))).Items);

    [Fact]
    public async Task The_queue_names_people_and_circles_and_shows_sessions_in_order()
    {
        var page = await QueueAsync(new());

        Assert.Equal(2, page.Total);
        var item = await DoubleBookingOfAsync("Mo");
        Assert.Equal(("Double-booked", "Open"), (item.KindLabel, item.StatusLabel));
        Assert.Equal(["Mo Mentee"], item.People);
        Assert.Equal("Circle A and Circle B", item.Circles);
        Assert.Equal("Mo Mentee is expected at Circle A and Circle B at overlapping times.", item.Summary);
        Assert.Equal([sessionA, sessionB], item.Sessions.Select(s => s.Id));
        Assert.Equal(("Circle A", "Europe/London", Wednesday10), (item.Sessions[0].CircleName, item.Sessions[0].CircleTimeZone, item.Sessions[0].StartsAt));
        Assert.Equal("Wed 11 Mar 2026, 06:00–07:00", ConflictText.Span(item.Sessions[0].StartsAt, item.Sessions[0].EndsAt, CoordinatorZone));
    }

    [Fact]
    public async Task The_queue_filters_by_kind_circle_person_and_status_and_pages()
    {
        var circleC = await Given.CircleAsync(Db, program, "Circle C", (hal, "facilitator"), (gus, "mentee"));
        await Given.SessionAsync(Db, circleC, Wednesday10.AddDays(1));
        await ExecuteAsync("INSERT INTO mentor.program_blackout (program_id, day, label) VALUES (@program, DATE '2026-03-12', 'Holiday')", new { program });
        await Detection.RunAsync(program, Ct);

        Assert.Equal(3, (await QueueAsync(new())).Total);
        Assert.Equal(["On a blackout date"], (await QueueAsync(new(Kind: ConflictKinds.BlackoutDate))).Items.Select(i => i.KindLabel));
        Assert.Equal("Circle C", Assert.Single((await QueueAsync(new(CircleId: circleC))).Items).Circles);
        Assert.Equal(2, (await QueueAsync(new(CircleId: circleB))).Total);
        Assert.Equal(2, (await QueueAsync(new(PersonName: "mentee"))).Total);
        Assert.Equal(["Pat Mentee"], Assert.Single((await QueueAsync(new(PersonName: " PAT "))).Items).People);
        Assert.Equal(0, (await QueueAsync(new(PersonName: "%"))).Total);
        Assert.Equal(0, (await QueueAsync(new(Status: "resolved"))).Total);
        Assert.Equal(3, (await QueueAsync(new(Status: null))).Total);

        var first = await QueueAsync(new(), skip: 0, take: 2);
        var second = await QueueAsync(new(), skip: 2, take: 2);
        Assert.Equal((3, 2, 1), (first.Total, first.Items.Count, second.Items.Count));
        Assert.Empty(first.Items.Select(i => i.Id).Intersect(second.Items.Select(i => i.Id)));
    }

    [Fact]
    public async Task A_filter_the_queue_does_not_offer_is_refused()
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => QueueAsync(new(Status: "pending")));
        Assert.Equal("Status", Assert.Single(ex.Errors).Field);
        await Assert.ThrowsAsync<InvalidInputException>(() => QueueAsync(new(Kind: "late")));
    }

    [Fact]
    public async Task Resolving_by_moving_notifies_members_through_SessionChanges_and_keeps_a_readable_history()
    {
        var conflict = await DoubleBookingOfAsync("Mo");
        var move = Assert.Single(await Service.DescribedSuggestionsAsync(conflict.Id, coordinator, Ct), s => s.Resolution.Kind == ResolutionKind.Move);
        var (start, end) = (move.Resolution.NewStart!.Value, move.Resolution.NewEnd!.Value);
        Assert.StartsWith($"Move to {ConflictText.Span(start, end, CoordinatorZone)} ({ConflictText.At(start, "Europe/London")} circle time)", move.Text);

        await Service.ResolveAsync(conflict.Id, coordinator, move.Resolution, "Agreed with Mo and Pat", Ct);

        Assert.Equal([$"SessionChangeJob.SessionAsync({move.Resolution.SessionId}, Moved)"], jobs.Pending);
        await jobs.RunAllAsync();
        var members = move.Resolution.SessionId == sessionA ? 4 : 3;
        Assert.Equal(members, jobs.Mail.Sent.Count(m => m.Subject.StartsWith("Moved:", StringComparison.Ordinal)));

        Assert.Equal(0, (await QueueAsync(new(Kind: ConflictKinds.DoubleBooked))).Total);
        var resolved = Assert.Single((await QueueAsync(new(Status: "resolved"))).Items);
        Assert.Equal((conflict.Id, "Resolved", "Cora Ordinator", "Agreed with Mo and Pat"), (resolved.Id, resolved.StatusLabel, resolved.ResolvedBy, resolved.Note));
        Assert.Equal($"Moved to {ConflictText.Span(start, end, CoordinatorZone)}", resolved.Resolution);
        Assert.Equal(start, resolved.Sessions.Single(s => s.Id == move.Resolution.SessionId).StartsAt);
        // Pat's double booking was the same clash: detection closed it, and it stays as history too.
        Assert.Equal(["Pat Mentee"], Assert.Single((await QueueAsync(new(Status: "closed"))).Items).People);
    }

    [Fact]
    public async Task Cancelling_the_occurrence_tells_SessionChanges_it_was_cancelled()
    {
        var conflict = await DoubleBookingOfAsync("Pat");
        var cancel = Assert.Single(await Service.DescribedSuggestionsAsync(conflict.Id, coordinator, Ct), s => s.Resolution.Kind == ResolutionKind.Cancel);
        Assert.Equal("Cancel this occurrence", cancel.Text);

        await Service.ResolveAsync(conflict.Id, coordinator, cancel.Resolution, null, Ct);

        Assert.Equal([$"SessionChangeJob.SessionAsync({cancel.Resolution.SessionId}, Cancelled)"], jobs.Pending);
        Assert.Equal("Cancelled the occurrence", Assert.Single((await QueueAsync(new(Status: "resolved"))).Items).Resolution);
    }

    [Fact]
    public async Task Excusing_a_member_is_put_in_words_with_their_name_and_needs_no_notice()
    {
        var conflict = await DoubleBookingOfAsync("Mo");
        var suggestions = await Service.DescribedSuggestionsAsync(conflict.Id, coordinator, Ct);
        var excuse = suggestions.First(s => s.Resolution.Kind == ResolutionKind.Excuse);
        Assert.Equal("Excuse Mo Mentee from this session", excuse.Text);
        Assert.All(suggestions, s => Assert.DoesNotContain($"person {mo}", s.Text));

        await Service.ResolveAsync(conflict.Id, coordinator, excuse.Resolution, "Mo goes to Circle B", Ct);

        Assert.Empty(jobs.Pending);
        Assert.Equal("Excused Mo Mentee from the session", Assert.Single((await QueueAsync(new(Status: "resolved"))).Items).Resolution);
    }

    [Fact]
    public async Task Only_a_coordinator_of_the_program_sees_the_queue_and_its_suggestions()
    {
        var other = await Given.ProgramAsync(Db, "Another Program");
        var otherCoordinator = await Given.PersonAsync(Db, other, "oscar@example.org", "coordinator");
        var conflict = await DoubleBookingOfAsync("Mo");

        foreach (var who in new[] { fran, mo, otherCoordinator })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Service.QueueSetupAsync(program, who, Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Service.QueueAsync(program, who, new(), 0, 20, Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Service.DescribedSuggestionsAsync(conflict.Id, who, Ct));
        }
        var setup = await Service.QueueSetupAsync(program, coordinator, Ct);
        Assert.Equal(CoordinatorZone, setup.TimeZone);
        Assert.Equal(["Circle A", "Circle B"], setup.Circles.Select(c => c.Name));
    }
}
