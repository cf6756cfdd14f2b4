using System.Globalization;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>`scheduling-load` arguments. The defaults are issue 5's sizes; every figure in docs/PERFORMANCE.md comes from them.</summary>
internal sealed record SchedulingLoadOptions
{
    public int People { get; init; } = 5_000;
    public int Circles { get; init; } = 600;
    public int Weeks { get; init; } = 12;
    public int Seed { get; init; } = 5;
    /// <summary>Runs of each full-scan measurement (the first run, which opens everything, and the steady state).</summary>
    public int Repeat { get; init; } = 7;
    /// <summary>Different sessions moved and re-checked, one at a time.</summary>
    public int Rechecks { get; init; } = 101;
    /// <summary>ReminderJob runs through Hangfire, and as many empty jobs as the baseline; 0 skips Hangfire.</summary>
    public int Reminders { get; init; } = 10_000;
    /// <summary>Hangfire workers: JobsSetup's default (Jobs:Workers).</summary>
    public int Workers { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);
    public TimeSpan HangfireTimeout { get; init; } = TimeSpan.FromMinutes(15);
    public string Out { get; init; } = Path.Combine(Path.GetTempPath(), "mc-scheduling-load", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    public const string Usage = """
        scheduling-load: issue 5's PostgreSQL figures on a generated program (conflict scan, re-check after a move,
        reminders through Hangfire against empty jobs).
          --people 5000        people in the program (default 5000)
          --circles 600        circles, 4-12 people each (default 600)
          --weeks 12           weekly sessions per circle (default 12)
          --seed 5             generator seed (default 5)
          --repeat 7           runs of each full-scan measurement (default 7)
          --rechecks 101       sessions moved and re-checked (default 101)
          --reminders 10000    ReminderJob runs and empty jobs through Hangfire; 0 skips Hangfire (default 10000)
          --workers N          Hangfire workers (default max(2, 2 x cores), as the app)
          --hangfire-timeout S seconds to wait for each batch of jobs (default 900)
          --out DIR            where results.md goes (default /tmp/mc-scheduling-load/<UTC time>)
        """;

    public static SchedulingLoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SchedulingLoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            int Int(int min)
            {
                var name = args[i];
                var v = int.Parse(Next(), CultureInfo.InvariantCulture);
                return v >= min ? v : throw new ArgumentException($"{name} must be at least {min}.\n{Usage}");
            }
            o = args[i] switch
            {
                "--people" => o with { People = Int(20) },
                "--circles" => o with { Circles = Int(2) },
                "--weeks" => o with { Weeks = Int(1) },
                "--seed" => o with { Seed = Int(0) },
                "--repeat" => o with { Repeat = Int(1) },
                "--rechecks" => o with { Rechecks = Int(1) },
                "--reminders" => o with { Reminders = Int(0) },
                "--workers" => o with { Workers = Int(1) },
                "--hangfire-timeout" => o with { HangfireTimeout = TimeSpan.FromSeconds(Int(1)) },
                "--out" => o with { Out = Path.GetFullPath(Next()) },
                "--help" or "-h" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown argument {args[i]}.\n{Usage}"),
            };
        }
        if (o.People < o.Circles * 2)
            throw new ArgumentException($"{o.Circles} circles need at least {o.Circles * 2} people (--people {o.People}).\n{Usage}");
        if (o.Weeks > 52) throw new ArgumentException($"--weeks {o.Weeks}: a term of at most 52 weeks.\n{Usage}");
        return o;
    }
}
