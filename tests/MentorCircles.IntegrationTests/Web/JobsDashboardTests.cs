using Microsoft.Extensions.DependencyInjection;
using System.Net;

namespace MentorCircles.IntegrationTests.Web;

[Collection(PostgresCollection.Name)]
public sealed class JobsDashboardTests(PostgresFixture postgres) : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        var cs = await postgres.CreateDatabaseAsync("jobs");
        app = new AppFactory(cs);
        app.NewClient().Dispose();   // starts the app: migrations run against the empty database
        var db = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var program = await Given.ProgramAsync(db);
        await Given.CoordinatorAsync(db, program);
        await Given.PersonAsync(db, program, "member@example.org");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Jobs_dashboard_refuses_a_signed_out_visitor()
    {
        using var client = app.NewClient();
        var response = await client.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery(client));
        Assert.DoesNotContain("Hangfire", await response.Content.ReadAsStringAsync());

        var asset = await client.GetAsync("/jobs/stats");
        Assert.NotEqual(HttpStatusCode.OK, asset.StatusCode);
    }

    [Fact]
    public async Task Jobs_dashboard_refuses_a_signed_in_non_coordinator()
    {
        using var client = app.NewClient();
        Assert.Equal("/", await AppFactory.SignInAsync(client, "member@example.org", Given.Password));

        var response = await client.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery(client));
        var denied = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.DoesNotContain("Hangfire", await denied.Content.ReadAsStringAsync());

        var recurring = await client.GetAsync("/jobs/recurring");
        Assert.NotEqual(HttpStatusCode.OK, recurring.StatusCode);
    }

    [Fact]
    public async Task Jobs_dashboard_opens_for_a_coordinator_and_lists_the_housekeeping_job()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, Given.CoordinatorEmail, Given.Password);

        var response = await client.GetAsync("/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("MentorCircles jobs", html);
        Assert.Contains(MentorCircles.Core.Accounts.InvitationPurgeJob.RecurringId, html);
    }
}

internal static class UriExtensions
{
    /// <summary>The path and query of a redirect target, whether the app sent it relative or absolute.</summary>
    public static string PathAndQuery(this Uri location, HttpClient client) =>
        location.IsAbsoluteUri ? location.PathAndQuery : new Uri(client.BaseAddress!, location).PathAndQuery;
}
