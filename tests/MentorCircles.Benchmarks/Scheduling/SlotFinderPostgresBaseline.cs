using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using MentorCircles.Core.Data;
using MentorCircles.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace MentorCircles.Benchmarks.Scheduling;

/// <summary>
/// SlotFinder.CommonFreeTime against the same answer computed by PostgreSQL with multiranges: each person's weekly
/// windows (already turned into UTC ranges, away dates left out) and busy blocks arrive as arrays; the server builds
/// each person's free time as a tstzmultirange with range_agg, subtracts the busy one, and intersects everyone's with
/// range_intersect_agg. Setup checks that both give the same intervals and throws if they do not.
/// </summary>
/// <remarks>
/// PostgreSQL comes from MENTORCIRCLES_TEST_DB (a connection string) when set, otherwise from a throwaway local
/// cluster in the temp folder, started for each benchmark case and stopped after it.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9, id: "Short")]
[Config(typeof(TrendConfig))]
public class SlotFinderPostgresBaseline
{
    private sealed class TrendConfig : ManualConfig
    {
        public TrendConfig() => SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }

    public const string Sql = """
        WITH win AS (
            SELECT p, range_agg(tstzrange(s, e)) AS m
            FROM unnest(@wp, @ws, @we) AS t(p, s, e)
            GROUP BY p
        ), busy AS (
            SELECT p, range_agg(tstzrange(s, e)) AS m
            FROM unnest(@bp, @bs, @be) AS t(p, s, e)
            GROUP BY p
        )
        SELECT range_intersect_agg(
                   (coalesce(win.m, '{}') - coalesce(busy.m, '{}')) * tstzmultirange(tstzrange(@from, @to)))
        FROM unnest(@people) AS person(p)
        LEFT JOIN win USING (p)
        LEFT JOIN busy USING (p)
        """;

    [Params(10, 100, 1_000)]
    public int People { get; set; }

    [Params(4, 12)]
    public int Weeks { get; set; }

    /// <summary>
    /// False: realistic spread, where the common time of a few dozen people is already empty (and CommonFreeTime stops
    /// early). True: everyone also keeps one weekly hour free, so the answer is never empty and nothing stops early.
    /// </summary>
    [Params(false, true)]
    public bool CoreHour { get; set; }

    private PersonAvailability[] people = null!;
    private DateTimeOffset from, to;
    private LocalPostgres? local;
    private NpgsqlConnection? conn;
    private NpgsqlCommand? query;

    private void Generate()
    {
        people = SlotFinderData.People(People, Weeks, CoreHour);
        from = SlotFinderData.FirstInstant;
        to = from.AddDays(Weeks * 7);
    }

    [GlobalSetup(Target = nameof(CommonFreeTime))]
    public void SetupCSharp()
    {
        Generate();
        SlotFinderWarmUp.Run(() => CommonFreeTime());
    }

    [GlobalSetup(Target = nameof(Postgres))]
    public void SetupPostgres()
    {
        Generate();
        var connectionString = Environment.GetEnvironmentVariable("MENTORCIRCLES_TEST_DB");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            local = LocalPostgres.StartAsync(
                new LocalPostgresOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "mentorcircles-slotfinder-bench"), Database = "slotfinder_bench" },
                NullLogger.Instance).GetAwaiter().GetResult();
            connectionString = local.ConnectionString;
        }
        conn = new NpgsqlConnection(connectionString);
        conn.Open();

        var (wp, ws, we) = SlotFinderData.WindowInstants(people, from, to);
        var (bp, bs, be) = SlotFinderData.BusyInstants(people);
        query = new NpgsqlCommand(Sql, conn);
        query.Parameters.Add(new NpgsqlParameter<long[]>("wp", wp));
        query.Parameters.Add(new NpgsqlParameter<DateTime[]>("ws", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = ws });
        query.Parameters.Add(new NpgsqlParameter<DateTime[]>("we", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = we });
        query.Parameters.Add(new NpgsqlParameter<long[]>("bp", bp));
        query.Parameters.Add(new NpgsqlParameter<DateTime[]>("bs", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = bs });
        query.Parameters.Add(new NpgsqlParameter<DateTime[]>("be", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = be });
        query.Parameters.Add(new NpgsqlParameter<long[]>("people", people.Select(p => p.PersonId).ToArray()));
        query.Parameters.Add(new NpgsqlParameter<DateTime>("from", NpgsqlDbType.TimestampTz) { TypedValue = from.UtcDateTime });
        query.Parameters.Add(new NpgsqlParameter<DateTime>("to", NpgsqlDbType.TimestampTz) { TypedValue = to.UtcDateTime });
        query.Prepare();

        var fromPostgres = Postgres();
        var fromFinder = SlotFinder.CommonFreeTime(people, from, to);
        var expected = fromFinder.Select(i => (i.Start.UtcDateTime, i.End.UtcDateTime)).ToList();
        var actual = fromPostgres.Select(r => (r.LowerBound, r.UpperBound)).ToList();
        if (!expected.SequenceEqual(actual) || fromPostgres.Any(r => !r.LowerBoundIsInclusive || r.UpperBoundIsInclusive))
            throw new InvalidOperationException(
                $"PostgreSQL and SlotFinder.CommonFreeTime disagree for {People} people over {Weeks} weeks (core hour {CoreHour}):\n" +
                $"  SlotFinder: {string.Join(", ", expected.Take(10).Select(x => $"[{x.Item1:u}, {x.Item2:u})"))}{(expected.Count > 10 ? " ..." : "")} ({expected.Count})\n" +
                $"  PostgreSQL: {string.Join(", ", fromPostgres.Take(10))}{(fromPostgres.Length > 10 ? " ..." : "")} ({fromPostgres.Length})");
        SlotFinderWarmUp.Run(() => Postgres());
        Console.WriteLine($"// PostgreSQL and SlotFinder agree: {expected.Count} intervals, {expected.Sum(x => (x.Item2 - x.Item1).TotalHours):0.##} h " +
                          $"({wp.Length} window ranges, {bp.Length} busy blocks sent)");
    }

    [GlobalCleanup(Target = nameof(Postgres))]
    public void Cleanup()
    {
        query?.Dispose();
        conn?.Dispose();
        local?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "PostgreSQL range_agg + range_intersect_agg")]
    public NpgsqlRange<DateTime>[] Postgres()
    {
        using var reader = query!.ExecuteReader();
        reader.Read();
        return reader.IsDBNull(0) ? [] : reader.GetFieldValue<NpgsqlRange<DateTime>[]>(0);
    }

    [Benchmark(Description = "SlotFinder.CommonFreeTime")]
    public IReadOnlyList<UtcInterval> CommonFreeTime() => SlotFinder.CommonFreeTime(people, from, to);
}
