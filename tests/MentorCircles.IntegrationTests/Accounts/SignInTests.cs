using MentorCircles.Core.Accounts;

namespace MentorCircles.IntegrationTests.Accounts;

[Collection(PostgresCollection.Name)]
public sealed class SignInTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private const string Email = "ana.lima@example.org";
    private long personId;

    private AccountService Accounts => new(Db, new AccountStore(Db), new AccountOptions(), Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        personId = await Given.PersonAsync(Db, await Given.ProgramAsync(Db), Email, displayName: "Ana Lima", timeZone: "America/Sao_Paulo");
    }

    [Fact]
    public async Task Right_password_signs_in()
    {
        var result = await Accounts.SignInAsync(Email, Given.Password, Ct);

        Assert.Equal(SignInStatus.Success, result.Status);
        Assert.Null(result.Message);
        var person = Assert.IsType<SignedInPerson>(result.Person);
        Assert.Equal((personId, "Ana Lima", Email, "America/Sao_Paulo", false), (person.Id, person.DisplayName, person.Email, person.TimeZone, person.IsCoordinator));
    }

    [Fact]
    public async Task Email_is_matched_without_regard_to_case_or_surrounding_spaces()
    {
        var result = await Accounts.SignInAsync("  ANA.Lima@Example.ORG ", Given.Password, Ct);

        Assert.Equal(SignInStatus.Success, result.Status);
        Assert.Equal(personId, result.Person?.Id);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_clear_message()
    {
        var result = await Accounts.SignInAsync(Email, "correct horse battery staple", Ct);

        Assert.Equal(SignInStatus.WrongCredentials, result.Status);
        Assert.Null(result.Person);
        Assert.Equal("Wrong email or password. Check both and try again.", result.Message);
    }

    [Fact]
    public async Task Unknown_email_gets_the_same_answer_as_a_wrong_password()
    {
        var unknown = await Accounts.SignInAsync("nobody@example.org", Given.Password, Ct);
        var wrong = await Accounts.SignInAsync(Email, "not the password", Ct);

        Assert.Equal(wrong, unknown);
        Assert.Equal(SignInStatus.WrongCredentials, unknown.Status);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData(null, null)]
    [InlineData(Email, "")]
    public async Task Empty_email_or_password_is_refused_as_wrong_credentials(string? email, string? password)
    {
        var result = await Accounts.SignInAsync(email, password, Ct);

        Assert.Equal(SignInStatus.WrongCredentials, result.Status);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes()
    {
        for (var i = 1; i <= 4; i++)
            Assert.Equal(SignInStatus.WrongCredentials, (await Accounts.SignInAsync(Email, $"wrong password {i}", Ct)).Status);

        var fifth = await Accounts.SignInAsync(Email, "wrong password 5", Ct);

        Assert.Equal(SignInStatus.LockedOut, fifth.Status);
        Assert.Equal(Clock.GetUtcNow().AddMinutes(15), fifth.LockedUntil);
        // The clock stands at 20:00 UTC (09:45 the next day in the database server's zone).
        Assert.Contains("locked until 20:15 UTC", fifth.Message);
    }

    [Fact]
    public async Task While_locked_even_the_right_password_is_refused()
    {
        await LockAsync();
        Clock.Advance(TimeSpan.FromMinutes(14));

        var result = await Accounts.SignInAsync(Email, Given.Password, Ct);

        Assert.Equal(SignInStatus.LockedOut, result.Status);
        Assert.Null(result.Person);
        Assert.Equal(FakeClock.DefaultStart.AddMinutes(15), result.LockedUntil);
    }

    [Fact]
    public async Task After_the_lock_ends_the_right_password_works_and_the_count_starts_again()
    {
        await LockAsync();
        Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        var result = await Accounts.SignInAsync(Email, Given.Password, Ct);

        Assert.Equal(SignInStatus.Success, result.Status);
        for (var i = 1; i <= 4; i++)
            Assert.Equal(SignInStatus.WrongCredentials, (await Accounts.SignInAsync(Email, $"wrong again {i}", Ct)).Status);
        Assert.Equal(SignInStatus.Success, (await Accounts.SignInAsync(Email, Given.Password, Ct)).Status);
    }

    [Fact]
    public async Task A_disabled_account_is_refused_even_with_the_right_password()
    {
        await ExecuteAsync("UPDATE mentor.person SET disabled_at = now() WHERE id = @personId", new { personId });

        var result = await Accounts.SignInAsync(Email, Given.Password, Ct);

        Assert.Equal(SignInStatus.Disabled, result.Status);
        Assert.Null(result.Person);
    }

    private async Task LockAsync()
    {
        for (var i = 1; i <= 5; i++) await Accounts.SignInAsync(Email, $"wrong password {i}", Ct);
    }
}
