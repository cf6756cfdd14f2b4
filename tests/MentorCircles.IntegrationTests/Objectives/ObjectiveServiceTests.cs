using System.Text.Json;
using Dapper;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Objectives;

namespace MentorCircles.IntegrationTests.Objectives;

[Collection(PostgresCollection.Name)]
public sealed class ObjectiveServiceTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long programId, coordinatorId, facilitatorId, mentorId, ownerId, peerId, unsignedId, outsiderId;
    private long circleId, otherCircleId;

    private ObjectiveService Objectives => new(Db, new CircleAccess(Db), Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        programId = await Given.ProgramAsync(Db);
        coordinatorId = await Given.CoordinatorAsync(Db, programId);
        facilitatorId = await Given.PersonAsync(Db, programId, "fay@example.org", displayName: "Fay Facilitator");
        mentorId = await Given.PersonAsync(Db, programId, "milo@example.org", displayName: "Milo Mentor");
        ownerId = await Given.PersonAsync(Db, programId, "ann@example.org", displayName: "Ann Owner", timeZone: "America/Chicago");
        peerId = await Given.PersonAsync(Db, programId, "ben@example.org", displayName: "Ben Mentee");
        unsignedId = await Given.PersonAsync(Db, programId, "nia@example.org", displayName: "Nia Unsigned");
        outsiderId = await Given.PersonAsync(Db, programId, "otto@example.org", displayName: "Otto Outsider");
        circleId = await Given.CircleAsync(Db, programId, "Launch Group",
            (facilitatorId, "facilitator"), (mentorId, "mentor"), (ownerId, "mentee"), (peerId, "mentee"), (unsignedId, "mentee"));
        otherCircleId = await Given.CircleAsync(Db, programId, "Other Group", (outsiderId, "mentee"));
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circleId, facilitatorId, mentorId, ownerId, peerId);
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, otherCircleId, outsiderId);
    }

    private static ObjectiveInput Input(string title = "Submit my first grant", string visibility = "private", params string[] milestones) =>
        new(title, "Tenure needs funding", "Submitted by June", null, "active", visibility,
            milestones.Select(m => new MilestoneInput(null, m)).ToList());

    private Task<long> CreateAsync(string title = "Submit my first grant", string visibility = "private", params string[] milestones) =>
        Objectives.CreateAsync(circleId, ownerId, Input(title, visibility, milestones), Ct);

    private Task<int> CountAsync(string table) => ScalarAsync<int>($"SELECT count(*)::int FROM mentor.{table}");

    [Fact]
    public async Task Should_create_an_objective_with_its_milestones_in_order_and_private_by_default()
    {
        var id = await Objectives.CreateAsync(circleId, ownerId,
            new ObjectiveInput("  Submit my first grant  ", "Tenure", "Submitted", new DateOnly(2026, 6, 1), Milestones:
                [new(null, "Draft the aims"), new(null, "Budget")]), Ct);

        var o = await Objectives.GetAsync(circleId, id, ownerId, Ct);
        Assert.Equal("Submit my first grant", o.Title);
        Assert.Equal(("Tenure", "Submitted", new DateOnly(2026, 6, 1)), (o.Why, o.SuccessCriteria, o.TargetDate));
        Assert.Equal(("active", "private"), (o.Status, o.Visibility));
        Assert.True(o.IsOwner);
        Assert.Equal(FakeClock.DefaultStart, o.CreatedAt);
        Assert.Empty(o.CheckIns);
        Assert.Equal([("Draft the aims", 0, false), ("Budget", 1, false)], o.Milestones.Select(m => (m.Title, m.Position, m.DoneAt is not null)));
    }

    [Fact]
    public async Task Should_refuse_a_blank_milestone_and_save_neither_objective_nor_milestones()
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync(milestones: ["Draft", " "]));
        Assert.Equal("Milestones[1]", Assert.Single(ex.Errors).Field);
        Assert.Equal(0, await CountAsync("objective"));
        Assert.Equal(0, await CountAsync("objective_milestone"));
    }

    [Fact]
    public async Task Should_rename_reorder_tick_add_and_remove_milestones_together_with_the_objective()
    {
        var id = await CreateAsync(milestones: ["Aims", "Budget", "Letters"]);
        var ms = (await Objectives.GetAsync(circleId, id, ownerId, Ct)).Milestones;

        Clock.Advance(TimeSpan.FromHours(1));
        await Objectives.UpdateAsync(circleId, id, ownerId, Input("Submit the grant", milestones: []) with
        {
            Status = "achieved",
            Milestones = [new(ms[2].Id, "Support letters", Done: true), new(ms[0].Id, "Aims", Done: false), new(null, "Submit", Done: true)],
        }, Ct);

        var o = await Objectives.GetAsync(circleId, id, ownerId, Ct);
        Assert.Equal(("Submit the grant", "achieved"), (o.Title, o.Status));
        Assert.Equal(
            [("Support letters", 0, true), ("Aims", 1, false), ("Submit", 2, true)],
            o.Milestones.Select(m => (m.Title, m.Position, m.DoneAt is not null)));
        Assert.Equal(Clock.GetUtcNow(), o.Milestones[0].DoneAt);
        Assert.Equal(3, await CountAsync("objective_milestone"));
    }

    [Fact]
    public async Task Should_roll_back_the_objective_when_a_milestone_change_fails()
    {
        var id = await CreateAsync(milestones: ["Aims"]);
        var otherId = await Objectives.CreateAsync(circleId, peerId, Input("Ben's", milestones: ["Ben's milestone"]), Ct);
        var bensMilestone = (await Objectives.GetAsync(circleId, otherId, peerId, Ct)).Milestones[0].Id;

        // A milestone id of another objective: the objective row is updated first, then the milestone fails.
        await Assert.ThrowsAsync<InvalidInputException>(() => Objectives.UpdateAsync(circleId, id, ownerId,
            Input("Changed title", "circle") with { Milestones = [new(bensMilestone, "Stolen")] }, Ct));

        var o = await Objectives.GetAsync(circleId, id, ownerId, Ct);
        Assert.Equal(("Submit my first grant", "private"), (o.Title, o.Visibility));
        Assert.Equal(["Aims"], o.Milestones.Select(m => m.Title));
        Assert.Equal("Ben's milestone", (await Objectives.GetAsync(circleId, otherId, peerId, Ct)).Milestones[0].Title);
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*)::int FROM mentor.audit_log WHERE subject = @s", new { s = $"objective:{id}" }));
    }

    [Fact]
    public async Task Should_record_check_ins_between_sessions_at_server_time_oldest_first()
    {
        var id = await CreateAsync();
        await Objectives.CheckInAsync(circleId, id, ownerId, new CheckInInput(20, " Drafted the aims "), Ct);
        Clock.Advance(TimeSpan.FromDays(7));
        await Objectives.CheckInAsync(circleId, id, ownerId, new CheckInInput(45, null), Ct);

        var o = await Objectives.GetAsync(circleId, id, ownerId, Ct);
        Assert.Equal(
            [(20, "Drafted the aims", false, FakeClock.DefaultStart), (45, "", false, FakeClock.DefaultStart.AddDays(7))],
            o.CheckIns.Select(c => (c.Progress, c.Note, c.InSession, c.At)));
        var row = Assert.Single((await Objectives.ForCircleAsync(circleId, ownerId, Ct)).Mine);
        Assert.Equal((45, FakeClock.DefaultStart.AddDays(7)), (row.LatestProgress, row.LatestCheckInAt));
    }

    [Fact]
    public async Task A_private_objective_is_hidden_from_leads_and_peers()
    {
        var id = await CreateAsync("Private plan", "private");

        foreach (var viewer in new[] { facilitatorId, mentorId, peerId })
        {
            var list = await Objectives.ForCircleAsync(circleId, viewer, Ct);
            Assert.Empty(list.Others);
            Assert.DoesNotContain("Private plan", JsonSerializer.Serialize(list));
            var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.GetAsync(circleId, id, viewer, Ct));
            Assert.DoesNotContain("Private plan", ex.Message);
        }
    }

    [Fact]
    public async Task A_facilitators_objective_is_visible_to_facilitators_and_mentors_but_not_to_peers()
    {
        var id = await CreateAsync("Shared with leads", "facilitators");

        foreach (var lead in new[] { facilitatorId, mentorId })
        {
            var list = await Objectives.ForCircleAsync(circleId, lead, Ct);
            Assert.Equal(("Shared with leads", "Ann Owner"), (Assert.Single(list.Others).Title, list.Others[0].OwnerName));
            Assert.False((await Objectives.GetAsync(circleId, id, lead, Ct)).IsOwner);
        }
        Assert.Empty((await Objectives.ForCircleAsync(circleId, peerId, Ct)).Others);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.GetAsync(circleId, id, peerId, Ct));
    }

    [Fact]
    public async Task A_circle_objective_is_visible_to_every_member_who_accepted_the_agreement_but_not_to_one_who_has_not()
    {
        var id = await CreateAsync("Shared with all", "circle");

        foreach (var viewer in new[] { facilitatorId, mentorId, peerId })
        {
            Assert.Equal("Shared with all", Assert.Single((await Objectives.ForCircleAsync(circleId, viewer, Ct)).Others).Title);
            Assert.Equal("Shared with all", (await Objectives.GetAsync(circleId, id, viewer, Ct)).Title);
        }
        await Assert.ThrowsAsync<AgreementNotAcceptedException>(() => Objectives.ForCircleAsync(circleId, unsignedId, Ct));
        await Assert.ThrowsAsync<AgreementNotAcceptedException>(() => Objectives.GetAsync(circleId, id, unsignedId, Ct));
    }

    [Fact]
    public async Task A_member_without_acceptance_can_neither_read_nor_create_nor_check_in()
    {
        await Assert.ThrowsAsync<AgreementNotAcceptedException>(() => Objectives.CreateAsync(circleId, unsignedId, Input(), Ct));
        await ExecuteAsync("INSERT INTO mentor.objective (circle_id, person_id, title) VALUES (@circleId, @unsignedId, 'Older objective')", new { circleId, unsignedId });
        var id = await ScalarAsync<long>("SELECT id FROM mentor.objective");
        await Assert.ThrowsAsync<AgreementNotAcceptedException>(() => Objectives.GetAsync(circleId, id, unsignedId, Ct));
        await Assert.ThrowsAsync<AgreementNotAcceptedException>(() => Objectives.CheckInAsync(circleId, id, unsignedId, new(10, ""), Ct));
        Assert.Equal(0, await CountAsync("objective_checkin"));
    }

    [Fact]
    public async Task Only_the_owner_can_edit_or_check_in()
    {
        var id = await CreateAsync("Shared with all", "circle", "Aims");

        foreach (var other in new[] { facilitatorId, mentorId, peerId })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.UpdateAsync(circleId, id, other, Input("Hijacked", "private"), Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.CheckInAsync(circleId, id, other, new(90, "not mine"), Ct));
        }
        var o = await Objectives.GetAsync(circleId, id, ownerId, Ct);
        Assert.Equal(("Shared with all", "circle", 1), (o.Title, o.Visibility, o.Milestones.Count));
        Assert.Equal(0, await CountAsync("objective_checkin"));
    }

    [Fact]
    public async Task A_member_of_another_circle_cannot_read_an_objective_by_id_and_learns_nothing_of_its_existence()
    {
        var id = await CreateAsync("Shared with all", "circle");

        // Through their own circle: the same refusal as for an id that does not exist.
        var viaOwn = await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.GetAsync(otherCircleId, id, outsiderId, Ct));
        var missing = await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.GetAsync(otherCircleId, id + 1000, outsiderId, Ct));
        Assert.Equal(missing.Message, viaOwn.Message);
        // Through the objective's circle: refused at the circle.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.GetAsync(circleId, id, outsiderId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.ForCircleAsync(circleId, outsiderId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.CheckInAsync(otherCircleId, id, outsiderId, new(5, ""), Ct));
        // Nor can the owner reach it through a circle it is not in.
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.GetAsync(otherCircleId, id, ownerId, Ct));
    }

    [Fact]
    public async Task A_coordinator_who_is_not_a_member_gets_no_objective_content()
    {
        var id = await CreateAsync("Shared with all", "circle");
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.ForCircleAsync(circleId, coordinatorId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.GetAsync(circleId, id, coordinatorId, Ct));
    }

    [Fact]
    public async Task A_member_who_left_keeps_their_objectives_but_loses_access_and_others_no_longer_see_them()
    {
        var id = await CreateAsync("Shared with all", "circle");
        await ExecuteAsync("UPDATE mentor.membership SET left_at = now() WHERE person_id = @ownerId", new { ownerId });

        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.GetAsync(circleId, id, ownerId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.CheckInAsync(circleId, id, ownerId, new(5, ""), Ct));
        Assert.Equal(1, await CountAsync("objective"));
        Assert.Empty((await Objectives.ForCircleAsync(circleId, peerId, Ct)).Others);
    }

    [Fact]
    public async Task The_circle_overview_is_for_leads_and_flags_members_by_name_only()
    {
        await CreateAsync("Ann's private plan", "private");
        await Objectives.CreateAsync(circleId, peerId, Input("Ben's shared plan", "facilitators"), Ct);
        Clock.Advance(TimeSpan.FromDays(15));

        Assert.Null((await Objectives.ForCircleAsync(circleId, peerId, Ct)).Overview);
        var lead = await Objectives.ForCircleAsync(circleId, mentorId, Ct);
        var overview = lead.Overview!;
        Assert.Equal(
            [("Ann Owner", 0, Attention.NoRecentCheckIn), ("Ben Mentee", 1, Attention.NoRecentCheckIn), ("Nia Unsigned", 0, Attention.NoObjective)],
            overview.Select(m => (m.DisplayName, m.Visible.Count, m.Attention)));
        Assert.DoesNotContain("Ann's private plan", JsonSerializer.Serialize(lead));

        var ben = await ScalarAsync<long>("SELECT id FROM mentor.objective WHERE person_id = @peerId", new { peerId });
        await Objectives.CheckInAsync(circleId, ben, peerId, new(30, ""), Ct);
        Assert.Equal(Attention.None, (await Objectives.ForCircleAsync(circleId, facilitatorId, Ct)).Overview!.Single(m => m.PersonId == peerId).Attention);
    }

    [Fact]
    public async Task Coordinators_get_counts_per_circle_and_no_titles_or_notes()
    {
        var a = await CreateAsync("Secret title one", "private");
        var b = await CreateAsync("Secret title two", "circle");
        await Objectives.UpdateAsync(circleId, b, ownerId, Input("Secret title two", "circle") with { Status = "achieved" }, Ct);
        await Objectives.CheckInAsync(circleId, a, ownerId, new(50, "Secret note"), Ct);
        await Objectives.CreateAsync(circleId, peerId, Input("Secret title three"), Ct);
        var old = await Objectives.CreateAsync(circleId, peerId, Input("Secret title four"), Ct);
        await Objectives.CheckInAsync(circleId, old, peerId, new(10, "Old secret note"), Ct);
        Clock.Advance(TimeSpan.FromDays(15));
        await Objectives.CheckInAsync(circleId, b, ownerId, new(100, "Done"), Ct);

        var counts = await Objectives.ProgramCountsAsync(programId, coordinatorId, Ct);

        Assert.Equal(
            [new CircleObjectiveCounts(circleId, "Launch Group", 5, 4, 1, 1), new CircleObjectiveCounts(otherCircleId, "Other Group", 1, 0, 0, 0)],
            counts);
        var json = JsonSerializer.Serialize(counts);
        Assert.DoesNotContain("Secret", json);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.ProgramCountsAsync(programId, facilitatorId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.ProgramCountsAsync(programId + 1000, coordinatorId, Ct));
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_message_each_and_saves_nothing()
    {
        var id = await CreateAsync("Keep me", "private", "Aims");
        var before = (await CountAsync("objective"), await CountAsync("objective_milestone"), await CountAsync("objective_checkin"), await CountAsync("audit_log"));

        async Task<FieldError> Refused(Func<Task> act) => Assert.Single((await Assert.ThrowsAsync<InvalidInputException>(act)).Errors);

        Assert.Equal("Title", (await Refused(() => CreateAsync(""))).Field);
        Assert.Equal("Title", (await Refused(() => Objectives.UpdateAsync(circleId, id, ownerId, Input("  "), Ct))).Field);
        Assert.Equal("Why", (await Refused(() => Objectives.CreateAsync(circleId, ownerId, Input() with { Why = new string('x', 100 * 1024) }, Ct))).Field);
        // 9 March in Chicago, the owner's zone, while the clock (20:00 UTC) says 10 March in Pacific/Chatham.
        var today = new DateOnly(2026, 3, 9);
        Assert.Equal("TargetDate", (await Refused(() => Objectives.CreateAsync(circleId, ownerId, Input() with { TargetDate = today.AddDays(-1) }, Ct))).Field);
        Assert.Equal("TargetDate", (await Refused(() => Objectives.UpdateAsync(circleId, id, ownerId, Input("Keep me") with { TargetDate = today.AddDays(-1) }, Ct))).Field);
        Assert.Equal("Progress", (await Refused(() => Objectives.CheckInAsync(circleId, id, ownerId, new(140, ""), Ct))).Field);
        Assert.Equal("Progress", (await Refused(() => Objectives.CheckInAsync(circleId, id, ownerId, new(-1, ""), Ct))).Field);
        Assert.Equal("Note", (await Refused(() => Objectives.CheckInAsync(circleId, id, ownerId, new(10, new string('n', 100 * 1024)), Ct))).Field);
        Assert.Equal("Visibility", (await Refused(() => Objectives.UpdateAsync(circleId, id, ownerId, Input("Keep me", "public"), Ct))).Field);
        var unknownCircle = await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.CreateAsync(circleId + 1000, ownerId, Input(), Ct));
        Assert.Contains("does not exist", unknownCircle.Message);
        var unknownObjective = await Assert.ThrowsAsync<AccessDeniedException>(() => Objectives.CheckInAsync(circleId, id + 1000, ownerId, new(10, ""), Ct));
        Assert.Contains("does not exist", unknownObjective.Message);

        Assert.Equal(before, (await CountAsync("objective"), await CountAsync("objective_milestone"), await CountAsync("objective_checkin"), await CountAsync("audit_log")));
        Assert.Equal("Keep me", (await Objectives.GetAsync(circleId, id, ownerId, Ct)).Title);
        // Today itself is fine, in the owner's zone.
        await Objectives.UpdateAsync(circleId, id, ownerId, Input("Keep me") with { TargetDate = today }, Ct);
    }

    [Fact]
    public async Task Html_and_script_are_refused_and_nothing_is_saved()
    {
        var before = await CountAsync("objective");
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => CreateAsync("<script>alert('x')</script>", "private", "<b>bold</b>"));
        Assert.Contains("cannot contain HTML or script", ex.Message);
        Assert.Equal(before, await CountAsync("objective"));
    }

    [Fact]
    public async Task Creating_and_changing_visibility_write_audit_rows_without_the_title()
    {
        var id = await CreateAsync("Audited title", "private");
        await Objectives.UpdateAsync(circleId, id, ownerId, Input("Audited title", "facilitators"), Ct);
        await Objectives.UpdateAsync(circleId, id, ownerId, Input("Renamed, same visibility", "facilitators"), Ct);
        await Objectives.UpdateAsync(circleId, id, ownerId, Input("Renamed, same visibility", "circle"), Ct);

        await using var conn = await Db.OpenConnectionAsync();
        var rows = (await conn.QueryAsync<(long ActorId, string Action, string Subject, string Details)>(new CommandDefinition(
            "SELECT actor_id, action, subject, details::text FROM mentor.audit_log ORDER BY id"))).AsList();
        Assert.Equal(
            [(ownerId, "objective.created", $"objective:{id}"), (ownerId, "objective.visibility_changed", $"objective:{id}"), (ownerId, "objective.visibility_changed", $"objective:{id}")],
            rows.Select(r => (r.ActorId, r.Action, r.Subject)));
        var details = rows.Select(r => JsonDocument.Parse(r.Details).RootElement).ToList();
        Assert.Equal("private", details[0].GetProperty("visibility").GetString());
        Assert.Equal(("private", "facilitators"), (details[1].GetProperty("from").GetString(), details[1].GetProperty("to").GetString()));
        Assert.Equal(("facilitators", "circle"), (details[2].GetProperty("from").GetString(), details[2].GetProperty("to").GetString()));
        Assert.All(rows, r => Assert.DoesNotContain("title", r.Details, StringComparison.OrdinalIgnoreCase));
        Assert.All(rows, r => Assert.DoesNotContain("Audited", r.Details));
    }
}
