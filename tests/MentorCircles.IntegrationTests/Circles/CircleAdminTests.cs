using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;

namespace MentorCircles.IntegrationTests.Circles;

[Collection(PostgresCollection.Name)]
public sealed class CircleAdminTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long programId;
    private long coordinatorId;
    private long otherCoordinatorId;
    private long mentorId;
    private long menteeId;
    private long thirdId;
    private long participantId;
    private long outsiderId;

    private CircleAccess Access => new(Db);
    private CircleAdminService Admin => new(Db, Access);
    private CircleService Circles => new(Db, Access);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        programId = await Given.ProgramAsync(Db);
        coordinatorId = await Given.CoordinatorAsync(Db, programId);
        mentorId = await Given.PersonAsync(Db, programId, "lucas@example.org", displayName: "Lucas Mentor");
        menteeId = await Given.PersonAsync(Db, programId, "sam@example.org", displayName: "Sam Mentee");
        thirdId = await Given.PersonAsync(Db, programId, "kwame@example.org", displayName: "Kwame Third");
        participantId = await Given.PersonAsync(Db, programId, "pat@example.org", displayName: "Pat Participant");
        var otherProgram = await Given.ProgramAsync(Db, "Another Program");
        otherCoordinatorId = await Given.CoordinatorAsync(Db, otherProgram, "other.coordinator@example.org");
        outsiderId = await Given.PersonAsync(Db, otherProgram, "olga@example.org", displayName: "Olga Outsider");
    }

    private static CircleSettings Settings(string format = "group", int max = 10) => new()
    {
        Name = "Grant Writing Group",
        Purpose = "First grants, together.",
        Format = format,
        Modality = "distance",
        MeetingPlace = "https://meet.example.org/grants",
        MeetingFallback = "Dial-in +44 20 7946 0000",
        TimeZone = "Europe/Berlin",
        Cadence = "monthly",
        SessionMinutes = 90,
        MinSize = 2,
        MaxSize = max,
        ReacceptOnJoin = format != "one_to_one",
    };

    private Task<long> CreateAsync(string format = "group", int max = 10) => Admin.CreateAsync(programId, coordinatorId, Settings(format, max), Ct);

    private Task<long> CountAsync(string table) => ScalarAsync<long>($"SELECT count(*) FROM mentor.{table}");

    private Task<long> AuditCountAsync(string action) =>
        ScalarAsync<long>("SELECT count(*) FROM mentor.audit_log WHERE action = @action", new { action });

    [Fact]
    public async Task Should_create_a_circle_with_its_settings_and_an_audit_row()
    {
        var id = await Admin.CreateAsync(programId, coordinatorId, Settings() with { Name = "  Grant Writing Group  " }, Ct);

        var view = await Admin.ManageAsync(id, coordinatorId, Ct);
        Assert.Equal(Settings(), view.Settings);
        Assert.Equal(programId, view.ProgramId);
        Assert.Empty(view.Members);
        Assert.Equal(
            new[] { "Kwame Third", "Lucas Mentor", "Pat Participant", "Sam Mentee", "Cora Ordinator" }.Order(),
            view.Candidates.Select(c => c.DisplayName).Order());
        Assert.Equal(1, await ScalarAsync<long>(
            "SELECT count(*) FROM mentor.audit_log WHERE action = 'circle.created' AND subject = @s AND actor_id = @coordinatorId",
            new { s = $"circle:{id}", coordinatorId }));
    }

    public static TheoryData<string, string> BadSettings() => new()
    {
        { "empty name", "Name" },
        { "100 KB purpose", "Purpose" },
        { "unknown time zone", "TimeZone" },
        { "min above max", "MaxSize" },
        { "max 51", "MaxSize" },
        { "length 5", "SessionMinutes" },
        { "length 1000", "SessionMinutes" },
        { "unknown format", "Format" },
        { "distance without fallback", "MeetingFallback" },
    };

    private static CircleSettings Bad(string what) => what switch
    {
        "empty name" => Settings() with { Name = " " },
        "100 KB purpose" => Settings() with { Purpose = new string('x', 100 * 1024) },
        "unknown time zone" => Settings() with { TimeZone = "Europe/Atlantis" },
        "min above max" => Settings() with { MinSize = 9, MaxSize = 4 },
        "max 51" => Settings() with { MaxSize = 51 },
        "length 5" => Settings() with { SessionMinutes = 5 },
        "length 1000" => Settings() with { SessionMinutes = 1000 },
        "unknown format" => Settings() with { Format = "triad" },
        "distance without fallback" => Settings() with { MeetingFallback = "" },
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Should_refuse_to_create_a_circle_from_bad_input_and_save_nothing(string what, string field)
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.CreateAsync(programId, coordinatorId, Bad(what), Ct));

        Assert.Contains(ex.Errors, e => e.Field == field && e.Message.Length > 10);
        Assert.Equal(0, await CountAsync("circle"));
        Assert.Equal(0, await CountAsync("audit_log"));
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Should_refuse_to_edit_a_circle_with_bad_input_and_change_nothing(string what, string field)
    {
        var id = await CreateAsync();
        var before = (await Admin.ManageAsync(id, coordinatorId, Ct)).Settings;

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.UpdateAsync(id, coordinatorId, Bad(what), Ct));

        Assert.Contains(ex.Errors, e => e.Field == field);
        Assert.Equal(before, (await Admin.ManageAsync(id, coordinatorId, Ct)).Settings);
        Assert.Equal(0, await AuditCountAsync("circle.updated"));
    }

    [Fact]
    public async Task Should_edit_a_circle_and_audit_which_fields_changed()
    {
        var id = await CreateAsync();
        var changed = Settings() with { Name = "Grant Writers", Cadence = "weekly", MaxSize = 12 };

        await Admin.UpdateAsync(id, coordinatorId, changed, Ct);

        Assert.Equal(changed, (await Admin.ManageAsync(id, coordinatorId, Ct)).Settings);
        Assert.Equal("""["name", "cadence", "max_size"]""", await ScalarAsync<string>(
            "SELECT details->>'changed' FROM mentor.audit_log WHERE action = 'circle.updated' AND subject = @s", new { s = $"circle:{id}" }));
    }

    [Fact]
    public async Task Should_refuse_settings_the_current_members_do_not_fit()
    {
        var id = await CreateAsync();
        await Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "mentor"), Ct);
        await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct);
        await Admin.AddMemberAsync(id, coordinatorId, new(thirdId, "mentee"), Ct);

        var smaller = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.UpdateAsync(id, coordinatorId, Settings() with { MaxSize = 2 }, Ct));
        var peer = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.UpdateAsync(id, coordinatorId, Settings("peer"), Ct));

        Assert.Contains("at most 2 members", Assert.Single(smaller.Errors).Message);
        Assert.Contains(peer.Errors, e => e.Field == "Format" && e.Message.Contains("has no mentors", StringComparison.Ordinal));
        Assert.Equal(Settings(), (await Admin.ManageAsync(id, coordinatorId, Ct)).Settings);
    }

    [Fact]
    public async Task Should_add_members_and_return_warnings_that_do_not_stop_the_change()
    {
        var id = await CreateAsync();

        var first = await Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "mentor"), Ct);

        Assert.Equal("Lucas Mentor joined the circle as mentor.", first.Message);
        Assert.Contains(first.Warnings, w => !w.IsError && w.Message.Contains("at least 5 mentees", StringComparison.Ordinal));
        var view = await Admin.ManageAsync(id, coordinatorId, Ct);
        Assert.Equal([("Lucas Mentor", "mentor")], view.Members.Select(m => (m.DisplayName, m.Role)));
        Assert.DoesNotContain(view.Candidates, c => c.Id == mentorId);
        Assert.Equal("mentor", (await Access.GetAsync(id, mentorId, Ct))!.Role);
        Assert.Equal(1, await ScalarAsync<long>(
            "SELECT count(*) FROM mentor.audit_log WHERE action = 'membership.added' AND (details->>'personId')::bigint = @mentorId", new { mentorId }));
    }

    [Fact]
    public async Task Should_refuse_a_member_above_the_maximum_size_and_save_nothing()
    {
        var id = await CreateAsync("peer", max: 2);
        await Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "peer"), Ct);
        await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "peer"), Ct);
        var memberships = await CountAsync("membership");
        var audits = await CountAsync("audit_log");

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.AddMemberAsync(id, coordinatorId, new(thirdId, "peer"), Ct));

        Assert.Equal("This circle is full: it can have at most 2 members, and this change would make 3.", Assert.Single(ex.Errors).Message);
        Assert.Equal(memberships, await CountAsync("membership"));
        Assert.Equal(audits, await CountAsync("audit_log"));
        Assert.Null(await Access.GetAsync(id, thirdId, Ct));
    }

    [Fact]
    public async Task Should_refuse_a_member_the_format_has_no_room_for_and_save_nothing()
    {
        var id = await CreateAsync("one_to_one", max: 2);
        var incomplete = await Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "mentor"), Ct);
        Assert.Contains(incomplete.Warnings, w => w.Message == "This one-to-one is not complete yet: it has no mentee.");

        var second = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentor"), Ct));
        Assert.Contains("exactly one mentor", Assert.Single(second.Errors).Message);

        var complete = await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct);
        Assert.Empty(complete.Warnings);

        var third = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.AddMemberAsync(id, coordinatorId, new(thirdId, "mentee"), Ct));
        Assert.Contains(third.Errors, e => e.Message.Contains("no room for a third", StringComparison.Ordinal));
        Assert.Equal(2, await CountAsync("membership"));
        Assert.Equal(2, await AuditCountAsync("membership.added"));
    }

    [Fact]
    public async Task Should_refuse_someone_already_in_the_circle_or_outside_the_program()
    {
        var id = await CreateAsync();
        await Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "mentor"), Ct);

        var again = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "mentee"), Ct));
        var outsider = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.AddMemberAsync(id, coordinatorId, new(outsiderId, "mentee"), Ct));
        var badRole = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "boss"), Ct));

        Assert.Equal("Lucas Mentor is already a member of this circle (as mentor).", Assert.Single(again.Errors).Message);
        Assert.Equal("Person", Assert.Single(outsider.Errors).Field);
        Assert.Equal("Role", Assert.Single(badRole.Errors).Field);
        Assert.Equal(1, await CountAsync("membership"));
    }

    [Fact]
    public async Task A_person_can_belong_to_several_circles()
    {
        var a = await CreateAsync();
        var b = await Admin.CreateAsync(programId, coordinatorId, Settings("peer") with { Name = "Peer Circle" }, Ct);

        await Admin.AddMemberAsync(a, coordinatorId, new(menteeId, "mentee"), Ct);
        await Admin.AddMemberAsync(b, coordinatorId, new(menteeId, "peer"), Ct);

        Assert.Equal(["Grant Writing Group", "Peer Circle"], (await new CircleStore(Db).ListForPersonAsync(menteeId, Ct)).Select(c => c.Name));
    }

    [Fact]
    public async Task Removing_a_member_keeps_their_history_and_ends_their_access()
    {
        var id = await CreateAsync();
        await Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "mentor"), Ct);
        await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct);
        var objectiveId = await ScalarAsync<long>("""
            INSERT INTO mentor.objective (circle_id, person_id, title) VALUES (@id, @menteeId, 'Submit the R01') RETURNING id
            """, new { id, menteeId });
        await ExecuteAsync("INSERT INTO mentor.objective_checkin (objective_id, person_id, progress) VALUES (@objectiveId, @menteeId, 40)", new { objectiveId, menteeId });

        var change = await Admin.RemoveMemberAsync(id, coordinatorId, menteeId, Ct);

        Assert.Equal("Sam Mentee is no longer a member of this circle.", change.Message);
        Assert.Null(await Access.GetAsync(id, menteeId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Circles.OverviewAsync(id, menteeId, Ct));
        Assert.Equal(menteeId, await ScalarAsync<long>("SELECT person_id FROM mentor.objective WHERE id = @objectiveId", new { objectiveId }));
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM mentor.objective_checkin WHERE objective_id = @objectiveId", new { objectiveId }));
        Assert.Equal(1, await ScalarAsync<long>(
            "SELECT count(*) FROM mentor.membership WHERE person_id = @menteeId AND left_at IS NOT NULL", new { menteeId }));
        var view = await Admin.ManageAsync(id, coordinatorId, Ct);
        Assert.Equal(["Lucas Mentor"], view.Members.Select(m => m.DisplayName));
        Assert.Equal("Sam Mentee", Assert.Single(view.Former).DisplayName);
        Assert.Equal(1, await AuditCountAsync("membership.removed"));

        var notThere = await Assert.ThrowsAsync<InvalidInputException>(() => Admin.RemoveMemberAsync(id, coordinatorId, menteeId, Ct));
        Assert.Equal("That person is not a member of this circle.", Assert.Single(notThere.Errors).Message);
    }

    [Fact]
    public async Task A_member_leaves_keeping_their_history_and_can_rejoin_later()
    {
        var id = await CreateAsync();
        await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct);
        await ExecuteAsync("INSERT INTO mentor.objective (circle_id, person_id, title) VALUES (@id, @menteeId, 'Teach a seminar')", new { id, menteeId });

        await Circles.LeaveAsync(id, menteeId, Ct);

        Assert.Null(await Access.GetAsync(id, menteeId, Ct));
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM mentor.objective WHERE person_id = @menteeId", new { menteeId }));
        Assert.Equal(1, await ScalarAsync<long>(
            "SELECT count(*) FROM mentor.audit_log WHERE action = 'membership.left' AND actor_id = @menteeId AND subject = @s",
            new { menteeId, s = $"circle:{id}" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Circles.LeaveAsync(id, menteeId, Ct));

        await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct);

        Assert.Equal("mentee", (await Access.GetAsync(id, menteeId, Ct))!.Role);
        Assert.Equal(2, await ScalarAsync<long>("SELECT count(*) FROM mentor.membership WHERE person_id = @menteeId", new { menteeId }));
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM mentor.membership WHERE person_id = @menteeId AND left_at IS NULL", new { menteeId }));
    }

    [Fact]
    public async Task Only_members_can_leave()
    {
        var id = await CreateAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Circles.LeaveAsync(id, coordinatorId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Circles.LeaveAsync(id, participantId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Circles.LeaveAsync(id + 1000, menteeId, Ct));
        Assert.Equal(0, await AuditCountAsync("membership.left"));
    }

    [Fact]
    public async Task Every_management_call_is_refused_to_anyone_but_a_coordinator_of_the_program()
    {
        var id = await CreateAsync();
        await Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "mentor"), Ct);
        var audits = await CountAsync("audit_log");

        foreach (var who in new[] { mentorId, participantId, otherCoordinatorId, outsiderId })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.NewCircleAsync(programId, who, Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.CreateAsync(programId, who, Settings(), Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.ManageAsync(id, who, Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.UpdateAsync(id, who, Settings() with { Name = "Taken over" }, Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.AddMemberAsync(id, who, new(menteeId, "mentee"), Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.RemoveMemberAsync(id, who, mentorId, Ct));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.ArchiveAsync(id, who, Ct));
        }

        Assert.Equal(1, await CountAsync("circle"));
        Assert.Equal(1, await CountAsync("membership"));
        Assert.Equal(audits, await CountAsync("audit_log"));
        Assert.Equal("Grant Writing Group", (await Admin.ManageAsync(id, coordinatorId, Ct)).Settings.Name);
    }

    [Fact]
    public async Task An_unknown_circle_id_is_refused_like_one_that_is_not_yours()
    {
        var missing = await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.ManageAsync(987654, coordinatorId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.UpdateAsync(987654, coordinatorId, Settings(), Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.AddMemberAsync(987654, coordinatorId, new(menteeId, "mentee"), Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.RemoveMemberAsync(987654, coordinatorId, menteeId, Ct));
        var created = await CreateAsync();
        var notYours = await Assert.ThrowsAsync<AccessDeniedException>(() => Admin.ManageAsync(created, otherCoordinatorId, Ct));

        Assert.Equal(notYours.Message, missing.Message);
        Assert.Equal(0, await CountAsync("membership"));
    }

    [Fact]
    public async Task Archiving_hides_the_circle_and_deletes_nothing()
    {
        var id = await CreateAsync();
        await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct);

        await Admin.ArchiveAsync(id, coordinatorId, Ct);

        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM mentor.circle WHERE id = @id AND archived_at IS NOT NULL", new { id }));
        Assert.Equal(1, await CountAsync("membership"));
        Assert.Null(await Access.GetAsync(id, menteeId, Ct));
        Assert.Empty(await new CircleStore(Db).ListForProgramAsync(programId, Ct));
        Assert.Equal(1, await AuditCountAsync("circle.archived"));
    }

    [Fact]
    public async Task Adding_a_member_asks_everyone_to_accept_the_agreement_again_when_the_circle_says_so()
    {
        var id = await CreateAsync();
        await ExecuteAsync("""
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason, created_by)
            VALUES (@id, 1, 'What is said here stays here.', 'created', @coordinatorId)
            """, new { id, coordinatorId });

        await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct);

        Assert.Equal(2, await ScalarAsync<int>("SELECT max(version) FROM mentor.agreement_version WHERE circle_id = @id", new { id }));
        Assert.Equal("member_joined", await ScalarAsync<string>("SELECT reason FROM mentor.agreement_version WHERE circle_id = @id AND version = 2", new { id }));
        Assert.Equal("What is said here stays here.", await ScalarAsync<string>("SELECT body FROM mentor.agreement_version WHERE circle_id = @id AND version = 2", new { id }));
    }

    [Fact]
    public async Task Adding_a_member_keeps_the_agreement_version_when_the_circle_does_not_ask_for_re_acceptance()
    {
        var id = await CreateAsync("one_to_one", max: 2);
        await ExecuteAsync("""
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason) VALUES (@id, 1, 'Between the two of us.', 'created')
            """, new { id });

        await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct);

        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_version WHERE circle_id = @id", new { id }));
    }

    [Fact]
    public async Task A_refused_member_does_not_create_an_agreement_version()
    {
        var id = await CreateAsync("peer", max: 2);
        await ExecuteAsync("INSERT INTO mentor.agreement_version (circle_id, version, body, reason) VALUES (@id, 1, 'Peers only.', 'created')", new { id });

        await Assert.ThrowsAsync<InvalidInputException>(() => Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee"), Ct));

        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_version WHERE circle_id = @id", new { id }));
    }

    [Fact]
    public async Task Near_peer_stages_are_saved_and_a_wide_gap_is_a_warning()
    {
        var id = await Admin.CreateAsync(programId, coordinatorId, Settings("near_peer", max: 4) with { Name = "Near Peers" }, Ct);
        await Admin.AddMemberAsync(id, coordinatorId, new(mentorId, "mentor", " Year 4 "), Ct);

        var change = await Admin.AddMemberAsync(id, coordinatorId, new(menteeId, "mentee", "Year 1"), Ct);

        Assert.Contains(change.Warnings, w => w.Message.StartsWith("Sam Mentee (stage 1) is 3 stages", StringComparison.Ordinal));
        Assert.Equal(["Year 4", "Year 1"], (await Admin.ManageAsync(id, coordinatorId, Ct)).Members.Select(m => m.Stage));
    }
}
