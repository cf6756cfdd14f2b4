using System.Data.Common;
using System.Text.Json;
using Dapper;
using MentorCircles.Core.Scheduling;
using Npgsql;

namespace MentorCircles.Core.Conflicts;

/// <summary>What reconciling changed: conflicts newly opened and open ones closed because they no longer hold.</summary>
public sealed record ConflictRunResult(int Opened, int Closed, int Open);

/// <summary>SQL for conflicts: loading what the rules need, and reconciling detected conflicts with the open rows.</summary>
public sealed partial class ConflictStore(NpgsqlDataSource db)
{
    // Namespace of the per-program advisory lock (pg_advisory_xact_lock(int, int)): "CF" in ASCII.
    private const int LockSpace = 0x4346;

    public NpgsqlDataSource DataSource => db;

    public static Task LockProgramAsync(DbConnection conn, DbTransaction tx, long programId, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@LockSpace, @programId::int)", new { LockSpace, programId }, tx, cancellationToken: ct));

    private sealed record SessionRow(long Id, long CircleId, string TimeZone, int? Quorum, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Status, long? LeadPersonId);

    /// <summary>
    /// Loads the program's upcoming sessions (all of them, or, with <paramref name="people"/>, only those of circles the
    /// given people belong to or lead) with memberships, RSVPs, agreements, availability and blackout dates.
    /// </summary>
    public static async Task<ConflictInput> LoadAsync(DbConnection conn, DbTransaction? tx, long programId, long[]? people, DateTimeOffset now, CancellationToken ct)
    {
        var sessions = (await conn.QueryAsync<SessionRow>(new CommandDefinition("""
            SELECT s.id, s.circle_id, c.time_zone, c.quorum, s.starts_at, s.ends_at, s.status, s.lead_person_id
            FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id
            WHERE c.program_id = @programId AND s.status NOT IN ('cancelled', 'completed') AND s.ends_at > @now
              AND (@people::bigint[] IS NULL
                   OR s.lead_person_id = ANY(@people)
                   OR s.circle_id IN (SELECT circle_id FROM mentor.membership WHERE person_id = ANY(@people) AND left_at IS NULL))
            """, new { programId, now, people }, tx, cancellationToken: ct))).AsList();
        var circleIds = sessions.Select(s => s.CircleId).Distinct().ToArray();
        var sessionIds = sessions.Select(s => s.Id).ToArray();

        var members = (await conn.QueryAsync<(long CircleId, long PersonId, string Role)>(new CommandDefinition("""
            SELECT circle_id, person_id, role FROM mentor.membership WHERE circle_id = ANY(@circleIds) AND left_at IS NULL
            """, new { circleIds }, tx, cancellationToken: ct))).ToLookup(m => m.CircleId);
        var rsvps = (await conn.QueryAsync<(long SessionId, long PersonId, string Answer)>(new CommandDefinition("""
            SELECT session_id, person_id, answer FROM mentor.rsvp WHERE session_id = ANY(@sessionIds)
            """, new { sessionIds }, tx, cancellationToken: ct))).ToLookup(r => r.SessionId);
        // The current version per circle; a circle with no agreement gets no row and is not checked.
        var agreements = (await conn.QueryAsync<(long CircleId, long? PersonId)>(new CommandDefinition("""
            SELECT v.circle_id, a.person_id
            FROM (SELECT DISTINCT ON (circle_id) id, circle_id FROM mentor.agreement_version
                  WHERE circle_id = ANY(@circleIds) ORDER BY circle_id, version DESC) v
            LEFT JOIN mentor.agreement_acceptance a ON a.agreement_version_id = v.id
            """, new { circleIds }, tx, cancellationToken: ct))).ToLookup(a => a.CircleId);

        var personIds = members.SelectMany(g => g.Select(m => m.PersonId)).Concat(sessions.Where(s => s.LeadPersonId is not null).Select(s => s.LeadPersonId!.Value)).Distinct().ToArray();
        var horizon = sessions.Count == 0 ? now : sessions.Max(s => s.EndsAt);
        var availability = await LoadAvailabilityAsync(conn, tx, personIds, now, horizon, ct);
        var blackout = await LoadBlackoutsAsync(conn, tx, programId, ct);

        var list = sessions.Select(s =>
        {
            var circle = members[s.CircleId].ToList();
            var leads = s.LeadPersonId is { } lead ? [lead]
                : circle.Where(m => m.Role is "facilitator" or "mentor").Select(m => m.PersonId).ToList();
            // A handed-over session no longer needs the circle's own leads.
            var others = circle.Where(m => m.Role is not ("facilitator" or "mentor")).Select(m => m.PersonId).Where(p => !leads.Contains(p)).ToList();
            var accepted = agreements.Contains(s.CircleId)
                ? agreements[s.CircleId].Where(a => a.PersonId is not null).Select(a => a.PersonId!.Value).ToHashSet() : null;
            return new ConflictSession(s.Id, s.CircleId, s.TimeZone, s.StartsAt, s.EndsAt, s.Status, leads, others,
                rsvps[s.Id].ToDictionary(r => r.PersonId, r => r.Answer), accepted) { Quorum = s.Quorum };
        }).ToList();
        return new ConflictInput(list, availability, blackout, now);
    }

