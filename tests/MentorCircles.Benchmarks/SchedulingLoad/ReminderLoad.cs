using System.Diagnostics;
using Dapper;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.States;
using MentorCircles.Benchmarks.RoomLoad;
using MentorCircles.Core.Scheduling.Reminders;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>The baseline: a Hangfire job that does nothing. Public, as Hangfire runs only public methods.</summary>
public sealed class EmptyJob
{
    public Task RunAsync(int n, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// Reminders through Hangfire on PostgreSQL against empty jobs, in one run: storage configured as JobsSetup does
/// (schema hangfire, long polling off) but polling every 200 ms; an in-process BackgroundJobServer per batch with
/// JobsSetup's worker count. Each batch is enqueued first with no server running (timed on its own), then a fresh
/// server runs it; throughput is counted from the first job's Processing state to the last one's Succeeded state.
/// Retries are off, so a failure shows as Failed at once instead of minutes later. The reminders are real ReminderJob
/// runs (claim in reminder_sent, MailKit to an in-process SMTP server, mark sent and notify), and afterwards each
/// must have gone out exactly once.
/// </summary>
internal static class ReminderLoad
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private sealed class JobsActivator(ReminderJob reminders) : JobActivator
    {
        public override object ActivateJob(Type jobType) =>
            jobType == typeof(ReminderJob) ? reminders : jobType == typeof(EmptyJob) ? new EmptyJob() : base.ActivateJob(jobType);
    }

    public static async Task RunAsync(NpgsqlDataSource db, string connectionString, LoadIds ids, SchedulingLoadOptions o, SchedulingLoadReport report, CpuSampler cpu)
    {
        var pairs = await PairsAsync(db, ids.ProgramId, o.Reminders);
        if (pairs.Count < o.Reminders)
            report.Note($"the program has only {pairs.Count:N0} (session, member) pairs, so {pairs.Count:N0} reminders ran instead of {o.Reminders:N0}");
        var count = pairs.Count;

        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(b => b.UseNpgsqlConnection(connectionString), StorageOptions());
        var storage = JobStorage.Current;
        // A failed reminder would be retried minutes later by default; here it should show as failed at once.
        GlobalJobFilters.Filters.Remove<AutomaticRetryAttribute>();
        GlobalJobFilters.Filters.Add(new AutomaticRetryAttribute { Attempts = 0 });
        var client = new BackgroundJobClient(storage);

        await using var smtp = await SmtpSink.StartAsync();
        var mail = new MailSettings { Host = "127.0.0.1", Port = smtp.Port, From = "MentorCircles <noreply@load.example.org>" };
        var store = new ReminderStore(db);
        var clock = new FixedClock(LoadProgram.Now);
        var reminder = new ReminderJob(new ReminderMessenger(store, new SmtpMailSender(mail), mail, clock, NullLogger<ReminderMessenger>.Instance), store);
        var activator = new JobsActivator(reminder);

        // Warm-up, not reported: Hangfire's first fetches, serializer and JIT.
        await RunBatchAsync("warm-up", "load_warmup", Math.Min(200, count), i => client.Create<EmptyJob>(j => j.RunAsync(i, CancellationToken.None), new EnqueuedState("load_warmup")),
            storage, activator, db, o, cpu);

        var empty = await RunBatchAsync("empty jobs", "load_empty", count,
            i => client.Create<EmptyJob>(j => j.RunAsync(i, CancellationToken.None), new EnqueuedState("load_empty")), storage, activator, db, o, cpu);
        report.Batch(empty);
        report.Cpu("empty jobs running", empty.Cpu, empty.CpuSeconds, empty.Succeeded);

        var batch = await RunBatchAsync("ReminderJob runs", "load_reminders", count, i =>
        {
            var (session, person, sequence) = pairs[i];
            return client.Create<ReminderJob>(j => j.RunAsync(session, person, ReminderKinds.DayBefore, sequence, CancellationToken.None), new EnqueuedState("load_reminders"));
        }, storage, activator, db, o, cpu);
        report.Batch(batch);
        report.Cpu("ReminderJob runs running (the SMTP server is in the harness)", batch.Cpu, batch.CpuSeconds, batch.Succeeded);

        await using var conn = await db.OpenConnectionAsync();
        var ledger = (await conn.QueryAsync<(string Status, long Count)>(
            "SELECT status, count(*) FROM mentor.reminder_sent WHERE kind = @kind GROUP BY status", new { kind = ReminderKinds.DayBefore }))
            .ToDictionary(x => x.Status, x => x.Count);
        var notifications = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM mentor.notification WHERE kind = @kind", new { kind = ReminderKinds.DayBefore });
        var sent = ledger.GetValueOrDefault("sent");
        report.Check(batch.Succeeded == count && batch.Failed == 0, $"all {count:N0} ReminderJob runs succeeded in Hangfire ({batch.Succeeded:N0} succeeded, {batch.Failed} failed)");
        report.Check(sent == count && ledger.Count == 1,
            $"reminder_sent has {sent:N0} 'sent' rows for {count:N0} reminders ({string.Join(", ", ledger.Select(l => $"{l.Key} {l.Value:N0}"))})");
        report.Check(smtp.Received == count && smtp.ByRecipientAndSubject.Count == count && smtp.ByRecipientAndSubject.Values.All(n => n == 1),
            $"the SMTP server received {smtp.Received:N0} messages, {smtp.ByRecipientAndSubject.Count:N0} different (recipient, subject), none twice");
        report.Check(notifications == count, $"{notifications:N0} in-app notifications left, one per reminder");
    }

    private static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        EnableLongPolling = false,
        QueuePollInterval = Poll,
    };

