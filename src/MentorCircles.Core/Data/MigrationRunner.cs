using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MentorCircles.Core.Data;

public sealed record Migration(string Name, string Sql);

/// <summary>
/// Applies the numbered, forward-only scripts of the top-level sql/ folder (embedded in this assembly)
/// in name order, each in its own transaction, and records each in mentor.schema_migration.
/// An advisory lock makes two app nodes starting at once apply each script once.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource db, ILogger<MigrationRunner> log)
{
    // Arbitrary but fixed: the advisory lock key that serialises migration runs.
    private const long LockKey = 0x4d43_4d49_4752; // "MCMIGR"

    public static IReadOnlyList<Migration> Embedded()
    {
        var asm = typeof(MigrationRunner).Assembly;
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith("sql/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new Migration(n["sql/".Length..], Read(asm, n)))
            .ToList();
    }

    private static string Read(Assembly asm, string name)
    {
        using var stream = asm.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <returns>The names of the scripts applied by this run (empty when the database was up to date).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        var applied = new List<string>();
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockKey)", new { LockKey }, cancellationToken: ct));
        try
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                CREATE SCHEMA IF NOT EXISTS mentor;
                CREATE TABLE IF NOT EXISTS mentor.schema_migration (
                    name       text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, cancellationToken: ct));
            var done = (await conn.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM mentor.schema_migration", cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);

            foreach (var m in Embedded())
            {
                if (done.Contains(m.Name)) continue;
                await using var tx = await conn.BeginTransactionAsync(ct);
                try
                {
                    await conn.ExecuteAsync(new CommandDefinition(m.Sql, transaction: tx, cancellationToken: ct, commandTimeout: 600));
                    await conn.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO mentor.schema_migration (name) VALUES (@Name)", new { m.Name }, tx, cancellationToken: ct));
                    await tx.CommitAsync(ct);
                }
                catch (Exception ex)
                {
                    throw new InvalidOperationException($"Migration {m.Name} failed and was rolled back: {ex.Message}", ex);
                }
                log.LogInformation("Applied migration {Name}", m.Name);
                applied.Add(m.Name);
            }
        }
        finally
        {
            await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@LockKey)", new { LockKey }, cancellationToken: CancellationToken.None));
        }
        return applied;
    }
}
