using MentorCircles.Core.Accounts;

namespace MentorCircles.Tests.Accounts;

/// <summary>Every refusal a person can meet explains itself.</summary>
public sealed class MessagesTests
{
    public static TheoryData<SignInStatus> FailedSignIns() => new(Enum.GetValues<SignInStatus>().Where(s => s != SignInStatus.Success));

    public static TheoryData<InvitationState> UnusableInvitations() => new(Enum.GetValues<InvitationState>().Where(s => s != InvitationState.Valid));

    [Theory]
    [MemberData(nameof(FailedSignIns))]
    public void Every_failed_sign_in_has_a_message(SignInStatus status)
    {
        var result = new SignInResult(status, LockedUntil: new DateTimeOffset(2026, 3, 9, 14, 5, 0, TimeSpan.Zero));

        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.NotEqual("Sign-in failed.", result.Message);
    }

    [Fact]
    public void A_successful_sign_in_has_no_message()
    {
        Assert.Null(new SignInResult(SignInStatus.Success).Message);
    }

    [Fact]
    public void The_lockout_message_says_until_when_in_UTC()
    {
        var result = new SignInResult(SignInStatus.LockedOut, LockedUntil: new DateTimeOffset(2026, 3, 9, 14, 5, 0, TimeSpan.Zero));

        Assert.Contains("locked until 14:05 UTC", result.Message);
    }

    [Theory]
    [MemberData(nameof(UnusableInvitations))]
    public void Every_unusable_invitation_says_what_is_wrong_and_what_to_do(InvitationState state)
    {
        var problem = new InvitationView(state).Problem;

        Assert.False(string.IsNullOrWhiteSpace(problem));
        Assert.Matches("(coordinator|link)", problem);
    }

    [Fact]
    public void Each_unusable_invitation_state_has_its_own_message()
    {
        var problems = Enum.GetValues<InvitationState>().Where(s => s != InvitationState.Valid).Select(s => new InvitationView(s).Problem).ToList();

        Assert.Equal(problems.Count, problems.Distinct().Count());
    }

    [Fact]
    public void A_valid_invitation_has_no_problem()
    {
        Assert.Null(new InvitationView(InvitationState.Valid, "Ann", "ann@example.org", "Europe/London").Problem);
    }
}
