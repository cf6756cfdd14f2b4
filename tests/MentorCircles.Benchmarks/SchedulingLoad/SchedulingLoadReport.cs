using System.Globalization;
using System.Text;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>One batch of jobs through Hangfire: enqueued first (no server running), then run by a fresh in-process server.</summary>
internal sealed record HangfireBatch(string Name, int Jobs, int Succeeded, int Failed, int Workers, TimeSpan Enqueue, TimeSpan Wall, TimeSpan? Window)
{
    /// <summary>Cores used while the server ran the batch (harness, PostgreSQL, everything else).</summary>
    public IReadOnlyList<(string Part, double Cores)> Cpu { get; init; } = [];
    public double CpuSeconds { get; init; }

    /// <summary>Jobs per second from the first job's Processing state to the last one's Succeeded state (Hangfire's own timestamps).</summary>
    public double PerSecond => Window is { TotalSeconds: > 0 } w ? Succeeded / w.TotalSeconds : double.NaN;
    public double PerSecondWall => Wall.TotalSeconds > 0 ? Succeeded / Wall.TotalSeconds : double.NaN;
    public double EnqueuePerSecond => Enqueue.TotalSeconds > 0 ? Jobs / Enqueue.TotalSeconds : double.NaN;
}

/// <summary>Prints each result as it comes, and at the end a markdown summary to the console and to results.md in --out.</summary>
internal sealed class SchedulingLoadReport(SchedulingLoadOptions options)
{
    private readonly List<(string Key, string Value)> machine = [];
    private readonly List<string> data = [];
    private readonly List<(string Kind, long Open, string Planted)> conflicts = [];
    private readonly List<(string Name, Samples? Samples, Target Target, string Note)> rows = [];
    private readonly List<HangfireBatch> batches = [];
    private readonly List<(bool Ok, string Text)> checks = [];
    private readonly List<string> notes = [];
    private readonly List<string> cpu = [];

    public bool AllChecksPassed => checks.All(c => c.Ok);

