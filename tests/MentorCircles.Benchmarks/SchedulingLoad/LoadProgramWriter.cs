using System.Diagnostics;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>The database ids of a written program, by the generator's indexes.</summary>
internal sealed record LoadIds(long ProgramId, long CoordinatorId, long[] People, long[] Circles, long[][] Sessions);

/// <summary>
/// Writes a <see cref="LoadProgram"/> into the real schema with binary COPY, all in one transaction, reading generated
/// ids back by natural keys (email, circle name, circle and occurrence); then VACUUM ANALYZE, as autovacuum would in time.
/// </summary>
internal static class LoadProgramWriter
{
    public static async Task<LoadIds> WriteAsync(NpgsqlDataSource db, LoadProgram g, Action<string> log)
    {
        var sw = Stopwatch.StartNew();
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();

        var programId = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO mentor.program (name, time_zone, term_start, term_end)
            VALUES ('Scheduling load', @zone, @first, @last) RETURNING id
            """, new { zone = LoadProgram.ProgramZone, first = LoadProgram.FirstDay, last = g.LastDay }, tx);

        await CopyAsync(conn, "COPY mentor.person (email, display_name, time_zone) FROM STDIN (FORMAT BINARY)", g.People, async (w, p) =>
        {
            await w.WriteAsync(p.Email, NpgsqlDbType.Text);
            await w.WriteAsync(p.Name, NpgsqlDbType.Text);
            await w.WriteAsync(p.Zone, NpgsqlDbType.Text);
        });
        var byEmail = (await conn.QueryAsync<(long Id, string Email)>("SELECT id, email FROM mentor.person", transaction: tx)).ToDictionary(x => x.Email, x => x.Id);
        var people = g.People.Select(p => byEmail[p.Email]).ToArray();

        await CopyAsync(conn, "COPY mentor.program_person (program_id, person_id, role) FROM STDIN (FORMAT BINARY)", g.People, async (w, p) =>
        {
            await w.WriteAsync(programId, NpgsqlDbType.Bigint);
            await w.WriteAsync(people[p.Index], NpgsqlDbType.Bigint);
            await w.WriteAsync(p.Index == 0 ? "coordinator" : "participant", NpgsqlDbType.Text);
        });

        await CopyAsync(conn, """
            COPY mentor.circle (program_id, name, format, modality, meeting_place, time_zone, cadence, session_minutes, min_size, max_size, quorum)
            FROM STDIN (FORMAT BINARY)
            """, g.Circles, async (w, c) =>
        {
            await w.WriteAsync(programId, NpgsqlDbType.Bigint);
            await w.WriteAsync(c.Name, NpgsqlDbType.Text);
            await w.WriteAsync(c.Format, NpgsqlDbType.Text);
            var inPerson = c.Index % 5 == 0;
            await w.WriteAsync(inPerson ? "in_person" : "distance", NpgsqlDbType.Text);
            await w.WriteAsync(inPerson ? $"Room {c.Index % 40 + 1}, Learning Centre" : $"https://meet.example.org/circle-{c.Index + 1:000}", NpgsqlDbType.Text);
            await w.WriteAsync(c.Zone, NpgsqlDbType.Text);
            await w.WriteAsync("weekly", NpgsqlDbType.Text);
            await w.WriteAsync(c.Minutes, NpgsqlDbType.Integer);
            await w.WriteAsync(2, NpgsqlDbType.Integer);
            await w.WriteAsync(12, NpgsqlDbType.Integer);
            if (c.Quorum is { } q) await w.WriteAsync(q, NpgsqlDbType.Integer); else await w.WriteNullAsync();
        });
        var byName = (await conn.QueryAsync<(long Id, string Name)>("SELECT id, name FROM mentor.circle WHERE program_id = @programId", new { programId }, tx))
            .ToDictionary(x => x.Name, x => x.Id);
        var circles = g.Circles.Select(c => byName[c.Name]).ToArray();

        await CopyAsync(conn, "COPY mentor.membership (circle_id, person_id, role) FROM STDIN (FORMAT BINARY)",
            g.Circles.SelectMany(c => c.Members.Select(m => (c, m))), async (w, x) =>
        {
            await w.WriteAsync(circles[x.c.Index], NpgsqlDbType.Bigint);
            await w.WriteAsync(people[x.m.Person], NpgsqlDbType.Bigint);
            await w.WriteAsync(x.m.Role, NpgsqlDbType.Text);
        });

        await CopyAsync(conn, "COPY mentor.agreement_version (circle_id, version, body, reason) FROM STDIN (FORMAT BINARY)",
            g.Circles.SelectMany(c => Enumerable.Range(1, c.AgreementVersion).Select(v => (c, v))), async (w, x) =>
        {
            await w.WriteAsync(circles[x.c.Index], NpgsqlDbType.Bigint);
            await w.WriteAsync(x.v, NpgsqlDbType.Integer);
            await w.WriteAsync(x.v == 1 ? "What is said in the circle stays in the circle." : "What is said in the circle stays in the circle, with our new member.", NpgsqlDbType.Text);
            await w.WriteAsync(x.v == 1 ? "created" : "member_joined", NpgsqlDbType.Text);
        });
        var versions = (await conn.QueryAsync<(long Id, long CircleId, int Version)>("""
            SELECT v.id, v.circle_id, v.version FROM mentor.agreement_version v JOIN mentor.circle c ON c.id = v.circle_id WHERE c.program_id = @programId
            """, new { programId }, tx)).ToDictionary(x => (x.CircleId, x.Version), x => x.Id);
        await CopyAsync(conn, "COPY mentor.agreement_acceptance (agreement_version_id, person_id, signed_name) FROM STDIN (FORMAT BINARY)", g.Acceptances, async (w, a) =>
        {
            await w.WriteAsync(versions[(circles[a.Circle], a.Version)], NpgsqlDbType.Bigint);
            await w.WriteAsync(people[a.Person], NpgsqlDbType.Bigint);
            await w.WriteAsync(g.People[a.Person].Name, NpgsqlDbType.Text);
        });

        await CopyAsync(conn, """
            COPY mentor.session_series (circle_id, cadence, first_date, local_start, length_minutes, time_zone, count, created_by)
            FROM STDIN (FORMAT BINARY)
            """, g.Circles, async (w, c) =>
        {
            await w.WriteAsync(circles[c.Index], NpgsqlDbType.Bigint);
            await w.WriteAsync("weekly", NpgsqlDbType.Text);
            await w.WriteAsync(LoadProgram.FirstDay.AddDays((int)c.Day - 1), NpgsqlDbType.Date);
            await w.WriteAsync(c.LocalStart, NpgsqlDbType.Time);
            await w.WriteAsync(c.Minutes, NpgsqlDbType.Integer);
            await w.WriteAsync(c.Zone, NpgsqlDbType.Text);
            await w.WriteAsync(g.Weeks, NpgsqlDbType.Integer);
            await w.WriteAsync(people[0], NpgsqlDbType.Bigint);
        });
        var series = (await conn.QueryAsync<(long Id, long CircleId)>("""
            SELECT s.id, s.circle_id FROM mentor.session_series s JOIN mentor.circle c ON c.id = s.circle_id WHERE c.program_id = @programId
            """, new { programId }, tx)).ToDictionary(x => x.CircleId, x => x.Id);

        await CopyAsync(conn, """
            COPY mentor.session (circle_id, title, starts_at, ends_at, status, series_id, occurrence, cancelled_reason, created_by)
            FROM STDIN (FORMAT BINARY)
            """, g.Circles.SelectMany(c => c.Sessions), async (w, s) =>
        {
            var circleId = circles[s.Circle];
            await w.WriteAsync(circleId, NpgsqlDbType.Bigint);
            await w.WriteAsync("", NpgsqlDbType.Text);
            await w.WriteAsync(s.StartUtc, NpgsqlDbType.TimestampTz);
            await w.WriteAsync(s.EndUtc, NpgsqlDbType.TimestampTz);
            await w.WriteAsync(s.Cancelled ? "cancelled" : "scheduled", NpgsqlDbType.Text);
            await w.WriteAsync(series[circleId], NpgsqlDbType.Bigint);
            await w.WriteAsync(s.Occurrence, NpgsqlDbType.Integer);
            if (s.Cancelled) await w.WriteAsync("The facilitator is at a conference.", NpgsqlDbType.Text); else await w.WriteNullAsync();
            await w.WriteAsync(people[0], NpgsqlDbType.Bigint);
        });
        var sessionIds = (await conn.QueryAsync<(long Id, long CircleId, int Occurrence)>("""
            SELECT s.id, s.circle_id, s.occurrence FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id WHERE c.program_id = @programId
            """, new { programId }, tx)).ToDictionary(x => (x.CircleId, x.Occurrence), x => x.Id);
        var sessions = g.Circles.Select(c => c.Sessions.Select(s => sessionIds[(circles[c.Index], s.Occurrence)]).ToArray()).ToArray();

        await CopyAsync(conn, "COPY mentor.rsvp (session_id, person_id, answer) FROM STDIN (FORMAT BINARY)", g.Rsvps, async (w, r) =>
        {
            await w.WriteAsync(sessions[r.Circle][r.Occurrence - 1], NpgsqlDbType.Bigint);
            await w.WriteAsync(people[r.Person], NpgsqlDbType.Bigint);
            await w.WriteAsync(r.Answer, NpgsqlDbType.Text);
        });

        await CopyAsync(conn, "COPY mentor.availability_window (person_id, day, start_time, end_time) FROM STDIN (FORMAT BINARY)",
            g.People.SelectMany(p => g.Windows[p.Index].Rows().Select(r => (p.Index, r.Day, r.Start, r.End))), async (w, x) =>
        {
            await w.WriteAsync(people[x.Index], NpgsqlDbType.Bigint);
            await w.WriteAsync((short)x.Day, NpgsqlDbType.Smallint);
            await w.WriteAsync(x.Start, NpgsqlDbType.Time);
            await w.WriteAsync(x.End, NpgsqlDbType.Time);
        });
        await CopyAsync(conn, "COPY mentor.availability_away (person_id, from_date, to_date, note) FROM STDIN (FORMAT BINARY)", g.Away, async (w, a) =>
        {
            await w.WriteAsync(people[a.Person], NpgsqlDbType.Bigint);
            await w.WriteAsync(a.From, NpgsqlDbType.Date);
            await w.WriteAsync(a.To, NpgsqlDbType.Date);
            await w.WriteAsync("Away", NpgsqlDbType.Text);
        });
        await CopyAsync(conn, "COPY mentor.busy_block (person_id, during, source, label) FROM STDIN (FORMAT BINARY)", g.Busy, async (w, b) =>
        {
            await w.WriteAsync(people[b.Person], NpgsqlDbType.Bigint);
            await w.WriteAsync(new NpgsqlRange<DateTime>(b.StartUtc, true, b.EndUtc, false), NpgsqlDbType.TimestampTzRange);
            await w.WriteAsync("manual", NpgsqlDbType.Text);
            await w.WriteAsync(b.Label, NpgsqlDbType.Text);
        });
        await conn.ExecuteAsync("INSERT INTO mentor.program_blackout (program_id, day, label) VALUES (@programId, @day, 'Spring holiday')",
            new { programId, day = g.Blackout }, tx);

        await tx.CommitAsync();
        log($"  written in {sw.Elapsed.TotalSeconds:0.0} s (binary COPY, one transaction)");
        sw.Restart();
        await conn.ExecuteAsync("VACUUM ANALYZE");
        log($"  VACUUM ANALYZE in {sw.Elapsed.TotalSeconds:0.0} s");
        return new LoadIds(programId, people[0], people, circles, sessions);
    }

    private static async Task CopyAsync<T>(NpgsqlConnection conn, string copy, IEnumerable<T> rows, Func<NpgsqlBinaryImporter, T, Task> write)
    {
        await using var importer = await conn.BeginBinaryImportAsync(copy);
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            await write(importer, row);
        }
        await importer.CompleteAsync();
    }
}
