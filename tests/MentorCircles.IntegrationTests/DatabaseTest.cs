using Dapper;
using Npgsql;

namespace MentorCircles.IntegrationTests;

/// <summary>
/// A test with a migrated database, emptied before it starts (shared with the other tests of its class, which run
/// one at a time), and a clock moved by hand.
/// </summary>
public abstract class DatabaseTest(PostgresFixture postgres) : IAsyncLifetime
{
    private NpgsqlDataSource? db;

    protected NpgsqlDataSource Db => db ?? throw new InvalidOperationException("The test database is not ready yet.");
    protected FakeClock Clock { get; } = new();
    protected static CancellationToken Ct => CancellationToken.None;

    public virtual async Task InitializeAsync() => db = await postgres.EmptiedDatabaseAsync(GetType().FullName!);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var conn = await Db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<T>(new CommandDefinition(sql, args)) ?? throw new InvalidOperationException($"No value from: {sql}");
    }

    protected async Task<int> ExecuteAsync(string sql, object? args = null)
    {
        await using var conn = await Db.OpenConnectionAsync();
        return await conn.ExecuteAsync(new CommandDefinition(sql, args));
    }
}
