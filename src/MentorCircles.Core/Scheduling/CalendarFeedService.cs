using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// A person's private calendar feed: a secret token in the URL (shown once, stored only as its SHA-256), and the
/// sessions of their current circles as iCalendar, cancelled ones included with STATUS:CANCELLED.
/// </summary>
public sealed class CalendarFeedService(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>How far back the feed goes; later sessions are all in it.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(90);

    public static string PathFor(string token) => $"/calendar/{token}.ics";

    /// <summary>Creates the person's token, or replaces it (the old URL stops working). Returns the secret; it is not kept.</summary>
    public async Task<string> ResetTokenAsync(long personId, CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        const string sql = """
            INSERT INTO mentor.calendar_feed (person_id, token_hash, created_at) VALUES (@personId, @hash, @now)
            ON CONFLICT (person_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { personId, hash = Hash(token), now = clock.GetUtcNow() }, cancellationToken: ct));
        return token;
    }

    /// <summary>When the person's current token was made, or null when they have none.</summary>
    public async Task<DateTimeOffset?> TokenCreatedAsync(long personId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT created_at FROM mentor.calendar_feed WHERE person_id = @personId", new { personId }, cancellationToken: ct));
    }

    /// <summary>The feed for a token, or null when no one has it.</summary>
    public async Task<string?> FeedAsync(string token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        const string person = "SELECT p.id, p.display_name FROM mentor.calendar_feed f JOIN mentor.person p ON p.id = f.person_id WHERE f.token_hash = @hash";
        const string sessions = """
            SELECT s.id AS session_id, s.sequence, s.starts_at AS start_utc, s.ends_at AS end_utc,
                   CASE WHEN s.title = '' THEN c.name ELSE s.title || ' · ' || c.name END AS summary,
                   NULLIF(c.meeting_place, '') AS location, NULL::text AS url, s.status = 'cancelled' AS cancelled, s.updated_at AS updated_utc
            FROM mentor.session s
            JOIN mentor.circle c ON c.id = s.circle_id
            JOIN mentor.membership m ON m.circle_id = s.circle_id AND m.person_id = @id AND m.left_at IS NULL
            WHERE s.status <> 'proposed' AND s.ends_at >= @since
            ORDER BY s.starts_at, s.id
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var p = await conn.QuerySingleOrDefaultAsync<FeedOwner>(new CommandDefinition(person, new { hash = Hash(token) }, cancellationToken: ct));
        if (p is null) return null;
        var rows = (await conn.QueryAsync<FeedSession>(new CommandDefinition(sessions,
            new { id = p.Id, since = clock.GetUtcNow() - History }, cancellationToken: ct))).AsList();
        return CalendarFeed.Build($"MentorCircles · {p.DisplayName}", rows);
    }

    private sealed record FeedOwner(long Id, string DisplayName);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
