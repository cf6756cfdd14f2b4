using Dapper;
using Npgsql;

namespace MentorCircles.IntegrationTests.Objectives;

/// <summary>Agreement rows written with plain SQL, so objective tests pass the circle's content gate without the agreements service.</summary>
public static class ObjectiveGiven
{
    /// <summary>Makes sure the circle has a current agreement version and records each person's acceptance of it.</summary>
    public static async Task AgreementAcceptedByAsync(NpgsqlDataSource db, long circleId, params long[] personIds)
    {
        await using var conn = await db.OpenConnectionAsync();
        var versionId = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM mentor.agreement_version WHERE circle_id = @circleId ORDER BY version DESC LIMIT 1", new { circleId }))
            ?? await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO mentor.agreement_version (circle_id, version, body, reason)
                VALUES (@circleId, 1, 'What is said in the circle stays in the circle.', 'created') RETURNING id
                """, new { circleId }));
        foreach (var personId in personIds)
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO mentor.agreement_acceptance (agreement_version_id, person_id, signed_name)
                SELECT @versionId, @personId, display_name FROM mentor.person WHERE id = @personId
                """, new { versionId, personId }));
    }
}
