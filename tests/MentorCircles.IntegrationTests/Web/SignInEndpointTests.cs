using Microsoft.Extensions.DependencyInjection;
using System.Net;

namespace MentorCircles.IntegrationTests.Web;

[Collection(PostgresCollection.Name)]
public sealed class SignInEndpointTests(PostgresFixture postgres) : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await postgres.CreateDatabaseAsync("signin"), new Dictionary<string, string>
        {
            ["Accounts:SignInAttemptsPerMinute"] = "1000",
        });
        app.NewClient().Dispose();
        var db = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var program = await Given.ProgramAsync(db);
        await Given.PersonAsync(db, program, "member@example.org");
        await Given.PersonAsync(db, program, "other@example.org");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Wrong_password_then_lockout_each_show_a_clear_message()
    {
        using var client = app.NewClient();

        // 1: the right password signs in and the home page greets the person.
        Assert.Equal("/", await AppFactory.SignInAsync(client, "member@example.org", Given.Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        // 2-5: four wrong passwords: a clear error each time, the email kept in the form.
        using var other = app.NewClient();
        for (var i = 0; i < 4; i++)
        {
            var target = await AppFactory.SignInAsync(other, "other@example.org", "wrong password");
            Assert.Contains("error=WrongCredentials", target);
            var page = await other.GetStringAsync(target);
            Assert.Contains("Wrong email or password", page);
            Assert.Contains("value=\"other@example.org\"", page);
        }

        // 6: the fifth wrong one locks the account; 7: then even the right password is refused.
        var locked = await AppFactory.SignInAsync(other, "other@example.org", "wrong password");
        Assert.Contains("error=LockedOut", locked);
        Assert.Contains("this account is locked until", await other.GetStringAsync(locked));
        Assert.Contains("error=LockedOut", await AppFactory.SignInAsync(other, "other@example.org", Given.Password));

    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_rate_limit_are_turned_away_with_a_clear_message()
    {
        // An app of its own, so no other test's attempts count against this minute's budget.
        await using var limitedApp = new AppFactory(await postgres.CreateDatabaseAsync("ratelimit"), new Dictionary<string, string>
        {
            ["Accounts:SignInAttemptsPerMinute"] = "3",
        });
        using var client = limitedApp.NewClient();
        for (var i = 0; i < 3; i++)
            Assert.Contains("error=WrongCredentials", await AppFactory.SignInAsync(client, "nobody@example.org", "wrong password"));

        var limited = await AppFactory.SignInAsync(client, "nobody@example.org", "wrong password");
        Assert.Contains("error=rate", limited);
        Assert.Contains("Too many sign-in attempts", await client.GetStringAsync(limited));
    }

    [Fact]
    public async Task A_sign_in_never_redirects_to_another_site()
    {
        using var client = app.NewClient();
        var form = await client.GetStringAsync("/signin");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["email"] = "member@example.org",
            ["password"] = Given.Password,
            ["returnUrl"] = "//evil.example.com/steal",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_sign_in_without_the_form_token_is_refused()
    {
        using var client = app.NewClient();
        var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "member@example.org",
            ["password"] = Given.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("mc.auth", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_page_but_sign_in_and_invitation_needs_a_signed_in_person()
    {
        using var client = app.NewClient();
        foreach (var path in new[] { "/", "/circles/1", "/programs/1" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery(client));
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode);
        var invite = await client.GetAsync("/invite/not-a-real-token");
        Assert.Equal(HttpStatusCode.OK, invite.StatusCode);
        Assert.Contains("This invitation link is not valid", await invite.Content.ReadAsStringAsync());
    }
}
