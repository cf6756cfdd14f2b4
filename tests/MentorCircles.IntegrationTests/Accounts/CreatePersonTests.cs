using MentorCircles.Core.Accounts;
using MentorCircles.Core.Common;

namespace MentorCircles.IntegrationTests.Accounts;

/// <summary>Bad input is refused with a message naming the problem, and nothing is saved.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CreatePersonTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long programId;
    private long coordinatorId;

    private AccountService Accounts => new(Db, new AccountStore(Db), new AccountOptions(), Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        programId = await Given.ProgramAsync(Db);
        coordinatorId = await Given.CoordinatorAsync(Db, programId, "coordinator@example.org");
    }

    [Fact]
    public async Task A_valid_person_is_saved_trimmed_as_an_invited_participant()
    {
        var created = await Accounts.CreatePersonAsync(programId, coordinatorId, new NewPerson("  Chidi Okeke ", " chidi@example.org ", "Africa/Lagos"), Ct);

        Assert.Equal(43, created.InvitationToken.Length);
        Assert.Equal("Chidi Okeke|chidi@example.org|Africa/Lagos|participant|invited", await ScalarAsync<string>("""
            SELECT p.display_name || '|' || p.email || '|' || p.time_zone || '|' || pp.role || '|' || CASE WHEN p.password_hash IS NULL THEN 'invited' ELSE 'active' END
            FROM mentor.person p JOIN mentor.program_person pp ON pp.person_id = p.id WHERE p.id = @PersonId
            """, created));
    }

    [Theory]
    [InlineData("Dee Okafor", "dee@example.org", "Mars/Olympus_Mons", "TimeZone", "'Mars/Olympus_Mons' is not a known time zone")]
    [InlineData("Dee Okafor", "dee@example.org", "", "TimeZone", "Choose a time zone")]
    [InlineData("", "dee@example.org", "Europe/Paris", "DisplayName", "Enter a display name")]
    [InlineData("   ", "dee@example.org", "Europe/Paris", "DisplayName", "Enter a display name")]
    [InlineData("Dee\nOkafor", "dee@example.org", "Europe/Paris", "DisplayName", "control characters")]
    [InlineData("Dee Okafor", "dee.example.org", "Europe/Paris", "Email", "'dee.example.org' is not an email address")]
    [InlineData("Dee Okafor", "dee@localhost", "Europe/Paris", "Email", "is not an email address")]
    [InlineData("Dee Okafor", "Dee <dee@example.org>", "Europe/Paris", "Email", "is not an email address")]
    [InlineData("Dee Okafor", "", "Europe/Paris", "Email", "Enter an email address")]
    public async Task Bad_input_is_refused_with_a_message_naming_the_problem_and_saves_nothing(
        string displayName, string email, string timeZone, string field, string problem)
    {
        await AssertRefusedAsync(new NewPerson(displayName, email, timeZone), field, problem);
    }

    [Fact]
    public async Task A_ten_megabyte_display_name_is_refused_and_saves_nothing()
    {
        var huge = new string('x', 10 * 1024 * 1024);

        await AssertRefusedAsync(new NewPerson(huge, "dee@example.org", "Europe/Paris"), "DisplayName", "keep it to 100");
    }

    [Fact]
    public async Task An_email_already_taken_in_another_case_is_refused_and_saves_nothing()
    {
        await AssertRefusedAsync(new NewPerson("Second Coordinator", "COORDINATOR@example.org", "Europe/Paris"), "Email", "already exists");
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Accounts.CreatePersonAsync(programId, coordinatorId, new NewPerson("", "nope", "Mars/Olympus_Mons"), Ct));

        Assert.Equal(["DisplayName", "Email", "TimeZone"], refused.Errors.Select(e => e.Field));
    }

    private async Task AssertRefusedAsync(NewPerson input, string field, string problem)
    {
        var before = await CountsAsync();

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => Accounts.CreatePersonAsync(programId, coordinatorId, input, Ct));

        var error = Assert.Single(refused.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message);
        Assert.Contains(problem, refused.Message);
        Assert.Equal(before, await CountsAsync());
    }

    private Task<string> CountsAsync() => ScalarAsync<string>("""
        SELECT format('people %s, in programs %s, invitations %s, audit %s',
            (SELECT count(*) FROM mentor.person), (SELECT count(*) FROM mentor.program_person),
            (SELECT count(*) FROM mentor.invitation), (SELECT count(*) FROM mentor.audit_log))
        """);
}
