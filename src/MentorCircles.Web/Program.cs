using MentorCircles.Core.Data;
using MentorCircles.Web.Api;
using MentorCircles.Web.Hosting;

// MentorCircles: group and peer mentoring circles. Each line below points at where a part lives.
var builder = WebApplication.CreateBuilder(args);
DatabaseMode db;
try
{
    db = await builder.AddMentorCirclesDatabaseAsync();   // Hosting/DatabaseSetup.cs: connection string, or local mode's private PostgreSQL
}
catch (PostgresNotInstalledException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
builder.AddMentorCirclesAuth();                             // Hosting/AuthSetup.cs: cookies, roles, lockout, sign-in rate limit, shared keys
builder.AddMentorCirclesJobs(db);                           // Hosting/JobsSetup.cs: Hangfire on PostgreSQL and its jobs
builder.AddMentorCirclesHealth();                           // Hosting/HealthSetup.cs: /healthz
builder.AddMentorCirclesUi();                               // Hosting/UiSetup.cs: Blazor, Radzen, feature services
builder.AddRemindersFeature();                              // Hosting/RemindersSetup.cs: mail, reminders, calendar feeds
builder.AddMentorCirclesDiagnostics();                      // Hosting/DiagnosticsSetup.cs: /diagnostics/memory, only with Diagnostics:Enabled

var app = builder.Build();
if (await app.RunCommandAsync(args)) return Environment.ExitCode;            // Hosting/Commands.cs: create-coordinator
await app.PrepareDatabaseAsync();                           // migrations from sql/, demo data in local mode

if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAccountEndpoints();                                  // Api/AccountEndpoints.cs
app.MapCalendarEndpoints();                                 // Api/CalendarEndpoints.cs: /calendar/{token}.ics
app.MapMentorCirclesJobs();                                 // /jobs dashboard (coordinators) and recurring jobs
app.MapMentorCirclesHealth();
app.MapMentorCirclesUi();                                   // Hosting/UiSetup.cs: the pages, Components/Pages/<Feature>/

await app.RunAsync();
return 0;
