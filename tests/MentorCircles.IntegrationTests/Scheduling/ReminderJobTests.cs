using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MentorCircles.Core.Scheduling;
using MentorCircles.Core.Scheduling.Reminders;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace MentorCircles.IntegrationTests.Scheduling;

[Collection(PostgresCollection.Name)]
public sealed class ReminderJobTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private SmtpCatcher smtp = null!;
    private long circle, fran, mo, session;
    private readonly DateTimeOffset start = new(2026, 3, 12, 18, 0, 0, TimeSpan.Zero);

    private ReminderStore Store => new(Db);
    private ReminderMessenger Messenger => new(Store,
        new SmtpMailSender(new MailSettings { Host = "127.0.0.1", Port = smtp.Port, From = "MentorCircles <noreply@example.org>" }),
        new MailSettings { From = "MentorCircles <noreply@example.org>" }, Clock, NullLogger<ReminderMessenger>.Instance);
    private ReminderJob Job => new(Messenger, Store);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        smtp = await SmtpCatcher.StartAsync();
        var program = await Given.ProgramAsync(Db);
        fran = await Given.PersonAsync(Db, program, "fran@example.org", displayName: "Fran Facilitator");
        mo = await Given.PersonAsync(Db, program, "mo@example.org", displayName: "Mo Mentee", timeZone: "America/New_York");
        circle = await Given.CircleAsync(Db, program, "Reminder circle", (fran, "facilitator"), (mo, "mentee"));
        session = await Given.SessionAsync(Db, circle, start);
    }

    public override async Task DisposeAsync()
    {
        await smtp.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Reminder_is_mailed_once_per_member_when_the_job_runs_twice_and_concurrently()
    {
        var runs = new List<Task<bool>>();
        for (var i = 0; i < 4; i++)
            foreach (var person in new[] { fran, mo })
                runs.Add(Job.RunAsync(session, person, ReminderKinds.DayBefore, 0, Ct));
        await Task.WhenAll(runs);
        Assert.False(await Job.RunAsync(session, fran, ReminderKinds.DayBefore, 0, Ct));
        Assert.False(await Job.RunAsync(session, mo, ReminderKinds.DayBefore, Ct));

        Assert.Equal(2, runs.Count(r => r.Result));
        Assert.Equal(["fran@example.org", "mo@example.org"], smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).Order());
        var toMo = smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == "mo@example.org");
        Assert.StartsWith("Reminder: Reminder circle starts Thu 12 Mar 2026 14:00 (America/New_York)", toMo.Subject);
        var ics = toMo.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
        Assert.Equal("REQUEST", ics.ContentType.Parameters["method"]);
        var calendar = Ical.Net.Calendar.Load(((TextPart)ics).Text)!;
        Assert.Equal(CalendarFeed.Uid(session), calendar.Events.Single().Uid);

        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM mentor.reminder_sent WHERE status = 'sent' AND kind = 'day-before'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.notification WHERE person_id = @mo AND kind = 'day-before'", new { mo }));
    }

    [Fact]
    public async Task A_cancelled_session_sends_no_reminder_and_a_moved_one_sends_none_for_its_old_time()
    {
        var other = await Given.SessionAsync(Db, circle, start.AddDays(7));
        await ExecuteAsync("UPDATE mentor.session SET status = 'cancelled', sequence = sequence + 1 WHERE id = @session", new { session });
        await ExecuteAsync("UPDATE mentor.session SET starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day', sequence = 1 WHERE id = @other", new { other });

        Assert.False(await Job.RunAsync(session, fran, ReminderKinds.HourBefore, 0, Ct));
        Assert.False(await Job.RunAsync(session, fran, ReminderKinds.HourBefore, Ct));
        Assert.False(await Job.RunAsync(other, fran, ReminderKinds.HourBefore, 0, Ct));
        Assert.Empty(smtp.Messages);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.notification"));

        Assert.True(await Job.RunAsync(other, fran, ReminderKinds.HourBefore, 1, Ct));
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task A_cancellation_goes_once_to_each_member_with_a_cancel_invitation()
    {
        await ExecuteAsync("UPDATE mentor.session SET status = 'cancelled', sequence = 1 WHERE id = @session", new { session });
        var notifier = new SessionChangeNotifier(Store, Messenger);

        Assert.Equal(2, await notifier.NotifyMovedOrCancelledAsync(session, Ct));
        Assert.Equal(0, await notifier.NotifyMovedOrCancelledAsync(session, Ct));

        Assert.Equal(2, smtp.Messages.Count);
        Assert.All(smtp.Messages, m =>
        {
            Assert.StartsWith("Cancelled:", m.Subject);
            var ics = m.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
            Assert.Equal("CANCEL", ics.ContentType.Parameters["method"]);
            Assert.Contains("STATUS:CANCELLED", ((TextPart)ics).Text);
        });
    }

    [Fact]
    public async Task A_move_sends_one_update_per_sequence()
    {
        var notifier = new SessionChangeNotifier(Store, Messenger);
        await ExecuteAsync("UPDATE mentor.session SET starts_at = starts_at + interval '2 hours', ends_at = ends_at + interval '2 hours', sequence = 1 WHERE id = @session", new { session });
        Assert.Equal(2, await notifier.NotifyMovedOrCancelledAsync(session, Ct));
        Assert.Equal(0, await notifier.NotifyMovedOrCancelledAsync(session, Ct));
        await ExecuteAsync("UPDATE mentor.session SET starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour', sequence = 2 WHERE id = @session", new { session });
        Assert.Equal(2, await notifier.NotifyMovedOrCancelledAsync(session, Ct));

        Assert.Equal(4, smtp.Messages.Count);
        Assert.Equal(["moved:1", "moved:1", "moved:2", "moved:2"],
            (await QueryKindsAsync()).Order());
    }

    [Fact]
    public async Task Scheduler_queues_a_day_and_an_hour_before_for_each_member_but_not_before_the_previous_session_ends()
    {
        var jobs = new RecordingJobClient();
        var scheduler = new ReminderScheduler(Store, jobs, new ReminderSettings(), Clock);
        Assert.Equal(4, await scheduler.ScheduleAsync(session, Ct));
        Assert.Equal([start.AddHours(-24), start.AddHours(-24), start.AddHours(-1), start.AddHours(-1)], jobs.Scheduled.Select(s => s.At).Order());

        // A session the evening before this one ends at 19:00: no day-before reminder goes out during it.
        await Given.SessionAsync(Db, circle, start.AddHours(-24));
        jobs.Scheduled.Clear();
        await scheduler.ScheduleAsync(session, Ct);
        Assert.Equal([start.AddHours(-23), start.AddHours(-23), start.AddHours(-1), start.AddHours(-1)], jobs.Scheduled.Select(s => s.At).Order());
        Assert.All(jobs.Scheduled, s => Assert.Equal(nameof(ReminderJob.RunAsync), s.Job.Method.Name));
    }

    private async Task<IReadOnlyList<string>> QueryKindsAsync()
    {
        await using var conn = await Db.OpenConnectionAsync();
        return (await Dapper.SqlMapper.QueryAsync<string>(conn, new Dapper.CommandDefinition("SELECT kind FROM mentor.reminder_sent WHERE status = 'sent'"))).ToList();
    }

    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<(Job Job, DateTimeOffset At)> Scheduled { get; } = [];

        public string Create(Job job, IState state)
        {
            var at = state is ScheduledState s ? new DateTimeOffset(s.EnqueueAt, TimeSpan.Zero) : DateTimeOffset.MinValue;
            Scheduled.Add((job, at));
            return Scheduled.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
