using System.Diagnostics;
using System.Globalization;
using MentorCircles.Benchmarks.RoomLoad;
using MentorCircles.Core.Data;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>
/// `dotnet run -c Release --project tests/MentorCircles.Benchmarks -- scheduling-load`: starts a throwaway PostgreSQL,
/// applies the real migrations, writes a generated program (5,000 people, 600 circles, a 12-week term by default), and
/// measures issue 5's PostgreSQL points: the full conflict scan, the re-check after one session moves, and reminders
/// through Hangfire against empty jobs. Figures go to the console and to results.md in --out.
/// </summary>
internal static class SchedulingLoadCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        try { return await RunCoreAsync(args); }
        catch (Exception) when (Teardown.Stopping)
        {
            // Ctrl+C or SIGTERM: Teardown is stopping the database under us and exits when done.
            await Task.Delay(Timeout.Infinite);
            return 130;
        }
    }

    private static async Task<int> RunCoreAsync(IReadOnlyList<string> args)
    {
        SchedulingLoadOptions o;
        try { o = SchedulingLoadOptions.Parse(args); }
        catch (Exception ex) when (ex is ArgumentException or FormatException) { Console.Error.WriteLine(ex.Message); return 2; }
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        Teardown.Install();
        Directory.CreateDirectory(o.Out);
        var report = new SchedulingLoadReport(o);

        Console.WriteLine($"Generating {o.People:N0} people, {o.Circles:N0} circles, {o.Weeks} weeks (seed {o.Seed})");
        var g = LoadProgram.Generate(o.People, o.Circles, o.Weeks, o.Seed);
        await using var db = Teardown.Add("PostgreSQL", await SchedulingDatabase.StartAsync());
        report.Machine(await db.ServerVersionAsync(), db.Description);
        Describe(g, report);
        await using var source = Database.CreateDataSource(db.ConnectionString);
        Console.WriteLine($"Writing the program ({clock.Elapsed.TotalSeconds:0} s)");
        var ids = await LoadProgramWriter.WriteAsync(source, g, Console.WriteLine);

        Console.WriteLine($"Conflict detection ({clock.Elapsed.TotalSeconds:0} s)");
        var cpu = new CpuSampler([], db.PostmasterPid);
        await ConflictLoad.RunAsync(source, ids, g, o, report, cpu);

        // Each measurement is one call here, adding its rows and checks to the report.
        await ProgramSchedulingLoad.RunAsync(source, ids, o, report);

        if (o.Reminders > 0)
        {
            Console.WriteLine($"Hangfire ({clock.Elapsed.TotalSeconds:0} s)");
            await ReminderLoad.RunAsync(source, db.ConnectionString, ids, o, report, cpu);
        }
        report.Finish(clock.Elapsed);
        return report.AllChecksPassed ? 0 : 1;
    }

    private static void Describe(LoadProgram g, SchedulingLoadReport report)
    {
        static string Pct(int n, int of) => of == 0 ? "0 %" : $"{100.0 * n / of:0.#} %";
        var counts = g.CircleCounts;
        var zones = g.People.Skip(1).GroupBy(p => p.Zone).OrderByDescending(z => z.Count()).Select(z => $"{z.Key} {z.Count():N0}");
        report.Data($"people: {g.People.Count:N0} (one coordinator); zones: {string.Join(", ", zones)}");
        report.Data($"in circles: {string.Join(", ", counts.GroupBy(c => c).OrderBy(c => c.Key).Select(c => $"{c.Count():N0} people in {c.Key}"))}");
        var windows = g.Windows.Sum(w => w.Rows().Count());
        report.Data($"weekly availability windows: {windows:N0} ({(double)windows / g.People.Count:0.0} a person, in their own zone); " +
                    $"away periods: {g.Away.Count:N0}; busy blocks: {g.Busy.Count:N0}");
        var sizes = g.Circles.Select(c => c.Members.Count).ToList();
        var formats = g.Circles.GroupBy(c => c.Format).Select(f => $"{f.Key} {f.Count()}");
        var twoLeads = g.Circles.Count(c => c.Members.Count(m => m.IsLead) >= 2);
        report.Data($"circles: {g.Circles.Count:N0} of {sizes.Min()}–{sizes.Max()} people (mean {sizes.Average():0.0}); {string.Join(", ", formats)}; " +
                    $"{twoLeads} with two leads; {g.Circles.Count(c => c.Quorum is not null)} with their own quorum; zones: " +
                    string.Join(", ", g.Circles.GroupBy(c => c.Zone).OrderByDescending(z => z.Count()).Select(z => $"{z.Key} {z.Count()}")));
        report.Data($"memberships: {g.Memberships:N0}");
        var cancelled = g.Circles.Sum(c => c.Sessions.Count(s => s.Cancelled));
        report.Data($"sessions: {g.Sessions:N0} weekly from {LoadProgram.FirstDay:yyyy-MM-dd} to {g.LastDay:yyyy-MM-dd} (crossing the US, UK and Sydney clock changes), " +
                    $"{cancelled} cancelled; the harness's clock is {LoadProgram.Now:yyyy-MM-dd HH:mm} UTC");
        var rsvps = g.Rsvps.GroupBy(r => r.Answer).OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Count():N0}");
        report.Data($"RSVPs: {g.Rsvps.Count:N0} ({string.Join(", ", rsvps)})");
        report.Data($"agreements: {g.Circles.Count(c => c.AgreementVersion == 2)} circles on a second version; {g.Planted.Unaccepted} members " +
                    $"({Pct(g.Planted.Unaccepted, g.Memberships)}) have not accepted the current one; blackout date {g.Blackout:yyyy-MM-dd}");
    }
}
