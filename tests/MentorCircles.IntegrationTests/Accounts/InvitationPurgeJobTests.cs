using Dapper;
using MentorCircles.Core.Accounts;
using Microsoft.Extensions.Logging.Abstractions;

namespace MentorCircles.IntegrationTests.Accounts;

[Collection(PostgresCollection.Name)]
public sealed class InvitationPurgeJobTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long programId;
    private long coordinatorId;

    private AccountService Accounts => new(Db, new AccountStore(Db), new AccountOptions(), Clock);
    private InvitationPurgeJob Job => new(new AccountStore(Db), Clock, NullLogger<InvitationPurgeJob>.Instance);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        programId = await Given.ProgramAsync(Db);
        coordinatorId = await Given.CoordinatorAsync(Db, programId);
    }

    [Fact]
    public async Task Invitations_that_ended_more_than_thirty_days_ago_are_deleted_and_recent_ones_kept()
    {
        // Day 0: expires on day 7.
        var longExpired = await InviteAsync("long.expired@example.org");
        // Day 1: revoked on day 2 by a new link that expires on day 9.
        Clock.Advance(TimeSpan.FromDays(1));
        var reissued = await InviteAsync("reissued@example.org");
        Clock.Advance(TimeSpan.FromDays(1));
        await Accounts.ReissueInvitationAsync(reissued, coordinatorId, Ct);
        // Day 2: used on day 3.
        var usedLongAgo = await InviteAsync("used.long.ago@example.org");
        await MarkUsedAsync(usedLongAgo, Clock.GetUtcNow().AddDays(1));
        // Day 30: used on day 31.
        Clock.Advance(TimeSpan.FromDays(28));
        var usedRecently = await InviteAsync("used.recently@example.org");
        await MarkUsedAsync(usedRecently, Clock.GetUtcNow().AddDays(1));
        // Day 32: expires on day 39.
        Clock.Advance(TimeSpan.FromDays(2));
        var recentlyExpired = await InviteAsync("recently.expired@example.org");
        // Day 40, noon: the cut-off is day 10, noon.
        Clock.Advance(TimeSpan.FromDays(8.5));
        var valid = await InviteAsync("valid@example.org");

        var purged = await Job.RunAsync(Ct);

        Assert.Equal(4, purged);
        Assert.Equal(
            [(usedRecently, "used"), (recentlyExpired, "expired"), (valid, "open")],
            await InvitationsAsync());
    }

    [Fact]
    public async Task Running_the_purge_twice_deletes_nothing_more()
    {
        await InviteAsync("long.expired@example.org");
        Clock.Advance(TimeSpan.FromDays(40));
        await InviteAsync("valid@example.org");

        Assert.Equal(1, await Job.RunAsync(Ct));
        Assert.Equal(0, await Job.RunAsync(Ct));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.invitation"));
    }

    private async Task<long> InviteAsync(string email) =>
        (await Accounts.CreatePersonAsync(programId, coordinatorId, new NewPerson(email.Split('@')[0], email, "Europe/Paris"), Ct)).PersonId;

    private Task MarkUsedAsync(long personId, DateTimeOffset at) =>
        ExecuteAsync("UPDATE mentor.invitation SET used_at = @at WHERE person_id = @personId", new { personId, at });

    private async Task<List<(long PersonId, string State)>> InvitationsAsync()
    {
        await using var conn = await Db.OpenConnectionAsync();
        var rows = await conn.QueryAsync<(long, string)>(new CommandDefinition("""
            SELECT person_id, CASE WHEN used_at IS NOT NULL THEN 'used' WHEN revoked_at IS NOT NULL THEN 'revoked'
                                   WHEN expires_at <= @now THEN 'expired' ELSE 'open' END
            FROM mentor.invitation ORDER BY id
            """, new { now = Clock.GetUtcNow() }));
        return rows.AsList();
    }
}
