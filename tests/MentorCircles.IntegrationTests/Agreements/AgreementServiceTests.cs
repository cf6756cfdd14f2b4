using MentorCircles.Core.Agreements;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using Npgsql;

namespace MentorCircles.IntegrationTests.Agreements;

[Collection(PostgresCollection.Name)]
public sealed class AgreementServiceTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long programId;
    private long coordinatorId;
    private long facilitatorId;
    private long mentorId;
    private long peerId;
    private long outsiderId;
    private long circleId;

    private CircleAccess Access => new(Db);
    private AgreementService Agreements => new(Db, Access, new AgreementStore(Db));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        programId = await Given.ProgramAsync(Db);
        coordinatorId = await Given.CoordinatorAsync(Db, programId);
        facilitatorId = await Given.PersonAsync(Db, programId, "zara@example.org", displayName: "Zara Facilitator");
        mentorId = await Given.PersonAsync(Db, programId, "yusuf@example.org", displayName: "Yusuf Mentor");
        peerId = await Given.PersonAsync(Db, programId, "abe@example.org", displayName: "Abe Peer");
        outsiderId = await Given.PersonAsync(Db, programId, "olga@example.org", displayName: "Olga Outsider");
        circleId = await Given.CircleAsync(Db, programId, "Writing Circle", (facilitatorId, "facilitator"), (mentorId, "mentor"), (peerId, "peer"));
        await Given.CircleAsync(Db, programId, "Olga's Circle", (outsiderId, "peer"));
    }

    [Fact]
    public async Task A_coordinator_starts_the_agreement_from_a_template_as_version_1()
    {
        var template = await Agreements.TemplateAsync(circleId, coordinatorId, "group", Ct);
        var saved = await Agreements.SaveAsync(circleId, coordinatorId, template, Ct);

        Assert.Equal(new AgreementSaved(true, 1), saved);
        var view = await Agreements.GetAsync(circleId, peerId, Ct);
        Assert.Equal(AgreementTemplates.Text("group"), view.Current!.Body);
        Assert.Equal((1, "created", coordinatorId), (view.Current.Version, view.Current.Reason, view.Current.CreatedBy));
        Assert.Contains("<h3", view.CurrentHtml);
        Assert.True(view.MustAccept);
        Assert.False((await Access.GetAsync(circleId, peerId, Ct))!.MaySeeContent);
    }

    [Fact]
    public async Task The_facilitator_edits_and_everyone_must_accept_the_new_version_including_the_facilitator()
    {
        await Agreements.SaveAsync(circleId, coordinatorId, "What is said here stays here.", Ct);
        foreach (var (id, name) in new[] { (facilitatorId, "Zara Facilitator"), (mentorId, "Yusuf Mentor"), (peerId, "Abe Peer") })
            await AcceptCurrentAsync(id, name);
        Assert.True((await Access.GetAsync(circleId, peerId, Ct))!.MaySeeContent);

        var saved = await Agreements.SaveAsync(circleId, facilitatorId, "What is said here stays here, also after you leave.", Ct);

        Assert.Equal(new AgreementSaved(true, 2), saved);
        foreach (var id in new[] { facilitatorId, mentorId, peerId })
        {
            var access = await Access.GetAsync(circleId, id, Ct);
            Assert.Equal(2, access!.AgreementVersion);
            Assert.False(access.AcceptedCurrentAgreement);
            Assert.False(access.MaySeeContent);
        }
        Assert.Equal("edited", (await Agreements.GetAsync(circleId, peerId, Ct)).Current!.Reason);
    }

    [Fact]
    public async Task Saving_identical_text_makes_no_version_and_says_so()
    {
        await Agreements.SaveAsync(circleId, coordinatorId, "# Ours\n\nStay kind.", Ct);
        await AcceptCurrentAsync(peerId, "Abe Peer");

        var saved = await Agreements.SaveAsync(circleId, facilitatorId, "# Ours\r\n\r\nStay kind.\r\n", Ct);

        Assert.False(saved.Created);
        Assert.Contains("no new version", saved.Message);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_version"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.audit_log WHERE action = 'agreement.version_created'"));
        Assert.True((await Access.GetAsync(circleId, peerId, Ct))!.MaySeeContent);
    }

    [Fact]
    public async Task A_mentor_or_a_peer_cannot_edit_the_agreement_and_an_outsider_cannot_even_read_it()
    {
        await Agreements.SaveAsync(circleId, facilitatorId, "Version one.", Ct);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Agreements.SaveAsync(circleId, mentorId, "Mentor's text.", Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Agreements.SaveAsync(circleId, peerId, "Peer's text.", Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Agreements.TemplateAsync(circleId, peerId, "peer", Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Agreements.SaveAsync(circleId, outsiderId, "Outsider's text.", Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Agreements.GetAsync(circleId, outsiderId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Agreements.GetAsync(circleId + 1000, peerId, Ct));

        Assert.Equal("Version one.", await ScalarAsync<string>("SELECT string_agg(body, '|') FROM mentor.agreement_version"));
        var peerView = await Agreements.GetAsync(circleId, peerId, Ct);
        Assert.Empty(peerView.Status);
        Assert.Empty(peerView.Versions);
    }

    [Fact]
    public async Task A_coordinator_who_is_not_a_member_edits_and_sees_the_status_but_does_not_accept()
    {
        await Agreements.SaveAsync(circleId, coordinatorId, "Version one.", Ct);
        var view = await Agreements.GetAsync(circleId, coordinatorId, Ct);

        Assert.False(view.MustAccept);
        Assert.Equal(3, view.Status.Count);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Agreements.AcceptAsync(circleId, coordinatorId, view.Current!.Id, "Cora Ordinator", Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Be kind. <script>alert('x')</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[policy](javascript:alert(1))")]
    public async Task Bad_text_is_refused_with_a_message_and_nothing_is_saved(string body)
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => Agreements.SaveAsync(circleId, facilitatorId, body, Ct));

        Assert.Equal("Body", Assert.Single(ex.Errors).Field);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_version"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.audit_log"));
    }

    [Fact]
    public async Task A_text_over_the_limit_is_refused_with_its_length()
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => Agreements.SaveAsync(circleId, facilitatorId, new string('x', 100_000), Ct));

        Assert.Contains("100,000 characters", ex.Message);
        Assert.Contains("20,000", ex.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_version"));
    }

    [Fact]
    public async Task Accepting_with_a_name_that_is_not_yours_is_refused_and_nothing_is_saved()
    {
        await Agreements.SaveAsync(circleId, facilitatorId, "Version one.", Ct);
        var current = (await Agreements.GetAsync(circleId, peerId, Ct)).Current!;

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => Agreements.AcceptAsync(circleId, peerId, current.Id, "Zara Facilitator", Ct));

        Assert.Contains("Abe Peer", ex.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_acceptance"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.audit_log WHERE action = 'agreement.accepted'"));
        Assert.False((await Access.GetAsync(circleId, peerId, Ct))!.AcceptedCurrentAgreement);
    }

    [Fact]
    public async Task Accepting_with_your_name_records_the_signature_and_opens_the_circle()
    {
        await Agreements.SaveAsync(circleId, facilitatorId, "Version one.", Ct);
        var current = (await Agreements.GetAsync(circleId, peerId, Ct)).Current!;

        var accepted = await Agreements.AcceptAsync(circleId, peerId, current.Id, "  abe   PEER ", Ct);

        Assert.Equal((current.Id, 1, "abe PEER"), (accepted.VersionId, accepted.Version, accepted.SignedName));
        Assert.True((await Access.GetAsync(circleId, peerId, Ct))!.MaySeeContent);
        var history = (await Agreements.GetAsync(circleId, peerId, Ct)).MyAcceptances;
        Assert.Equal(accepted, Assert.Single(history));
        await Assert.ThrowsAsync<InvalidInputException>(() => Agreements.AcceptAsync(circleId, peerId, current.Id, "Abe Peer", Ct));
    }

    [Fact]
    public async Task Accepting_a_version_that_was_replaced_meanwhile_is_refused()
    {
        await Agreements.SaveAsync(circleId, facilitatorId, "Version one.", Ct);
        var read = (await Agreements.GetAsync(circleId, peerId, Ct)).Current!;
        await Agreements.SaveAsync(circleId, facilitatorId, "Version two.", Ct);

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => Agreements.AcceptAsync(circleId, peerId, read.Id, "Abe Peer", Ct));

        Assert.Contains("version 2", ex.Message);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_acceptance"));
    }

    [Fact]
    public async Task Acceptances_and_versions_cannot_be_updated_or_deleted()
    {
        await Agreements.SaveAsync(circleId, facilitatorId, "Version one.", Ct);
        await AcceptCurrentAsync(peerId, "Abe Peer");

        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE mentor.agreement_acceptance SET signed_name = 'Someone Else'"));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE mentor.agreement_acceptance SET accepted_at = accepted_at - interval '1 year'"));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("DELETE FROM mentor.agreement_acceptance"));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE mentor.agreement_version SET body = 'Quietly changed.'"));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("DELETE FROM mentor.agreement_version"));

        Assert.Equal("Abe Peer", await ScalarAsync<string>("SELECT signed_name FROM mentor.agreement_acceptance"));
        Assert.Equal("Version one.", await ScalarAsync<string>("SELECT body FROM mentor.agreement_version"));
    }

    [Fact]
    public async Task A_new_member_makes_a_member_joined_version_when_the_circle_asks_for_re_acceptance()
    {
        await ExecuteAsync("UPDATE mentor.circle SET reaccept_on_join = true WHERE id = @circleId", new { circleId });
        await Agreements.SaveAsync(circleId, facilitatorId, "Version one.", Ct);
        await AcceptCurrentAsync(peerId, "Abe Peer");

        await AddMemberAsync("Nia Newcomer");

        var current = (await Agreements.GetAsync(circleId, peerId, Ct)).Current!;
        Assert.Equal((2, "member_joined", "Version one.", coordinatorId), (current.Version, current.Reason, current.Body, current.CreatedBy));
        Assert.False((await Access.GetAsync(circleId, peerId, Ct))!.AcceptedCurrentAgreement);
        Assert.Equal("Nia Newcomer", await ScalarAsync<string>("""
            SELECT details -> 'details' ->> 'newMember' FROM mentor.audit_log
            WHERE action = 'agreement.version_created' AND details ->> 'reason' = 'member_joined'
            """));
    }

    [Fact]
    public async Task A_new_member_changes_nothing_when_the_circle_does_not_ask_for_re_acceptance_or_has_no_agreement()
    {
        await ExecuteAsync("UPDATE mentor.circle SET reaccept_on_join = true WHERE id = @circleId", new { circleId });
        await AddMemberAsync("Nia Newcomer");
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_version"));

        await ExecuteAsync("UPDATE mentor.circle SET reaccept_on_join = false WHERE id = @circleId", new { circleId });
        await Agreements.SaveAsync(circleId, facilitatorId, "Version one.", Ct);
        await AcceptCurrentAsync(peerId, "Abe Peer");
        await AddMemberAsync("Omar Other");

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_version"));
        Assert.True((await Access.GetAsync(circleId, peerId, Ct))!.AcceptedCurrentAgreement);
    }

    [Fact]
    public async Task The_status_table_shows_who_accepted_which_version_and_who_has_not()
    {
        await Agreements.SaveAsync(circleId, facilitatorId, "Version one.", Ct);
        await AcceptCurrentAsync(mentorId, "Yusuf Mentor");
        await AcceptCurrentAsync(peerId, "Abe Peer");
        await Agreements.SaveAsync(circleId, facilitatorId, "Version two.", Ct);
        await AcceptCurrentAsync(peerId, "Abe Peer");

        var status = (await Agreements.GetAsync(circleId, facilitatorId, Ct)).Status;

        Assert.Equal(
            [("Zara Facilitator", "facilitator", null), ("Yusuf Mentor", "mentor", 1), ("Abe Peer", "peer", (int?)2)],
            status.Select(s => (s.DisplayName, s.Role, s.AcceptedVersion)));
        Assert.Null(status[0].AcceptedAt);
        Assert.NotNull(status[2].AcceptedAt);
    }

    [Fact]
    public async Task Versions_and_acceptances_are_written_to_the_audit_log()
    {
        await Agreements.SaveAsync(circleId, coordinatorId, "Version one.", Ct);
        await AcceptCurrentAsync(peerId, "Abe Peer");

        var rows = (await QueryAuditAsync()).ToList();

        Assert.Equal([("agreement.version_created", coordinatorId, $"circle:{circleId}", "1"), ("agreement.accepted", peerId, $"circle:{circleId}", "1")], rows);
    }

    private async Task AcceptCurrentAsync(long personId, string name)
    {
        var current = (await Agreements.GetAsync(circleId, personId, Ct)).Current!;
        await Agreements.AcceptAsync(circleId, personId, current.Id, name, Ct);
    }

    /// <summary>What the membership feature does: add the member and call the hook in the same transaction.</summary>
    private async Task AddMemberAsync(string name)
    {
        var personId = await Given.PersonAsync(Db, programId, $"{name.Replace(' ', '.').ToLowerInvariant()}@example.org", displayName: name);
        await using var conn = await Db.OpenConnectionAsync(Ct);
        await using var tx = await conn.BeginTransactionAsync(Ct);
        await using (var cmd = new NpgsqlCommand("INSERT INTO mentor.membership (circle_id, person_id, role) VALUES ($1, $2, 'peer')", conn, tx))
        {
            cmd.Parameters.AddWithValue(circleId);
            cmd.Parameters.AddWithValue(personId);
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        await AgreementStore.AskEveryoneToReacceptAsync(conn, tx, circleId, coordinatorId, name, Ct);
        await tx.CommitAsync(Ct);
    }

    private async Task<IEnumerable<(string, long, string, string)>> QueryAuditAsync()
    {
        await using var conn = await Db.OpenConnectionAsync(Ct);
        return await Dapper.SqlMapper.QueryAsync<(string, long, string, string)>(conn, new Dapper.CommandDefinition(
            "SELECT action, actor_id, subject, details ->> 'version' FROM mentor.audit_log ORDER BY id"));
    }
}
