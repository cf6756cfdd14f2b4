using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using MentorCircles.Core.Accounts;
using MentorCircles.Core.Conflicts;

namespace MentorCircles.Web.Hosting;

/// <summary>Hangfire on PostgreSQL (schema "hangfire"), a server in every app node, and the dashboard at /jobs for coordinators.</summary>
public static class JobsSetup
{
    public static void AddMentorCirclesJobs(this WebApplicationBuilder builder, DatabaseMode db)
    {
        var s = builder.Services;
        s.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(db.ConnectionString), new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                // Long polling left jobs fetched but never run here, and its LISTEN connection does not recover: poll instead.
                EnableLongPolling = false,
                QueuePollInterval = TimeSpan.FromSeconds(builder.Configuration.GetValue("Jobs:PollSeconds", 2)),
            }));
        s.AddHangfireServer(o =>
        {
            o.WorkerCount = builder.Configuration.GetValue("Jobs:Workers", Math.Max(2, Environment.ProcessorCount * 2));
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
        s.AddTransient<InvitationPurgeJob>();
    }

    public static void MapMentorCirclesJobs(this WebApplication app)
    {
        app.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            DashboardTitle = "MentorCircles jobs",
            AppPath = "/",
            // Replaces Hangfire's local-requests-only default: behind a proxy every request looks local.
            Authorization = [new CoordinatorDashboardFilter()],
            IsReadOnlyFunc = _ => false,
        }).RequireAuthorization(AuthSetup.CoordinatorPolicy);

        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<InvitationPurgeJob>(InvitationPurgeJob.RecurringId, j => j.RunAsync(CancellationToken.None),
            Cron.Daily(3), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // Changes trigger re-checks as they happen (SessionChanges); the scan catches what time alone changes
        // (an agreement not accepted a day before, sessions passing) and anything a trigger missed.
        recurring.AddOrUpdate<ConflictDetectionJob>(ConflictDetectionJob.RecurringId, j => j.RunAllAsync(CancellationToken.None),
            "*/15 * * * *", new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    private sealed class CoordinatorDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.Identity?.IsAuthenticated == true && user.IsInRole(AuthSetup.CoordinatorRole);
        }
    }
}