    public void Machine(string postgresVersion, string where)
    {
        static string Line(string file, string prefix) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?" : "?";
        machine.Add(("started (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        machine.Add(("nproc", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)));
        machine.Add(("cpu", Line("/proc/cpuinfo", "model name")));
        machine.Add(("memory", Line("/proc/meminfo", "MemTotal")));
        machine.Add((".NET", Environment.Version.ToString()));
        machine.Add(("PostgreSQL", $"{postgresVersion} ({where})"));
        machine.Add(("load average at start", LoadAverage()));
        machine.Add(("options", $"--people {options.People} --circles {options.Circles} --weeks {options.Weeks} --seed {options.Seed} " +
                                $"--repeat {options.Repeat} --rechecks {options.Rechecks} --reminders {options.Reminders} --workers {options.Workers}"));
        foreach (var (k, v) in machine) Console.WriteLine($"{k}: {v}");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

    public void Data(string line)
    {
        data.Add(line);
        Console.WriteLine($"  {line}");
    }

    public void Conflict(string kind, long open, string planted) => conflicts.Add((kind, open, planted));

    public void Add(string name, Samples samples, Target target, string note = "")
    {
        rows.Add((name, samples, target, note));
        Console.WriteLine($"{name}: {samples}{(target.UnderMs is null ? "" : $" (target {target.Text})")}{(note.Length > 0 ? $" — {note}" : "")}");
    }

    /// <summary>Where the machine's CPU went from <paramref name="since"/> until now: this harness, its PostgreSQL, everyone else.</summary>
    public void Cpu(string name, RoomLoad.CpuSampler sampler, RoomLoad.CpuSampler.Snapshot since, int runs)
    {
        var now = sampler.Take();
        Cpu(name, sampler.Between(since, now), (now.At - since.At).TotalSeconds, runs);
    }

    /// <summary>Cores used on average over <paramref name="seconds"/>, and CPU time per run (or per job) of the harness and of PostgreSQL.</summary>
    public void Cpu(string name, IReadOnlyList<(string Part, double Cores)> parts, double seconds, int runs)
    {
        string PerRun(string part) => parts.FirstOrDefault(p => p.Part == part) is { Part: not null } p
            ? Samples.Format(p.Cores * seconds * 1000 / Math.Max(1, runs)) : "–";
        var line = $"{name}: {RoomLoad.CpuSampler.Format(parts)} (cores on average over {seconds:0.0} s); " +
                   $"per run {PerRun("harness")} CPU in the harness, {PerRun("postgres")} in PostgreSQL";
        cpu.Add(line);
        Console.WriteLine($"  cpu: {line}");
    }

    public void NotMeasured(string name, Target target, string why)
    {
        rows.Add((name, null, target, why));
        Console.WriteLine($"{name}: not measured — {why}");
    }

    public void Batch(HangfireBatch b)
    {
        batches.Add(b);
        Console.WriteLine($"{b.Name}: {b.Succeeded:N0} of {b.Jobs:N0} succeeded, {b.Failed} failed; enqueued in {b.Enqueue.TotalSeconds:0.0} s; " +
                          $"run in {b.Window?.TotalSeconds:0.00} s first start → last done ({b.PerSecond:0} jobs/s), {b.Wall.TotalSeconds:0.00} s wall");
    }

    public void Check(bool ok, string text)
    {
        checks.Add((ok, text));
        Console.WriteLine($"{(ok ? "OK  " : "FAIL")} {text}");
    }

    public void Note(string text)
    {
        notes.Add(text);
        Console.WriteLine($"note: {text}");
    }

    public void Finish(TimeSpan elapsed)
    {
        var md = new StringBuilder();
        void Line(string s = "") => md.Append(s).Append('\n');
        Line("# Scheduling load results (issue 5, PostgreSQL)");
        Line();
        foreach (var (k, v) in machine) Line($"- {k}: {v}");
        Line($"- load average at end: {LoadAverage()}");
        Line($"- run took {elapsed.TotalMinutes:0.0} min");
        Line();
        Line("## Generated program");
        Line();
        foreach (var d in data) Line($"- {d}");
        Line();
        if (conflicts.Count > 0)
        {
            Line("## Open conflicts after the first full scan");
            Line();
            Line("| kind | open | planted |");
            Line("|---|---:|---|");
            foreach (var (kind, open, planted) in conflicts) Line($"| {kind} | {open:N0} | {planted} |");
            Line();
        }
        Line("## Times");
        Line();
        Line("| measurement | runs | median | min | max | target | met |");
        Line("|---|---:|---:|---:|---:|---:|:---:|");
        foreach (var (name, s, target, note) in rows)
        {
            var label = note.Length > 0 ? $"{name} ({note})" : name;
            if (s is null) { Line($"| {label} | 0 | not measured | | | {target.Text} | |"); continue; }
            var met = target.UnderMs is { } under ? (s.Median < under ? "yes" : "**no**") : "";
            Line($"| {label} | {s.Count} | {Samples.Format(s.Median)} | {Samples.Format(s.Min)} | {Samples.Format(s.Max)} | {target.Text} | {met} |");
        }
        Line();
        if (batches.Count > 0)
        {
            Line("## Jobs through Hangfire on PostgreSQL");
            Line();
            Line("| batch | jobs | succeeded | failed | workers | enqueue | first start → last done | jobs/s | wall (server start → all seen done) | jobs/s (wall) |");
            Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var b in batches)
                Line($"| {b.Name} | {b.Jobs:N0} | {b.Succeeded:N0} | {b.Failed:N0} | {b.Workers} | {b.Enqueue.TotalSeconds:0.0} s ({b.EnqueuePerSecond:0}/s) | " +
                     $"{(b.Window is { } w ? $"{w.TotalSeconds:0.00} s" : "–")} | {b.PerSecond:0} | {b.Wall.TotalSeconds:0.00} s | {b.PerSecondWall:0} |");
            var empty = batches.FirstOrDefault(b => b.Name.StartsWith("empty", StringComparison.Ordinal));
            var reminders = batches.FirstOrDefault(b => b.Name.StartsWith("ReminderJob", StringComparison.Ordinal));
            if (empty is not null && reminders is not null)
            {
                Line();
                Line($"ReminderJob throughput is {reminders.PerSecond / empty.PerSecond:0.00}× that of empty jobs " +
                     $"({reminders.PerSecond:0} against {empty.PerSecond:0} jobs/s): with {reminders.Workers} workers a reminder holds a worker for about " +
                     $"{1000.0 * reminders.Workers / reminders.PerSecond:0} ms on average, an empty job {1000.0 * empty.Workers / empty.PerSecond:0} ms (workers ÷ jobs/s).");
            }
            Line();
        }
        if (cpu.Count > 0)
        {
            Line($"## CPU while measuring ({Environment.ProcessorCount} cores on the machine)");
            Line();
            foreach (var c in cpu) Line($"- {c}");
            Line();
        }
        Line("## Checks");
        Line();
        foreach (var (ok, check) in checks) Line($"- {(ok ? "OK" : "**FAILED**")}: {check}");
        Line();
        if (notes.Count > 0)
        {
            Line("## Notes");
            Line();
            foreach (var n in notes) Line($"- {n}");
            Line();
        }
        var text = md.ToString();
        Console.WriteLine();
        Console.WriteLine(text);
        var path = Path.Combine(options.Out, "results.md");
        File.WriteAllText(path, text);
        Console.WriteLine($"Written to {path}");
    }
}
