using System.Net;
using Dapper;
using MentorCircles.IntegrationTests.Web;
using Microsoft.Extensions.DependencyInjection;

namespace MentorCircles.IntegrationTests.Circles;

/// <summary>The coordinator's circle pages over HTTP, as the server renders them before any circuit opens.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MembersPageTests(PostgresFixture postgres) : IAsyncLifetime
{
    private AppFactory app = null!;
    private long programId;
    private long circleId;

    public async Task InitializeAsync()
    {
        var cs = await postgres.CreateDatabaseAsync("members_page");
        app = new AppFactory(cs);
        app.NewClient().Dispose();   // starts the app: migrations run against the empty database
        var db = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        programId = await Given.ProgramAsync(db);
        await Given.CoordinatorAsync(db, programId);
        var member = await Given.PersonAsync(db, programId, "member@example.org", displayName: "Mina Member");
        var secret = await Given.PersonAsync(db, programId, "hidden.colleague@example.org", displayName: "Hidden Colleague");
        circleId = await Given.CircleAsync(db, programId, "Tenure File Circle", (member, "mentee"), (secret, "mentor"));
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE mentor.circle SET meeting_place = 'Room 4.12 and https://meet.example.org/tenure' WHERE id = @circleId", new { circleId }));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Members_page_sends_a_signed_out_visitor_to_sign_in()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync($"/circles/{circleId}/members");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery(client));
        Assert.DoesNotContain("Hidden Colleague", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Members_page_refuses_a_member_and_shows_nothing_of_the_membership_or_settings()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "member@example.org", Given.Password);

        var html = await client.GetStringAsync($"/circles/{circleId}/members");

        Assert.Contains("Only a coordinator of this circle", html);
        Assert.DoesNotContain("Hidden Colleague", html);
        Assert.DoesNotContain("hidden.colleague@example.org", html);
        Assert.DoesNotContain("Room 4.12", html);
        Assert.DoesNotContain("Circle settings", html);
        Assert.DoesNotContain("Add a member", html);

        var create = await client.GetStringAsync($"/programs/{programId}/circles/new");
        Assert.Contains("Program not available", create);
        Assert.DoesNotContain("Create circle", create);
    }

    [Fact]
    public async Task Members_page_shows_the_coordinator_the_members_and_settings()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, Given.CoordinatorEmail, Given.Password);

        var response = await client.GetAsync($"/circles/{circleId}/members");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Tenure File Circle", html);
        Assert.Contains("Hidden Colleague", html);
        Assert.Contains("Room 4.12", html);
        Assert.Contains("aria-label=\"Circle settings\"", html);
        Assert.Contains("aria-label=\"Add a member\"", html);

        var create = await client.GetAsync($"/programs/{programId}/circles/new");
        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        Assert.Contains("Create circle", await create.Content.ReadAsStringAsync());
    }
}
