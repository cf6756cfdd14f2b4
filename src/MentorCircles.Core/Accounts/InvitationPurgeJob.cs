using Microsoft.Extensions.Logging;

namespace MentorCircles.Core.Accounts;

/// <summary>Recurring housekeeping: forgets invitation links that ended more than 30 days ago. Safe to run twice.</summary>
public sealed class InvitationPurgeJob(AccountStore store, TimeProvider clock, ILogger<InvitationPurgeJob> log)
{
    public const string RecurringId = "housekeeping:purge-invitations";
    public static readonly TimeSpan Keep = TimeSpan.FromDays(30);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var purged = await store.PurgeEndedInvitationsAsync(clock.GetUtcNow(), Keep, ct);
        log.LogInformation("Purged {Count} ended invitation links", purged);
        return purged;
    }
}
