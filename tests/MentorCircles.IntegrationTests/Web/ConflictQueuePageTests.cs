using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace MentorCircles.IntegrationTests.Web;

/// <summary>The conflict queue page, as the server prerenders it: its program's coordinators only.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConflictQueuePageTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Heading = "Scheduling conflicts";
    private AppFactory app = null!;
    private long program;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await postgres.CreateDatabaseAsync("conflict_queue_page"));
        app.NewClient().Dispose();
        var db = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        program = await Given.ProgramAsync(db, "Zephyr Program");
        await Given.CoordinatorAsync(db, program);
        await Given.PersonAsync(db, program, "member@example.org", displayName: "Mia Member");
        var other = await Given.ProgramAsync(db, "Another Program");
        await Given.PersonAsync(db, other, "other.coordinator@example.org", "coordinator", displayName: "Oli Other");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<HttpResponseMessage> OpenAsAsync(string email)
    {
        var client = app.NewClient();
        await AppFactory.SignInAsync(client, email, Given.Password);
        return await client.GetAsync($"/programs/{program}/conflicts");
    }

    [Fact]
    public async Task The_programs_coordinator_opens_the_queue_with_their_zone_named()
    {
        var response = await OpenAsAsync(Given.CoordinatorEmail);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(Heading, html);
        Assert.Contains("your time zone: Europe/London", html);
    }

    [Fact]
    public async Task A_participant_is_sent_to_the_denied_page()
    {
        var response = await OpenAsAsync("member@example.org");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/denied", response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));
        Assert.DoesNotContain(Heading, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_coordinator_of_another_program_is_told_it_is_not_available()
    {
        var response = await OpenAsAsync("other.coordinator@example.org");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Program not available", html);
        Assert.DoesNotContain(Heading, html);
        Assert.DoesNotContain("Zephyr Program", html);
    }
}
