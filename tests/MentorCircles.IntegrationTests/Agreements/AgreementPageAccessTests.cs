using System.Net;
using Dapper;
using MentorCircles.IntegrationTests.Web;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MentorCircles.IntegrationTests.Agreements;

/// <summary>The agreement page and the gate over HTTP: what the prerendered page sends to each kind of visitor.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AgreementPageAccessTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string AgreementMarker = "Harbour rule: what is said on the pier stays on the pier";
    private const string CircleName = "Harbour Writing Circle";
    private const string MeetingPlace = "Boathouse room 7";
    private AppFactory app = null!;
    private long circleId;

    public async Task InitializeAsync()
    {
        var cs = await postgres.CreateDatabaseAsync("agreement_pages");
        app = new AppFactory(cs);
        app.NewClient().Dispose();   // starts the app: migrations run against the empty database
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var program = await Given.ProgramAsync(db);
        var coordinator = await Given.CoordinatorAsync(db, program);
        var facilitator = await Given.PersonAsync(db, program, "fay@example.org", displayName: "Fay Facilitator");
        var accepted = await Given.PersonAsync(db, program, "ada@example.org", displayName: "Ada Accepted");
        var newcomer = await Given.PersonAsync(db, program, "nia@example.org", displayName: "Nia Newcomer");
        var outsider = await Given.PersonAsync(db, program, "olga@example.org", displayName: "Olga Outsider");
        circleId = await Given.CircleAsync(db, program, CircleName, (facilitator, "facilitator"), (accepted, "peer"), (newcomer, "peer"));
        await Given.CircleAsync(db, program, "Olga's Own Circle", (outsider, "peer"));

        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(new CommandDefinition("UPDATE mentor.circle SET meeting_place = @MeetingPlace WHERE id = @circleId", new { MeetingPlace, circleId }));
        var versionId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason, created_by)
            VALUES (@circleId, 1, @body, 'created', @coordinator) RETURNING id
            """, new { circleId, body = $"# Our agreement\n\n{AgreementMarker}.", coordinator }));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.agreement_acceptance (agreement_version_id, person_id, signed_name)
            VALUES (@versionId, @accepted, 'Ada Accepted'), (@versionId, @facilitator, 'Fay Facilitator')
            """, new { versionId, accepted, facilitator }));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_gets_no_agreement_text()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync($"/circles/{circleId}/agreement");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery(client));
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(AgreementMarker, body);
        Assert.DoesNotContain(CircleName, body);
    }

    [Fact]
    public async Task A_member_of_another_circle_gets_neither_the_agreement_nor_the_circle_name()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "olga@example.org", Given.Password);

        var response = await client.GetAsync($"/circles/{circleId}/agreement");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Circle not available", body);
        Assert.DoesNotContain(AgreementMarker, body);
        Assert.DoesNotContain(CircleName, body);
        Assert.DoesNotContain("Fay Facilitator", body);
    }

    [Fact]
    public async Task A_member_who_has_not_accepted_reads_the_agreement_and_gets_the_form_to_sign_it()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "nia@example.org", Given.Password);

        var response = await client.GetAsync($"/circles/{circleId}/agreement");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(AgreementMarker, body);
        Assert.Contains("Confidentiality agreement, version 1", body);
        Assert.Contains("Accept and sign", body);
        Assert.Contains("Your full name", body);
        // Who has accepted is for the facilitator and coordinator, not for a member.
        Assert.DoesNotContain("Ada Accepted", body);
        Assert.DoesNotContain(MeetingPlace, body);
    }

    [Fact]
    public async Task A_member_who_has_not_accepted_sees_only_the_circle_name_on_its_overview()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "nia@example.org", Given.Password);

        var response = await client.GetAsync($"/circles/{circleId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(CircleName, body);
        Assert.Contains("Accept the confidentiality agreement first", body);
        Assert.Contains($"/circles/{circleId}/agreement", body);
        Assert.DoesNotContain(MeetingPlace, body);
        Assert.DoesNotContain("Fay Facilitator", body);
        Assert.DoesNotContain("Ada Accepted", body);
        Assert.DoesNotContain(AgreementMarker, body);
    }

    [Fact]
    public async Task A_member_who_has_accepted_sees_the_overview_with_members_and_place()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "ada@example.org", Given.Password);

        var body = await (await client.GetAsync($"/circles/{circleId}")).Content.ReadAsStringAsync();

        Assert.Contains(MeetingPlace, body);
        Assert.Contains("Fay Facilitator", body);
    }

    [Fact]
    public async Task The_facilitator_sees_who_has_accepted_and_who_has_not()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "fay@example.org", Given.Password);

        var body = await (await client.GetAsync($"/circles/{circleId}/agreement")).Content.ReadAsStringAsync();

        Assert.Contains("Who has accepted", body);
        Assert.Contains("2 of 3 members have accepted version 1", body);
        Assert.Contains("Nia Newcomer", body);
        Assert.Contains("Not yet", body);
        Assert.Contains("Change the agreement", body);
    }
}
