using MentorCircles.Core.Accounts;
using MentorCircles.Core.Common;
using MentorCircles.Core.Programs;

namespace MentorCircles.IntegrationTests.Programs;

[Collection(PostgresCollection.Name)]
public sealed class ProgramBootstrapTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private AccountService Accounts => new(Db, new AccountStore(Db), new AccountOptions(), Clock);
    private ProgramBootstrap Bootstrap => new(Db, Accounts, Clock);

    [Fact]
    public async Task Bootstrap_creates_the_program_and_an_invited_coordinator_who_can_then_sign_in()
    {
        var created = await Bootstrap.CreateCoordinatorAsync("  Graduate Mentoring ", "Europe/Dublin",
            new NewPerson("Niamh Byrne", "niamh@example.org", "Europe/Dublin"), Ct);

        Assert.Equal("Graduate Mentoring|Europe/Dublin|2026-03-09", await ScalarAsync<string>(
            "SELECT name || '|' || time_zone || '|' || term_start FROM mentor.program"));
        await Accounts.AcceptInvitationAsync(created.InvitationToken, "a long enough password", "a long enough password", "Europe/Dublin", Ct);
        var signIn = await Accounts.SignInAsync("niamh@example.org", "a long enough password", Ct);
        Assert.Equal(SignInStatus.Success, signIn.Status);
        Assert.True(signIn.Person?.IsCoordinator);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.audit_log WHERE action = 'person.created' AND actor_id IS NULL"));
    }

    [Fact]
    public async Task Bootstrap_run_again_with_the_same_program_name_adds_a_coordinator_to_the_existing_program()
    {
        await Bootstrap.CreateCoordinatorAsync("Graduate Mentoring", "Europe/Dublin", new NewPerson("Niamh Byrne", "niamh@example.org", "Europe/Dublin"), Ct);

        await Bootstrap.CreateCoordinatorAsync("Graduate Mentoring", "Europe/Dublin", new NewPerson("Sean Walsh", "sean@example.org", "Europe/Dublin"), Ct);

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.program"));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM mentor.program_person WHERE role = 'coordinator'"));
    }

    [Theory]
    [InlineData("", "Europe/Dublin", "Program")]
    [InlineData("Graduate Mentoring", "Mars/Olympus_Mons", "TimeZone")]
    public async Task Bootstrap_with_a_bad_program_name_or_zone_saves_nothing(string name, string timeZone, string field)
    {
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Bootstrap.CreateCoordinatorAsync(name, timeZone, new NewPerson("Niamh Byrne", "niamh@example.org", "Europe/Dublin"), Ct));

        Assert.Equal(field, Assert.Single(refused.Errors).Field);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.program"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.person"));
    }

    [Fact]
    public async Task Bootstrap_with_a_bad_coordinator_saves_no_person()
    {
        await Assert.ThrowsAsync<InvalidInputException>(() =>
            Bootstrap.CreateCoordinatorAsync("Graduate Mentoring", "Europe/Dublin", new NewPerson("Niamh Byrne", "not-an-email", "Europe/Dublin"), Ct));

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.person"));
    }

    [Fact]
    public async Task Bootstrap_with_a_bad_coordinator_saves_no_program_either()
    {
        await Assert.ThrowsAsync<InvalidInputException>(() =>
            Bootstrap.CreateCoordinatorAsync("Graduate Mentoring", "Europe/Dublin", new NewPerson("Niamh Byrne", "not-an-email", "Europe/Dublin"), Ct));

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.program"));
    }
}
