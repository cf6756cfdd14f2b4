using MentorCircles.Core.Accounts;
using MentorCircles.Core.Common;

namespace MentorCircles.IntegrationTests.Accounts;

[Collection(PostgresCollection.Name)]
public sealed class InvitationTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private const string Email = "ben.ade@example.org";
    private const string NewPassword = "a long new password";
    private long coordinatorId;
    private CreatedPerson invited = null!;

    private AccountService Accounts => new(Db, new AccountStore(Db), new AccountOptions(), Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var programId = await Given.ProgramAsync(Db);
        coordinatorId = await Given.CoordinatorAsync(Db, programId);
        invited = await Accounts.CreatePersonAsync(programId, coordinatorId, new NewPerson("Ben Ade", Email, "Africa/Lagos"), Ct);
    }

    [Fact]
    public async Task A_new_person_cannot_sign_in_before_accepting_the_invitation()
    {
        var result = await Accounts.SignInAsync(Email, NewPassword, Ct);

        Assert.Equal(SignInStatus.NotActivated, result.Status);
        Assert.Null(result.Person);
        Assert.Contains("invitation link", result.Message);
    }

    [Fact]
    public async Task A_new_invitation_lasts_seven_days_and_shows_who_it_is_for()
    {
        var view = await Accounts.GetInvitationAsync(invited.InvitationToken, Ct);

        Assert.Equal(Clock.GetUtcNow().AddDays(7), invited.ExpiresAt);
        Assert.Equal(new InvitationView(InvitationState.Valid, "Ben Ade", Email, "Africa/Lagos"), view);
        Assert.Null(view.Problem);
    }

    [Fact]
    public async Task The_invitation_sets_password_and_time_zone_and_then_sign_in_works()
    {
        var person = await Accounts.AcceptInvitationAsync(invited.InvitationToken, NewPassword, NewPassword, "Asia/Tokyo", Ct);

        Assert.Equal((invited.PersonId, Email, "Asia/Tokyo"), (person.Id, person.Email, person.TimeZone));
        var signIn = await Accounts.SignInAsync(Email, NewPassword, Ct);
        Assert.Equal(SignInStatus.Success, signIn.Status);
        Assert.Equal("Asia/Tokyo", signIn.Person?.TimeZone);
    }

    [Fact]
    public async Task The_invitation_works_only_once()
    {
        await Accounts.AcceptInvitationAsync(invited.InvitationToken, NewPassword, NewPassword, "Asia/Tokyo", Ct);

        var again = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Accounts.AcceptInvitationAsync(invited.InvitationToken, "someone else's password", "someone else's password", "Europe/Paris", Ct));

        Assert.Contains("already been used", again.Message);
        Assert.Equal(InvitationState.Used, (await Accounts.GetInvitationAsync(invited.InvitationToken, Ct)).State);
        Assert.Equal(SignInStatus.Success, (await Accounts.SignInAsync(Email, NewPassword, Ct)).Status);
        Assert.Equal(SignInStatus.WrongCredentials, (await Accounts.SignInAsync(Email, "someone else's password", Ct)).Status);
        Assert.Equal("Asia/Tokyo", await ScalarAsync<string>("SELECT time_zone FROM mentor.person WHERE id = @PersonId", invited));
    }

    [Fact]
    public async Task An_invitation_is_still_valid_a_moment_before_seven_days()
    {
        Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));

        Assert.Equal(InvitationState.Valid, (await Accounts.GetInvitationAsync(invited.InvitationToken, Ct)).State);
    }

    [Fact]
    public async Task An_expired_invitation_is_refused_and_saves_nothing()
    {
        Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        var view = await Accounts.GetInvitationAsync(invited.InvitationToken, Ct);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Accounts.AcceptInvitationAsync(invited.InvitationToken, NewPassword, NewPassword, "Asia/Tokyo", Ct));

        Assert.Equal(InvitationState.Expired, view.State);
        Assert.Null(view.Email);
        Assert.Contains("expired", refused.Message);
        Assert.Equal(SignInStatus.NotActivated, (await Accounts.SignInAsync(Email, NewPassword, Ct)).Status);
        Assert.Equal("Africa/Lagos", await ScalarAsync<string>("SELECT time_zone FROM mentor.person WHERE id = @PersonId", invited));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.invitation WHERE used_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_reissued_invitation_revokes_the_old_link()
    {
        Clock.Advance(TimeSpan.FromDays(2));

        var reissued = await Accounts.ReissueInvitationAsync(invited.PersonId, coordinatorId, Ct);

        Assert.NotEqual(invited.InvitationToken, reissued.InvitationToken);
        Assert.Equal(Clock.GetUtcNow().AddDays(7), reissued.ExpiresAt);
        Assert.Equal(InvitationState.Revoked, (await Accounts.GetInvitationAsync(invited.InvitationToken, Ct)).State);
        var old = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Accounts.AcceptInvitationAsync(invited.InvitationToken, NewPassword, NewPassword, "Asia/Tokyo", Ct));
        Assert.Contains("replaced by a newer one", old.Message);
        await Accounts.AcceptInvitationAsync(reissued.InvitationToken, NewPassword, NewPassword, "Asia/Tokyo", Ct);
        Assert.Equal(SignInStatus.Success, (await Accounts.SignInAsync(Email, NewPassword, Ct)).Status);
    }

    [Theory]
    [InlineData("short", "short", "Asia/Tokyo", "Password", "at least 10 characters")]
    [InlineData(NewPassword, "a long new passw0rd", "Asia/Tokyo", "Confirm", "differ")]
    [InlineData("          ", "          ", "Asia/Tokyo", "Password", "only spaces")]
    [InlineData(NewPassword, NewPassword, "Mars/Olympus_Mons", "TimeZone", "'Mars/Olympus_Mons' is not a known time zone")]
    [InlineData(NewPassword, NewPassword, "", "TimeZone", "Choose a time zone")]
    public async Task Accepting_with_bad_input_is_refused_and_the_invitation_stays_valid(
        string password, string confirm, string timeZone, string field, string problem)
    {
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Accounts.AcceptInvitationAsync(invited.InvitationToken, password, confirm, timeZone, Ct));

        var error = Assert.Single(refused.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message);
        Assert.Equal(InvitationState.Valid, (await Accounts.GetInvitationAsync(invited.InvitationToken, Ct)).State);
        Assert.Equal(SignInStatus.NotActivated, (await Accounts.SignInAsync(Email, password, Ct)).Status);
        Assert.Equal("Africa/Lagos", await ScalarAsync<string>("SELECT time_zone FROM mentor.person WHERE id = @PersonId", invited));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_made_up_or_mangled_link_is_not_valid(string? token)
    {
        var view = await Accounts.GetInvitationAsync(token, Ct);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Accounts.AcceptInvitationAsync(token, NewPassword, NewPassword, "Asia/Tokyo", Ct));

        Assert.Equal(InvitationState.Unknown, view.State);
        Assert.Contains("not valid", refused.Message);
    }

    [Fact]
    public async Task A_link_missing_its_last_character_is_not_valid()
    {
        var view = await Accounts.GetInvitationAsync(invited.InvitationToken[..^1], Ct);

        Assert.Equal(InvitationState.Unknown, view.State);
    }

    [Fact]
    public async Task Creating_a_person_and_accepting_their_invitation_are_in_the_audit_log()
    {
        await Accounts.AcceptInvitationAsync(invited.InvitationToken, NewPassword, NewPassword, "Asia/Tokyo", Ct);

        var subject = $"person:{invited.PersonId}";
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM mentor.audit_log WHERE action = 'person.created' AND subject = @subject AND actor_id = @coordinatorId",
            new { subject, coordinatorId }));
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM mentor.audit_log WHERE action = 'invitation.accepted' AND subject = @subject AND actor_id = @PersonId",
            new { subject, invited.PersonId }));
        Assert.Equal("participant", await ScalarAsync<string>(
            "SELECT details ->> 'role' FROM mentor.audit_log WHERE action = 'person.created' AND subject = @subject", new { subject }));
    }
}