    /// <summary>The first (session, member) pairs of scheduled sessions, in start order, with each session's current sequence.</summary>
    private static async Task<List<(long Session, long Person, int Sequence)>> PairsAsync(NpgsqlDataSource db, long programId, int count)
    {
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.QueryAsync<(long Session, long Person, int Sequence)>("""
            SELECT s.id, m.person_id, s.sequence
            FROM mentor.session s
            JOIN mentor.circle c ON c.id = s.circle_id
            JOIN mentor.membership m ON m.circle_id = s.circle_id AND m.left_at IS NULL
            WHERE c.program_id = @programId AND s.status = 'scheduled'
            ORDER BY s.starts_at, s.id, m.person_id
            LIMIT @count
            """, new { programId, count })).AsList();
    }

    private static async Task<HangfireBatch> RunBatchAsync(string name, string queue, int count, Func<int, string> enqueue,
        JobStorage storage, JobActivator activator, NpgsqlDataSource db, SchedulingLoadOptions o, CpuSampler cpu)
    {
        var sw = Stopwatch.StartNew();
        var ids = new long[count];
        // Four at a time, as several app requests would; Hangfire's client is thread-safe.
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => ids[i] = long.Parse(enqueue(i), System.Globalization.CultureInfo.InvariantCulture));
        var enqueued = sw.Elapsed;
        var (lo, hi) = (ids.Min(), ids.Max());

        int succeeded = 0, failed = 0;
        var before = cpu.Take();
        sw.Restart();
        using (var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            WorkerCount = o.Workers,
            Queues = [queue],
            Activator = activator,
            ServerName = $"scheduling-load:{queue}",
        }, storage))
        {
            while (sw.Elapsed < o.HangfireTimeout)
            {
                await using var conn = await db.OpenConnectionAsync();
                (succeeded, failed) = await conn.QuerySingleAsync<(int, int)>("""
                    SELECT count(*) FILTER (WHERE statename = 'Succeeded')::int, count(*) FILTER (WHERE statename = 'Failed')::int
                    FROM hangfire.job WHERE id BETWEEN @lo AND @hi
                    """, new { lo, hi });
                if (succeeded + failed >= count) break;
                await Task.Delay(Poll);
            }
            server.SendStop();
        }
        var wall = sw.Elapsed;
        var after = cpu.Take();

        await using var c = await db.OpenConnectionAsync();
        var window = await c.ExecuteScalarAsync<double?>("""
            SELECT extract(epoch FROM max(createdat) FILTER (WHERE name = 'Succeeded') - min(createdat) FILTER (WHERE name = 'Processing'))::float8
            FROM hangfire.state WHERE jobid BETWEEN @lo AND @hi
            """, new { lo, hi });
        if (succeeded + failed < count)
            Console.WriteLine($"{name}: only {succeeded + failed:N0} of {count:N0} finished within {o.HangfireTimeout.TotalSeconds:0} s");
        return new HangfireBatch(name, count, succeeded, failed, o.Workers, enqueued, wall, window is { } w ? TimeSpan.FromSeconds(w) : null) { Cpu = cpu.Between(before, after), CpuSeconds = (after.At - before.At).TotalSeconds };
    }
}