    /// <summary>
    /// People's availability as the slot finder reads it: zone, weekly windows, away periods and busy blocks from
    /// <paramref name="from"/> to <paramref name="horizon"/>. One query per kind, whatever the number of people.
    /// </summary>
    public static async Task<Dictionary<long, PersonAvailability>> LoadAvailabilityAsync(DbConnection conn, DbTransaction? tx, long[] personIds,
        DateTimeOffset from, DateTimeOffset horizon, CancellationToken ct)
    {
        var now = from;
        var zones = (await conn.QueryAsync<(long Id, string TimeZone, string Name)>(new CommandDefinition(
            "SELECT id, time_zone, display_name FROM mentor.person WHERE id = ANY(@personIds)", new { personIds }, tx, cancellationToken: ct))).ToList();
        var windows = (await conn.QueryAsync<(long PersonId, short Day, int StartSec, int EndSec)>(new CommandDefinition("""
            SELECT person_id, day, extract(epoch FROM start_time)::int, extract(epoch FROM end_time)::int
            FROM mentor.availability_window WHERE person_id = ANY(@personIds)
            """, new { personIds }, tx, cancellationToken: ct))).ToLookup(w => w.PersonId);
        var away = (await conn.QueryAsync<(long PersonId, DateTime From, DateTime To)>(new CommandDefinition("""
            SELECT person_id, from_date::timestamp, to_date::timestamp FROM mentor.availability_away
            WHERE person_id = ANY(@personIds) AND to_date >= (@now::timestamptz - interval '2 days')::date
            """, new { personIds, now }, tx, cancellationToken: ct))).ToLookup(a => a.PersonId);
        var busy = (await conn.QueryAsync<(long PersonId, DateTimeOffset Start, DateTimeOffset End)>(new CommandDefinition("""
            SELECT person_id, greatest(coalesce(lower(during), @now), @now - interval '1 day'), least(coalesce(upper(during), @horizon), @horizon + interval '1 day')
            FROM mentor.busy_block WHERE person_id = ANY(@personIds) AND during && tstzrange(@now, @horizon)
            """, new { personIds, now, horizon }, tx, cancellationToken: ct))).ToLookup(b => b.PersonId);

        return zones.ToDictionary(z => z.Id, z => new PersonAvailability(z.Id, z.TimeZone, false,
            windows[z.Id].Select(w => new WeeklyWindow((DayOfWeek)w.Day, TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(w.StartSec)), TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(w.EndSec)))).ToList(),
            away[z.Id].Select(a => new AwayPeriod(DateOnly.FromDateTime(a.From), DateOnly.FromDateTime(a.To))).ToList(),
            busy[z.Id].Select(b => new BusyBlock(b.Start, b.End)).ToList()) { Name = z.Name });
    }

    /// <summary>The program's blackout dates.</summary>
    public static async Task<HashSet<DateOnly>> LoadBlackoutsAsync(DbConnection conn, DbTransaction? tx, long programId, CancellationToken ct) =>
        (await conn.QueryAsync<DateTime>(new CommandDefinition(
            "SELECT day::timestamp FROM mentor.program_blackout WHERE program_id = @programId", new { programId }, tx, cancellationToken: ct)))
            .Select(DateOnly.FromDateTime).ToHashSet();

    /// <summary>
    /// Makes the open conflicts in scope equal to <paramref name="detected"/>: inserts the new ones (never a second open
    /// row for a key) and closes open ones no longer found. Resolved and closed rows are history and are left alone.
    /// </summary>
    public static async Task<ConflictRunResult> ReconcileAsync(DbConnection conn, DbTransaction tx, long programId,
        IReadOnlyList<DetectedConflict> detected, Func<OpenConflict, bool> inScope, DateTimeOffset now, CancellationToken ct)
    {
        var open = (await conn.QueryAsync<OpenConflict>(new CommandDefinition("""
            SELECT id, kind, key, person_ids, session_ids FROM mentor.conflict WHERE program_id = @programId AND status = 'open'
            """, new { programId }, tx, cancellationToken: ct))).Where(inScope).ToList();
        var openKeys = open.Select(o => o.Key).ToHashSet();
        var found = detected.Select(d => d.Key).ToHashSet();

        // One statement for all new rows (a first scan of a large program opens thousands): the rows travel as one JSON
        // array, and jsonb_to_recordset turns its nested arrays into bigint[].
        var toInsert = detected.Where(d => !openKeys.Contains(d.Key)).Select(d => new
        {
            kind = d.Kind, key = d.Key, session_id = d.SessionId, person_ids = d.PersonIds, session_ids = d.SessionIds,
            detail = new { text = d.Detail },
        }).ToList();
        var opened = toInsert.Count == 0 ? 0 : await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.conflict (program_id, kind, key, session_id, person_ids, session_ids, detail, detected_at)
            SELECT @programId, r.kind, r.key, r.session_id, r.person_ids, r.session_ids, r.detail, @now
            FROM jsonb_to_recordset(@rows::jsonb) AS r(kind text, key text, session_id bigint, person_ids bigint[], session_ids bigint[], detail jsonb)
            ON CONFLICT (program_id, key) WHERE status = 'open' DO NOTHING
            """, new { programId, now, rows = JsonSerializer.Serialize(toInsert) }, tx, cancellationToken: ct));

        var toClose = open.Where(o => !found.Contains(o.Key)).Select(o => o.Id).ToArray();
        var closed = toClose.Length == 0 ? 0 : await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.conflict SET status = 'closed', closed_at = @now WHERE id = ANY(@toClose) AND status = 'open'
            """, new { toClose, now }, tx, cancellationToken: ct));
        return new ConflictRunResult(opened, closed, open.Count + opened - closed);
    }
}

// Properties rather than a positional constructor: Dapper reports bigint[] columns as System.Array when matching constructors.
public sealed record OpenConflict
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Key { get; init; } = "";
    public long[] PersonIds { get; init; } = [];
    public long[] SessionIds { get; init; } = [];
}
