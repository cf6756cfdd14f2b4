using MentorCircles.Core.Accounts;
using MentorCircles.Core.Common;
using MentorCircles.Core.Data;
using MentorCircles.Core.Programs;

namespace MentorCircles.Web.Hosting;

/// <summary>Commands run instead of the web server, e.g. to create the first coordinator of a production database.</summary>
public static class Commands
{
    public static async Task<bool> RunCommandAsync(this WebApplication app, string[] args)
    {
        if (args.Length == 0 || args[0] != "create-coordinator") return false;
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

        await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        var bootstrap = new ProgramBootstrap(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            app.Services.GetRequiredService<AccountService>(), TimeProvider.System);
        var tz = Arg("--time-zone") ?? "UTC";
        try
        {
            var created = await bootstrap.CreateCoordinatorAsync(Arg("--program") ?? "", tz,
                new NewPerson(Arg("--name") ?? "", Arg("--email") ?? "", tz, IsCoordinator: true), CancellationToken.None);
            var baseUrl = (Arg("--base-url") ?? app.Configuration["PublicBaseUrl"] ?? "http://localhost:5000").TrimEnd('/');
            Console.WriteLine($"Coordinator created. Their one-time link (valid until {created.ExpiresAt:u}):");
            Console.WriteLine($"{baseUrl}/invite/{created.InvitationToken}");
        }
        catch (InvalidInputException ex)
        {
            Console.Error.WriteLine("Nothing was saved: " + ex.Message);
            Console.Error.WriteLine("Usage: create-coordinator --email you@example.org --name \"Your Name\" --program \"Program name\" [--time-zone Europe/London] [--base-url https://...]");
            Environment.ExitCode = 2;
        }
        finally
        {
            var db = app.Services.GetRequiredService<DatabaseMode>();
            if (db.Cluster is not null) await db.Cluster.StopAsync();
        }
        return true;
    }
}
