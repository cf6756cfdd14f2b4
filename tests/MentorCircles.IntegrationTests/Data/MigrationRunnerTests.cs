using Dapper;
using MentorCircles.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MentorCircles.IntegrationTests.Data;

[Collection(PostgresCollection.Name)]
public sealed class MigrationRunnerTests(PostgresFixture postgres)
{
    private static readonly string[] scripts = MigrationRunner.Embedded().Select(m => m.Name).ToArray();

    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_again_as_a_no_op()
    {
        await using var db = Database.CreateDataSource(await postgres.CreateDatabaseAsync("migrate"));
        var runner = new MigrationRunner(db, NullLogger<MigrationRunner>.Instance);

        var first = await runner.MigrateAsync(CancellationToken.None);

        Assert.Equal(scripts, first);
        Assert.Contains("0001_foundation.sql", first);
        await using (var conn = await db.OpenConnectionAsync())
        {
            foreach (var table in new[] { "mentor.person", "mentor.circle", "mentor.program", "mentor.invitation", "mentor.membership", "mentor.audit_log" })
                Assert.True(await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT to_regclass(@table) IS NOT NULL", new { table })), $"{table} is missing");
        }
        var journal = await JournalAsync(db);
        Assert.Equal(scripts, journal.Select(j => j.Name));
        var schema = await SchemaAsync(db);

        var second = await runner.MigrateAsync(CancellationToken.None);

        Assert.Empty(second);
        Assert.Equal(journal, await JournalAsync(db));
        Assert.Equal(schema, await SchemaAsync(db));
    }

    [Fact]
    public async Task Two_runners_started_at_once_on_an_empty_database_both_succeed_and_apply_each_script_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync("race");
        // Two data sources, as two app nodes would have; each opens a connection first so both start at the same moment.
        await using var nodeA = Database.CreateDataSource(connectionString);
        await using var nodeB = Database.CreateDataSource(connectionString);
        await (await nodeA.OpenConnectionAsync()).DisposeAsync();
        await (await nodeB.OpenConnectionAsync()).DisposeAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<IReadOnlyList<string>> Run(NpgsqlDataSource db)
        {
            await start.Task;
            return await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        }

        var a = Task.Run(() => Run(nodeA));
        var b = Task.Run(() => Run(nodeB));
        start.SetResult();
        var applied = await Task.WhenAll(a, b);

        Assert.Equal(scripts, applied.SelectMany(x => x).Order(StringComparer.Ordinal));
        Assert.Equal(scripts, (await JournalAsync(nodeA)).Select(j => j.Name));
        await using var conn = await nodeA.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*)::int FROM mentor.person")));
    }

    private sealed record JournalRow(string Name, DateTime AppliedAt);

    private static async Task<List<JournalRow>> JournalAsync(NpgsqlDataSource db)
    {
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<JournalRow>(new CommandDefinition("SELECT name, applied_at FROM mentor.schema_migration ORDER BY name"))).AsList();
    }

    /// <summary>Every column and index of the mentor schema, as text, to compare before and after.</summary>
    private static async Task<List<string>> SchemaAsync(NpgsqlDataSource db)
    {
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<string>(new CommandDefinition("""
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'mentor'
            UNION ALL
            SELECT indexdef FROM pg_indexes WHERE schemaname = 'mentor'
            ORDER BY 1
            """))).AsList();
    }
}
