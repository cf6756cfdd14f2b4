using System.Data.Common;
using Dapper;
using MentorCircles.Core.Common;
using Npgsql;

namespace MentorCircles.Core.Scheduling;

public sealed record CircleMemberZone(long Id, string DisplayName, string TimeZone);

/// <summary>SQL for availability windows, away periods and busy blocks (sql/0005_scheduling.sql).</summary>
internal static class AvailabilityStore
{
    private sealed record WindowRow(long PersonId, short Day, TimeOnly StartTime, TimeOnly EndTime);
    private sealed record AwayRow(long PersonId, DateOnly FromDate, DateOnly ToDate, string Note);
    private sealed record BusyRow(DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Source, string? Label);

    public static async Task<string> ZoneAsync(NpgsqlConnection conn, long personId, CancellationToken ct) =>
        await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT time_zone FROM mentor.person WHERE id = @personId", new { personId }, cancellationToken: ct))
        ?? throw new AccessDeniedException("That account does not exist.");

    public static async Task<IReadOnlyList<(long PersonId, AvailabilityWindow Window)>> WindowsAsync(NpgsqlConnection conn, long[] ids, CancellationToken ct)
    {
        const string sql = """
            SELECT person_id, day, start_time, end_time FROM mentor.availability_window
            WHERE person_id = ANY(@ids) ORDER BY person_id, day, start_time
            """;
        var rows = await conn.QueryAsync<WindowRow>(new CommandDefinition(sql, new { ids }, cancellationToken: ct));
        return rows.Select(r => (r.PersonId, new AvailabilityWindow((DayOfWeek)r.Day, r.StartTime, r.EndTime)))
            .OrderBy(r => r.PersonId).ThenBy(r => AvailabilityRules.DayIndex(r.Item2.Day)).ThenBy(r => r.Item2.Start).ToList();
    }

    public static async Task<IReadOnlyList<(long PersonId, AwayRange Range)>> AwayAsync(NpgsqlConnection conn, long[] ids, CancellationToken ct)
    {
        const string sql = """
            SELECT person_id, from_date, to_date, note FROM mentor.availability_away
            WHERE person_id = ANY(@ids) ORDER BY person_id, from_date, to_date
            """;
        var rows = await conn.QueryAsync<AwayRow>(new CommandDefinition(sql, new { ids }, cancellationToken: ct));
        return rows.Select(r => (r.PersonId, new AwayRange(r.FromDate, r.ToDate, r.Note == "" ? null : r.Note))).ToList();
    }

    public static async Task<IReadOnlyList<(string Source, BusyRange Range)>> BusyAsync(NpgsqlConnection conn, long personId, CancellationToken ct)
    {
        const string sql = """
            SELECT lower(during) AS starts_at, upper(during) AS ends_at, source, label FROM mentor.busy_block
            WHERE person_id = @personId ORDER BY lower(during), upper(during)
            """;
        var rows = await conn.QueryAsync<BusyRow>(new CommandDefinition(sql, new { personId }, cancellationToken: ct));
        return rows.Select(r => (r.Source, new BusyRange(r.StartsAt, r.EndsAt, r.Label))).ToList();
    }

    public static async Task ReplaceWindowsAsync(NpgsqlConnection conn, DbTransaction tx, long personId, IReadOnlyList<AvailabilityWindow> windows, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM mentor.availability_window WHERE person_id = @personId", new { personId }, tx, cancellationToken: ct));
        const string insert = """
            INSERT INTO mentor.availability_window (person_id, day, start_time, end_time)
            SELECT @personId, d, s::time, e::time FROM unnest(@days, @starts, @ends) AS w(d, s, e)
            """;
        await conn.ExecuteAsync(new CommandDefinition(insert, new
        {
            personId,
            days = windows.Select(w => (short)w.Day).ToArray(),
            starts = windows.Select(w => w.Start).ToArray(),
            ends = windows.Select(w => w.End).ToArray(),
        }, tx, cancellationToken: ct));
    }

    public static async Task ReplaceAwayAsync(NpgsqlConnection conn, DbTransaction tx, long personId, IReadOnlyList<AwayRange> ranges, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM mentor.availability_away WHERE person_id = @personId", new { personId }, tx, cancellationToken: ct));
        const string insert = """
            INSERT INTO mentor.availability_away (person_id, from_date, to_date, note)
            VALUES (@personId, @From, @To, coalesce(@Note, ''))
            """;
        foreach (var r in ranges)
            await conn.ExecuteAsync(new CommandDefinition(insert, new { personId, r.From, r.To, r.Note }, tx, cancellationToken: ct));
    }

    public static async Task ReplaceBusyAsync(NpgsqlConnection conn, DbTransaction tx, long personId, string source, IReadOnlyList<BusyRange> ranges, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM mentor.busy_block WHERE person_id = @personId AND source = @source", new { personId, source }, tx, cancellationToken: ct));
        const string insert = """
            INSERT INTO mentor.busy_block (person_id, during, source, label)
            SELECT @personId, tstzrange(s, e, '[)'), @source, l FROM unnest(@starts, @ends, @labels) AS b(s, e, l)
            """;
        await conn.ExecuteAsync(new CommandDefinition(insert, new
        {
            personId,
            source,
            starts = ranges.Select(r => r.Start.UtcDateTime).ToArray(),
            ends = ranges.Select(r => r.End.UtcDateTime).ToArray(),
            labels = ranges.Select(r => r.Label).ToArray(),
        }, tx, cancellationToken: ct));
    }

    public static async Task<(string Name, IReadOnlyList<CircleMemberZone> Members)> CircleMembersAsync(NpgsqlConnection conn, long circleId, CancellationToken ct)
    {
        var name = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT name FROM mentor.circle WHERE id = @circleId", new { circleId }, cancellationToken: ct)) ?? "";
        const string sql = """
            SELECT p.id, p.display_name, p.time_zone FROM mentor.membership m
            JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = @circleId AND m.left_at IS NULL
            ORDER BY p.display_name, p.id
            """;
        var members = await conn.QueryAsync<CircleMemberZone>(new CommandDefinition(sql, new { circleId }, cancellationToken: ct));
        return (name, members.AsList());
    }
}
