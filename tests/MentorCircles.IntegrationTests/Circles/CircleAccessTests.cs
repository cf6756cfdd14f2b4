using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.IntegrationTests.Objectives;

namespace MentorCircles.IntegrationTests.Circles;

[Collection(PostgresCollection.Name)]
public sealed class CircleAccessTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long programId;
    private long coordinatorId;
    private long facilitatorId;
    private long peerId;
    private long mentorId;
    private long outsiderId;
    private long circleId;

    private CircleAccess Access => new(Db);
    private CircleService Circles => new(Db, Access);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        programId = await Given.ProgramAsync(Db);
        coordinatorId = await Given.CoordinatorAsync(Db, programId);
        facilitatorId = await Given.PersonAsync(Db, programId, "zara@example.org", displayName: "Zara Facilitator", timeZone: "Europe/Oslo");
        mentorId = await Given.PersonAsync(Db, programId, "yusuf@example.org", displayName: "Yusuf Mentor", timeZone: "Asia/Karachi");
        peerId = await Given.PersonAsync(Db, programId, "abe@example.org", displayName: "Abe Peer", timeZone: "America/Denver");
        outsiderId = await Given.PersonAsync(Db, programId, "olga@example.org", displayName: "Olga Outsider");
        circleId = await Given.CircleAsync(Db, programId, "Writing Circle", (peerId, "peer"), (facilitatorId, "facilitator"), (mentorId, "mentor"));
    }

    [Fact]
    public async Task A_member_has_access_with_their_role()
    {
        var access = await Access.RequireAsync(circleId, peerId, Ct);

        Assert.Equal(new CircleAccessInfo(circleId, programId, "peer", IsCoordinator: false), access);
        Assert.True(access.IsMember);
    }

    [Fact]
    public async Task A_coordinator_of_the_program_has_access_without_being_a_member()
    {
        var access = await Access.RequireAsync(circleId, coordinatorId, Ct);

        Assert.Equal(new CircleAccessInfo(circleId, programId, null, IsCoordinator: true), access);
        Assert.False(access.IsMember);
    }

    [Fact]
    public async Task Someone_in_the_program_but_not_in_the_circle_is_refused()
    {
        Assert.Null(await Access.GetAsync(circleId, outsiderId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Circles.OverviewAsync(circleId, outsiderId, Ct));
    }

    [Fact]
    public async Task A_member_who_left_is_refused()
    {
        await ExecuteAsync("UPDATE mentor.membership SET left_at = now() WHERE person_id = @peerId", new { peerId });

        await Assert.ThrowsAsync<AccessDeniedException>(() => Access.RequireAsync(circleId, peerId, Ct));
    }

    [Fact]
    public async Task An_archived_circle_is_refused_even_to_its_members_and_coordinators()
    {
        await ExecuteAsync("UPDATE mentor.circle SET archived_at = now() WHERE id = @circleId", new { circleId });

        await Assert.ThrowsAsync<AccessDeniedException>(() => Access.RequireAsync(circleId, peerId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Access.RequireAsync(circleId, coordinatorId, Ct));
    }

    [Fact]
    public async Task A_circle_that_does_not_exist_is_refused_with_the_same_message_as_one_that_is_not_yours()
    {
        var missing = await Assert.ThrowsAsync<AccessDeniedException>(() => Access.RequireAsync(circleId + 1000, peerId, Ct));
        var notYours = await Assert.ThrowsAsync<AccessDeniedException>(() => Access.RequireAsync(circleId, outsiderId, Ct));

        Assert.Equal(notYours.Message, missing.Message);
    }

    [Fact]
    public async Task The_overview_lists_current_members_facilitator_first_then_mentors_then_the_rest()
    {
        var late = await Given.PersonAsync(Db, programId, "aaron@example.org", displayName: "Aaron Left");
        await Given.CircleAsync(Db, programId, "Other Circle", (late, "peer"));
        await ExecuteAsync("""
            INSERT INTO mentor.membership (circle_id, person_id, role, joined_at, left_at)
            VALUES (@circleId, @late, 'peer', now() - interval '2 days', now() - interval '1 day')
            """, new { circleId, late });
        // Members are listed only to someone bound by the current agreement.
        await ExecuteAsync("""
            WITH v AS (INSERT INTO mentor.agreement_version (circle_id, version, body, reason) VALUES (@circleId, 1, 'Stays here.', 'created') RETURNING id)
            INSERT INTO mentor.agreement_acceptance (agreement_version_id, person_id, signed_name) SELECT id, @peerId, 'Abe Peer' FROM v
            """, new { circleId, peerId });

        var overview = await Circles.OverviewAsync(circleId, peerId, Ct);

        Assert.Equal("Writing Circle", overview.Name);
        Assert.Equal("peer", overview.Access.Role);
        Assert.Equal(
            [("Zara Facilitator", "facilitator", "Europe/Oslo"), ("Yusuf Mentor", "mentor", "Asia/Karachi"), ("Abe Peer", "peer", "America/Denver")],
            overview.Members.Select(m => (m.DisplayName, m.Role, m.TimeZone)));
    }

    [Fact]
    public async Task The_session_content_gate_in_SQL_lets_in_exactly_whom_RequireSessionContentAsync_lets_in()
    {
        // The live room checks access in the same statement as its append (RoomEventStore); this holds it to the one rule.
        var session = await Given.SessionAsync(Db, circleId);
        var everyone = new[] { peerId, facilitatorId, mentorId, coordinatorId, outsiderId };
        async Task Compare(string state, long sessionId, params long[] allowed)
        {
            foreach (var person in everyone)
            {
                var gate = await ScalarAsync<bool>($"SELECT {CircleAccess.SessionContentGateSql}", new { sessionId, personId = person, circleId = (long?)null });
                bool service;
                try { await Access.RequireSessionContentAsync(sessionId, person, Ct); service = true; }
                catch (AccessDeniedException) { service = false; }
                Assert.True(gate == service, $"{state}: person {person}: SQL gate {gate}, access service {service}");
                Assert.True(service == allowed.Contains(person), $"{state}: person {person}: let in {service}");
            }
        }

        await Compare("no agreement yet", session);
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circleId, peerId, facilitatorId, coordinatorId, outsiderId);
        await Compare("version 1, accepted by all but the mentor", session, peerId, facilitatorId);
        await Compare("a session that does not exist", session + 1000);
        await ExecuteAsync("""
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason) VALUES (@circleId, 2, 'New text.', 'edited')
            """, new { circleId });
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circleId, facilitatorId, mentorId);
        await Compare("version 2, accepted by the facilitator and the mentor", session, facilitatorId, mentorId);
        await ExecuteAsync("UPDATE mentor.membership SET left_at = now() WHERE person_id = @mentorId", new { mentorId });
        await Compare("the mentor left", session, facilitatorId);
        await ExecuteAsync("UPDATE mentor.circle SET archived_at = now() WHERE id = @circleId", new { circleId });
        await Compare("archived", session);
    }
}
