using System.Data.Common;
using Dapper;

namespace MentorCircles.Core.Scheduling;

/// <summary>SQL for one circle's scheduling: its facts, people, series, occurrences and RSVPs (sql/0005_scheduling.sql).</summary>
internal static class CircleScheduleStore
{
    public sealed record CircleFacts(long Id, long ProgramId, string Name, string Format, string TimeZone, int SessionMinutes, string Cadence, int? Quorum);

    public sealed record Member(long PersonId, string Name, string Role, string TimeZone)
    {
        public bool IsLead => Role is "facilitator" or "mentor";
    }

    public sealed record SessionFacts(long Id, long CircleId, string Status, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int? Occurrence, long? SeriesId, int Sequence);

    public sealed record OccurrenceRow(long Id, long? SeriesId, int? Occurrence, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Status,
        string? CancelledReason, int Sequence, int Yes, int No, int Maybe);

    public sealed record SeriesRow(long Id, string Cadence, DateTime FirstDate, int LocalStartSeconds, int LengthMinutes, string TimeZone, int? Count, DateTime? UntilDate);

    public static Task<CircleFacts?> CircleAsync(DbConnection conn, DbTransaction? tx, long circleId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<CircleFacts?>(new CommandDefinition("""
            SELECT id, program_id, name, format, time_zone, session_minutes, cadence, quorum
            FROM mentor.circle WHERE id = @circleId AND archived_at IS NULL
            """, new { circleId }, tx, cancellationToken: ct));

    /// <summary>Current members, leads first, then by name.</summary>
    public static async Task<IReadOnlyList<Member>> MembersAsync(DbConnection conn, DbTransaction? tx, long circleId, CancellationToken ct) =>
        (await conn.QueryAsync<Member>(new CommandDefinition("""
            SELECT m.person_id, p.display_name AS name, m.role, p.time_zone
            FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = @circleId AND m.left_at IS NULL
            ORDER BY CASE WHEN m.role IN ('facilitator', 'mentor') THEN 0 ELSE 1 END, p.display_name, p.id
            """, new { circleId }, tx, cancellationToken: ct))).AsList();

    public static Task<string?> PersonZoneAsync(DbConnection conn, long personId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT time_zone FROM mentor.person WHERE id = @personId", new { personId }, cancellationToken: ct));

    /// <summary>The program's blackout dates with their labels.</summary>
    public static async Task<IReadOnlyDictionary<DateOnly, string>> BlackoutsAsync(DbConnection conn, DbTransaction? tx, long programId, CancellationToken ct) =>
        (await conn.QueryAsync<(DateTime Day, string Label)>(new CommandDefinition(
            "SELECT day::timestamp, label FROM mentor.program_blackout WHERE program_id = @programId", new { programId }, tx, cancellationToken: ct)))
        .ToDictionary(b => DateOnly.FromDateTime(b.Day), b => b.Label);

    /// <summary>Sessions of other circles these people are in, meeting [fromUtc, toUtc): busy time for finding a slot here.</summary>
    public static async Task<ILookup<long, BusyBlock>> OtherSessionsAsync(DbConnection conn, long circleId, long[] personIds,
        DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken ct) =>
        (await conn.QueryAsync<(long PersonId, DateTimeOffset StartsAt, DateTimeOffset EndsAt)>(new CommandDefinition("""
            SELECT m.person_id, s.starts_at, s.ends_at
            FROM mentor.session s JOIN mentor.membership m ON m.circle_id = s.circle_id AND m.left_at IS NULL
            WHERE m.person_id = ANY(@personIds) AND s.status NOT IN ('cancelled', 'completed')
              AND s.starts_at < @toUtc AND s.ends_at > @fromUtc AND s.circle_id <> @circleId
            UNION ALL
            SELECT s.lead_person_id, s.starts_at, s.ends_at FROM mentor.session s
            WHERE s.lead_person_id = ANY(@personIds) AND s.circle_id <> @circleId AND s.status NOT IN ('cancelled', 'completed')
              AND s.starts_at < @toUtc AND s.ends_at > @fromUtc
            """, new { circleId, personIds, fromUtc, toUtc }, cancellationToken: ct)))
        .ToLookup(r => r.PersonId, r => new BusyBlock(r.StartsAt, r.EndsAt));

    public static Task<long> InsertSeriesAsync(DbConnection conn, DbTransaction tx, long circleId, SeriesSpec spec, long createdBy, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.session_series (circle_id, cadence, first_date, local_start, length_minutes, time_zone, count, until_date, created_by)
            VALUES (@circleId, @cadence, CAST(@firstDate AS date), CAST(@localStart AS time), @LengthMinutes, @HomeTimeZoneId, @Count, CAST(@until AS date), @createdBy)
            RETURNING id
            """, new
        {
            circleId,
            cadence = spec.Cadence.ToString().ToLowerInvariant(),
            firstDate = ScheduleText.Date(spec.FirstDate),
            localStart = spec.LocalStart.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            spec.LengthMinutes,
            spec.HomeTimeZoneId,
            spec.Count,
            until = spec.Until is { } u ? ScheduleText.Date(u) : null,
            createdBy,
        }, tx, cancellationToken: ct));

    public static Task<long> InsertOccurrenceAsync(DbConnection conn, DbTransaction tx, long circleId, long seriesId, string title,
        SeriesOccurrence o, long createdBy, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.session (circle_id, title, starts_at, ends_at, status, created_by, series_id, occurrence)
            VALUES (@circleId, @title, @StartUtc, @EndUtc, 'scheduled', @createdBy, @seriesId, @Number) RETURNING id
            """, new { circleId, title, o.StartUtc, o.EndUtc, createdBy, seriesId, o.Number }, tx, cancellationToken: ct));

    public static Task<SessionFacts?> SessionAsync(DbConnection conn, DbTransaction? tx, long sessionId, bool forUpdate, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<SessionFacts?>(new CommandDefinition($"""
            SELECT id, circle_id, status, starts_at, ends_at, occurrence, series_id, sequence
            FROM mentor.session WHERE id = @sessionId {(forUpdate ? "FOR UPDATE" : "")}
            """, new { sessionId }, tx, cancellationToken: ct));

    public static Task MoveAsync(DbConnection conn, DbTransaction tx, long sessionId, DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.session SET starts_at = @startsAt, ends_at = @endsAt, sequence = sequence + 1, updated_at = @now WHERE id = @sessionId
            """, new { sessionId, startsAt, endsAt, now }, tx, cancellationToken: ct));

    public static Task CancelAsync(DbConnection conn, DbTransaction tx, long sessionId, string reason, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.session SET status = 'cancelled', cancelled_reason = @reason, sequence = sequence + 1, updated_at = @now WHERE id = @sessionId
            """, new { sessionId, reason, now }, tx, cancellationToken: ct));

    public static Task UpsertRsvpAsync(DbConnection conn, DbTransaction tx, long sessionId, long personId, string answer, string note, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.rsvp (session_id, person_id, answer, note, updated_at) VALUES (@sessionId, @personId, @answer, @note, @now)
            ON CONFLICT (session_id, person_id) DO UPDATE SET answer = excluded.answer, note = excluded.note, updated_at = excluded.updated_at
            """, new { sessionId, personId, answer, note, now }, tx, cancellationToken: ct));

    /// <summary>Answers of the circle's current members to these sessions, with names (callers decide who may see them).</summary>
    public static async Task<IReadOnlyList<(long SessionId, long PersonId, string Name, string Answer, string Note)>> RsvpsAsync(
        DbConnection conn, long circleId, long[] sessionIds, CancellationToken ct) =>
        (await conn.QueryAsync<(long SessionId, long PersonId, string Name, string Answer, string Note)>(new CommandDefinition("""
            SELECT r.session_id, r.person_id, p.display_name, r.answer, r.note
            FROM mentor.rsvp r
            JOIN mentor.membership m ON m.person_id = r.person_id AND m.circle_id = @circleId AND m.left_at IS NULL
            JOIN mentor.person p ON p.id = r.person_id
            WHERE r.session_id = ANY(@sessionIds)
            ORDER BY p.display_name, p.id
            """, new { circleId, sessionIds }, cancellationToken: ct))).AsList();

    /// <summary>The circle's series (newest first) and the sessions still to come or just passed, with RSVP counts from current members.</summary>
    public static async Task<(IReadOnlyList<SeriesRow> Series, IReadOnlyList<OccurrenceRow> Sessions)> ScheduleAsync(
        DbConnection conn, long circleId, DateTimeOffset since, CancellationToken ct)
    {
        var series = (await conn.QueryAsync<SeriesRow>(new CommandDefinition("""
            SELECT id, cadence, first_date::timestamp AS first_date, extract(epoch FROM local_start)::int AS local_start_seconds, length_minutes, time_zone, count, until_date::timestamp AS until_date
            FROM mentor.session_series WHERE circle_id = @circleId ORDER BY created_at DESC, id DESC
            """, new { circleId }, cancellationToken: ct))).AsList();
        var sessions = (await conn.QueryAsync<OccurrenceRow>(new CommandDefinition("""
            SELECT s.id, s.series_id, s.occurrence, s.starts_at, s.ends_at, s.status, s.cancelled_reason, s.sequence,
                   count(*) FILTER (WHERE r.answer = 'yes')::int AS yes,
                   count(*) FILTER (WHERE r.answer = 'no')::int AS no,
                   count(*) FILTER (WHERE r.answer = 'maybe')::int AS maybe
            FROM mentor.session s
            LEFT JOIN mentor.rsvp r ON r.session_id = s.id
                 AND EXISTS (SELECT 1 FROM mentor.membership m WHERE m.circle_id = s.circle_id AND m.person_id = r.person_id AND m.left_at IS NULL)
            WHERE s.circle_id = @circleId AND (s.series_id IS NOT NULL OR s.ends_at > @since)
            GROUP BY s.id
            ORDER BY s.starts_at, s.id
            LIMIT 1000
            """, new { circleId, since }, cancellationToken: ct))).AsList();
        return (series, sessions);
    }
}
