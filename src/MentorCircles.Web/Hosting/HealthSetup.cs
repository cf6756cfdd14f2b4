using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace MentorCircles.Web.Hosting;

/// <summary>/healthz: 200 when the database answers and a Hangfire server is alive, 503 with the reason when not.</summary>
public static class HealthSetup
{
    public static void AddMentorCirclesHealth(this WebApplicationBuilder builder) =>
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database")
            .AddCheck<HangfireCheck>("hangfire");

    public static void MapMentorCirclesHealth(this WebApplication app) =>
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    private static Task WriteAsync(HttpContext ctx, HealthReport report)
    {
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }

    private sealed class DatabaseCheck(NpgsqlDataSource db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await using var conn = await db.OpenConnectionAsync(timeout.Token);
                await using var cmd = new NpgsqlCommand("SELECT count(*) FROM mentor.schema_migration", conn);
                var migrations = await cmd.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy($"PostgreSQL answers; {migrations} migrations applied.");
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {ex.Message}");
            }
        }
    }

    private sealed class HangfireCheck(JobStorage storage, TimeProvider clock) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                var servers = storage.GetMonitoringApi().Servers();
                var now = clock.GetUtcNow().UtcDateTime;
                var alive = servers.Count(s => s.Heartbeat is { } h && now - h < TimeSpan.FromMinutes(2));
                return Task.FromResult(alive > 0
                    ? HealthCheckResult.Healthy($"{alive} Hangfire server(s) alive.")
                    : HealthCheckResult.Unhealthy("No Hangfire server has sent a heartbeat in the last 2 minutes."));
            }
            catch (Exception ex)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"Hangfire storage does not answer: {ex.Message}"));
            }
        }
    }
}
