using MentorCircles.Core.Scheduling;
using MentorCircles.Core.Scheduling.Reminders;

namespace MentorCircles.Web.Hosting;

/// <summary>Reminders and change notices by mail (section <c>Mail</c>, <c>Reminders</c>) and the private calendar feeds.</summary>
public static class RemindersSetup
{
    public static void AddRemindersFeature(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        var mail = builder.Configuration.GetSection(MailSettings.Section).Get<MailSettings>() ?? new MailSettings();
        var reminders = new ReminderSettings();
        var before = builder.Configuration.GetSection(ReminderSettings.Section).GetSection(nameof(ReminderSettings.Before));
        if (before.Exists())
        {
            // Configured kinds replace the defaults rather than adding to them.
            reminders.Before.Clear();
            foreach (var kind in before.GetChildren()) reminders.Before[kind.Key] = kind.Get<TimeSpan>();
        }
        s.AddSingleton(mail);
        s.AddSingleton(reminders);
        s.AddSingleton<IMailSender, SmtpMailSender>();
        s.AddSingleton<ReminderStore>();
        s.AddSingleton<ReminderMessenger>();
        s.AddTransient<ReminderJob>();
        s.AddTransient<ReminderScheduler>();
        s.AddTransient<SessionChangeNotifier>();
        s.AddSingleton<CalendarFeedService>();
    }
}
