using Dapper;
using MentorCircles.Core.Accounts;
using MentorCircles.Core.Agreements;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MentorCircles.Core.Demo;

/// <summary>
/// Seeds the demo program once, in local mode only: "Junior Faculty Mentoring" with a coordinator and
/// three circles, one per seed model (group; facilitated peer; distance one-to-one), people in five time zones.
/// Each circle has version 1 of its confidentiality agreement, accepted by every member but two, who meet the gate first.
/// </summary>
public sealed class DemoSeeder(NpgsqlDataSource db, TimeProvider clock, ILogger<DemoSeeder> log)
{
    public const string CoordinatorEmail = "coordinator@example.org";
    public const string Password = "circles-demo-2026";

    private sealed record Person(string Key, string Name, string Email, string TimeZone);

    /// <summary>Members who have not accepted their circle's agreement yet, so the demo shows the gate.</summary>
    public static readonly IReadOnlySet<string> NotYetAccepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "priya.raman@example.org", "grace.thompson@example.org", "elena.petrova@example.org",
    };

    /// <summary>Objectives some peers share, so the live room's objective round has something to report on.</summary>
    private static readonly (string Key, string Circle, string Title, string Visibility)[] objectives =
    [
        ("p1", "Research Writing Peer Circle", "Finish the methods chapter", "circle"),
        ("p2", "Research Writing Peer Circle", "Submit the review paper to a journal", "facilitators"),
    ];

    private static readonly Person[] people =
    [
        new("coord", "Dana Whitfield", CoordinatorEmail, "America/New_York"),
        // Group circle: 2 mentors, 6 mentees.
        new("m1", "Prof. Amara Okafor", "amara.okafor@example.org", "America/New_York"),
        new("m2", "Dr. Lucas Bergström", "lucas.bergstrom@example.org", "Europe/Stockholm"),
        new("e1", "Priya Raman", "priya.raman@example.org", "America/Chicago"),
        new("e2", "Tomás Herrera", "tomas.herrera@example.org", "America/New_York"),
        new("e3", "Mei Lin", "mei.lin@example.org", "America/Los_Angeles"),
        new("e4", "Jonah Weiss", "jonah.weiss@example.org", "America/New_York"),
        new("e5", "Fatima Zahra", "fatima.zahra@example.org", "Europe/London"),
        new("e6", "Sam Okonkwo", "sam.okonkwo@example.org", "America/Denver"),
        // Facilitated peer circle: 1 facilitator, 7 peers.
        new("f1", "Dr. Helen Carter", "helen.carter@example.org", "Europe/London"),
        new("p1", "Aisha Bello", "aisha.bello@example.org", "Europe/London"),
        new("p2", "Marco Rossi", "marco.rossi@example.org", "Europe/Rome"),
        new("p3", "Ingrid Larsen", "ingrid.larsen@example.org", "Europe/Oslo"),
        new("p4", "Kwame Mensah", "kwame.mensah@example.org", "Africa/Accra"),
        new("p5", "Sofia Nowak", "sofia.nowak@example.org", "Europe/Warsaw"),
        new("p6", "Daniel Cohen", "daniel.cohen@example.org", "Asia/Jerusalem"),
        new("p7", "Elena Petrova", "elena.petrova@example.org", "Europe/Berlin"),
        // Distance one-to-one: mentor and mentee far apart.
        new("d1", "Prof. Rahul Mehta", "rahul.mehta@example.org", "Asia/Kolkata"),
        new("d2", "Grace Thompson", "grace.thompson@example.org", "America/Los_Angeles"),
    ];

    /// <returns>True when this call seeded; false when the demo data was already there.</returns>
    public async Task<bool> SeedAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var claimed = await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO mentor.demo_seed (id) VALUES (1) ON CONFLICT DO NOTHING", transaction: tx, cancellationToken: ct));
        if (claimed == 0) return false;

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var programId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.program (name, time_zone, term_start, term_end)
            VALUES ('Junior Faculty Mentoring', 'America/New_York', @start, @end) RETURNING id
            """, new { start = today, end = today.AddDays(12 * 7 - 1) }, tx, cancellationToken: ct));

        var hash = AccountService.HashPassword(Password);
        var ids = new Dictionary<string, long>();
        foreach (var p in people)
        {
            ids[p.Key] = await AccountStore.InsertPersonAsync(conn, tx, p.Email, p.Name, p.TimeZone, hash, ct);
            await AccountStore.AddToProgramAsync(conn, tx, programId, ids[p.Key], p.Key == "coord" ? "coordinator" : "participant", ct);
        }

        var circleIds = new Dictionary<string, long>();
        async Task Circle(string name, string purpose, string format, string modality, string place, string fallback, string tz,
            string cadence, int minutes, int min, int max, params (string Key, string Role, string? Stage)[] members)
        {
            // Group and peer circles ask everyone to accept again when someone joins (the 0002 default for existing rows).
            var reaccept = format != "one_to_one";
            var circleId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO mentor.circle (program_id, name, purpose, format, modality, meeting_place, meeting_fallback, time_zone,
                                           cadence, session_minutes, min_size, max_size, reaccept_on_join)
                VALUES (@programId, @name, @purpose, @format, @modality, @place, @fallback, @tz, @cadence, @minutes, @min, @max, @reaccept)
                RETURNING id
                """, new { programId, name, purpose, format, modality, place, fallback, tz, cadence, minutes, min, max, reaccept }, tx, cancellationToken: ct));
            circleIds[name] = circleId;
            foreach (var (key, role, stage) in members)
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO mentor.membership (circle_id, person_id, role, stage) VALUES (@circleId, @personId, @role, @stage)
                    """, new { circleId, personId = ids[key], role, stage }, tx, cancellationToken: ct));
            }

            await AgreementStore.CreateVersionAsync(conn, tx, circleId, ids["coord"],
                AgreementTemplates.Text(AgreementTemplates.KeyFor(format)), AgreementReasons.Created, new { demo = true }, ct);
            var version = await AgreementStore.CurrentAsync(conn, tx, circleId, ct);
            foreach (var (key, _, _) in members)
            {
                var person = people.Single(p => p.Key == key);
                if (NotYetAccepted.Contains(person.Email)) continue;
                await AgreementStore.RecordAcceptanceAsync(conn, tx, circleId, version!.Id, version.Version, ids[key], person.Name, ct);
            }
        }

        await Circle("New Faculty Launch Group",
            "Two senior mentors and six new assistant professors work through the first-year essentials: teaching load, first grant, tenure file.",
            "group", "hybrid", "Library room 204 and https://meet.example.org/launch-group", "Dial-in +1 555 0100, code 4411",
            "America/New_York", "weekly", 60, 5, 10,
            ("m1", "mentor", null), ("m2", "mentor", null),
            ("e1", "mentee", null), ("e2", "mentee", null), ("e3", "mentee", null),
            ("e4", "mentee", null), ("e5", "mentee", null), ("e6", "mentee", null));

        await Circle("Research Writing Peer Circle",
            "Early-career researchers read and critique each other's drafts, with a facilitator keeping turns and time fair.",
            "facilitated_peer", "distance", "https://meet.example.org/writing-circle", "Dial-in +44 20 7946 0000, code 7720",
            "Europe/London", "fortnightly", 75, 4, 9,
            ("f1", "facilitator", null),
            ("p1", "peer", null), ("p2", "peer", null), ("p3", "peer", null), ("p4", "peer", null),
            ("p5", "peer", null), ("p6", "peer", null), ("p7", "peer", null));

        await Circle("Teaching Portfolio Pair",
            "A distance pairing across time zones on building a teaching portfolio; they met once in person at the spring conference.",
            "one_to_one", "distance", "https://meet.example.org/portfolio-pair", "Phone: the mentee calls the mentor's office line",
            "America/Los_Angeles", "monthly", 45, 2, 2,
            ("d1", "mentor", null), ("d2", "mentee", null));

        foreach (var (key, circle, title, visibility) in objectives)
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO mentor.objective (circle_id, person_id, title, visibility) VALUES (@circleId, @personId, @title, @visibility)
                """, new { circleId = circleIds[circle], personId = ids[key], title, visibility }, tx, cancellationToken: ct));

        await tx.CommitAsync(ct);
        log.LogInformation("Seeded the demo program 'Junior Faculty Mentoring' ({People} people, 3 circles)", people.Length);
        return true;
    }
}
