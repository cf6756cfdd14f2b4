using System.Net;
using Dapper;
using MentorCircles.IntegrationTests.Web;
using Microsoft.Extensions.DependencyInjection;

namespace MentorCircles.IntegrationTests.Objectives;

/// <summary>The objective pages over HTTP, as the server prerenders them: who gets what, and what never leaks into the response.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ObjectivePagesTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Title = "Publish the pilot study <script>alert('x')</script>";
    private const string Why = "Secret reason for the tenure file";
    private AppFactory app = null!;
    private long programId, circleId, otherCircleId, objectiveId;

    public async Task InitializeAsync()
    {
        var cs = await postgres.CreateDatabaseAsync("objective_pages");
        app = new AppFactory(cs);
        app.NewClient().Dispose();   // starts the app: migrations run against the empty database
        var db = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var program = await Given.ProgramAsync(db);
        programId = program;
        await Given.CoordinatorAsync(db, program);
        var owner = await Given.PersonAsync(db, program, "owner@example.org", displayName: "Olive Owner");
        var unsigned = await Given.PersonAsync(db, program, "unsigned@example.org");
        var outsider = await Given.PersonAsync(db, program, "outsider@example.org");
        circleId = await Given.CircleAsync(db, program, "Launch Group", (owner, "mentee"), (unsigned, "mentee"));
        otherCircleId = await Given.CircleAsync(db, program, "Other Group", (outsider, "mentee"));
        await ObjectiveGiven.AgreementAcceptedByAsync(db, circleId, owner);
        await ObjectiveGiven.AgreementAcceptedByAsync(db, otherCircleId, outsider);
        await using var conn = await db.OpenConnectionAsync();
        objectiveId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.objective (circle_id, person_id, title, why, visibility) VALUES (@circleId, @owner, @Title, @Why, 'circle') RETURNING id
            """, new { circleId, owner, Title, Why }));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private string[] Paths => [$"/circles/{circleId}/objectives", $"/circles/{circleId}/objectives/{objectiveId}"];

    private static void AssertNoContent(string html)
    {
        Assert.DoesNotContain("Publish the pilot study", html);
        Assert.DoesNotContain(Why, html);
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_sees_nothing()
    {
        using var client = app.NewClient();
        foreach (var path in Paths)
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery(client));
            AssertNoContent(await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_member_of_another_circle_is_refused_and_sees_nothing()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "outsider@example.org", Given.Password);
        foreach (var path in Paths.Append($"/circles/{otherCircleId}/objectives/{objectiveId}"))
        {
            var html = await client.GetStringAsync(path);
            AssertNoContent(html);
            Assert.Contains("mc-alert-error", html);
        }
    }

    [Fact]
    public async Task A_member_who_has_not_accepted_the_agreement_is_asked_to_and_sees_nothing()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "unsigned@example.org", Given.Password);
        foreach (var path in Paths)
        {
            var html = await client.GetStringAsync(path);
            AssertNoContent(html);
            Assert.Contains("Accept the confidentiality agreement first", html);
            Assert.Contains($"href=\"/circles/{circleId}/agreement\"", html);
        }
    }

    [Fact]
    public async Task The_owner_sees_the_objective_with_its_text_shown_as_text_not_markup()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "owner@example.org", Given.Password);
        foreach (var path in Paths)
        {
            var html = await client.GetStringAsync(path);
            Assert.Contains("Publish the pilot study &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html);
            Assert.DoesNotContain("<script>alert(", html);
        }
        Assert.Contains(Why, await client.GetStringAsync(Paths[1]));
    }

    [Fact]
    public async Task An_objective_id_that_does_not_exist_gets_the_same_refusal_as_one_that_is_not_yours()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "owner@example.org", Given.Password);
        var html = await client.GetStringAsync($"/circles/{circleId}/objectives/{objectiveId + 1000}");
        Assert.Contains("This objective does not exist or you cannot see it.", html);
    }

    [Fact]
    public async Task The_coordinator_sees_objective_counts_on_the_program_page_but_no_titles()
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, Given.CoordinatorEmail, Given.Password);
        var html = await client.GetStringAsync($"/programs/{programId}");
        Assert.Contains("Objectives per circle", html);
        // Members, objectives, achieved, with a recent check-in (scoped-CSS attributes removed).
        var table = System.Text.RegularExpressions.Regex.Replace(html, " b-[a-z0-9]+", "");
        Assert.Contains("<th scope=\"row\">Launch Group</th><td>2</td><td>1</td><td>0</td><td>0</td>", table);
        AssertNoContent(html);

        // Nor through the circle's objective pages: a coordinator is not a member.
        foreach (var path in Paths)
            AssertNoContent(await client.GetStringAsync(path));
    }
}
