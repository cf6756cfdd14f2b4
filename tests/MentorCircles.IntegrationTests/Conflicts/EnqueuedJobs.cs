using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Scheduling;
using MentorCircles.Core.Scheduling.Reminders;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MentorCircles.IntegrationTests.Conflicts;

/// <summary>
/// Stands in for Hangfire: records what <see cref="SessionChanges"/> enqueues, and runs it on demand with real job
/// classes against the test database, as a Hangfire worker would (ids in, a fresh instance per job).
/// </summary>
public sealed class EnqueuedJobs(NpgsqlDataSource db, TimeProvider clock) : IBackgroundJobClient
{
    private readonly List<Job> pending = [];

    public SessionChanges Changes => new(this);

    /// <summary>The change notices the jobs "sent" (these tests are about conflicts; ReminderJobTests cover real SMTP).</summary>
    public RecordedMail Mail { get; } = new();

    /// <summary>"Type.Method(args)" of each job waiting to run, cancellation tokens left out.</summary>
    public IReadOnlyList<string> Pending => pending.Select(Describe).ToList();

    /// <summary>Delayed jobs (reminders) are only recorded: these tests never reach their time.</summary>
    public List<Job> Scheduled { get; } = [];

    public string Create(Job job, IState state)
    {
        (state is ScheduledState ? Scheduled : pending).Add(job);
        return (pending.Count + Scheduled.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;

    /// <summary>Runs every waiting job (and any they enqueue) to the end, in order.</summary>
    public async Task RunAllAsync()
    {
        while (pending.Count > 0)
        {
            var job = pending[0];
            pending.RemoveAt(0);
            var args = job.Args.Select(a => a is CancellationToken ? CancellationToken.None : a).ToArray();
            await (Task)job.Method.Invoke(Instance(job.Type), args)!;
        }
    }

    private object Instance(Type type)
    {
        var detection = new ConflictDetectionJob(new ConflictStore(db), clock);
        if (type == typeof(ConflictDetectionJob)) return detection;
        if (type == typeof(SessionChangeJob))
        {
            var store = new ReminderStore(db);
            var messenger = new ReminderMessenger(store, Mail, new MailSettings(), clock, NullLogger<ReminderMessenger>.Instance);
            return new SessionChangeJob(new ReminderScheduler(store, this, new ReminderSettings(), clock), new SessionChangeNotifier(store, messenger), detection);
        }
        throw new InvalidOperationException($"No test factory for job type {type.Name}.");
    }

    private static string Describe(Job job) =>
        $"{job.Type.Name}.{job.Method.Name}({string.Join(", ", job.Args.Where(a => a is not CancellationToken))})";
}

public sealed class RecordedMail : IMailSender
{
    public List<OutgoingMail> Sent { get; } = [];

    public Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        Sent.Add(mail);
        return Task.CompletedTask;
    }
}
