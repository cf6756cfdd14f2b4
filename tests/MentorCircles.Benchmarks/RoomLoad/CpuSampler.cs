using System.Globalization;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>
/// Where the machine's CPU went during a run, from /proc: the app process(es), this run's PostgreSQL, Chromium (every
/// process under this harness that is not an app or the Playwright driver), the driver, the harness, and everything else
/// on the machine (other people's work). In cores: CPU seconds per second of wall time. Chromium's total is followed by
/// its parts: the browser process, the GPU process (which composites every page's frames in software here), the
/// renderers, and utility processes (network, storage).
/// </summary>
internal sealed class CpuSampler(IReadOnlyCollection<int> appPids, int? postmasterPid)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly int self = Environment.ProcessId;
    private readonly Dictionary<int, string> chromiumKinds = [];

    public sealed record Snapshot(DateTime At, long MachineBusy, IReadOnlyDictionary<int, (int Parent, string Comm, long Ticks)> Processes);

    public Snapshot Take() => new(DateTime.UtcNow, MachineBusyTicks(), Processes());

    /// <summary>Average cores used by each part between two snapshots.</summary>
    public IReadOnlyList<(string Part, double Cores)> Between(Snapshot a, Snapshot b)
    {
        var seconds = (b.At - a.At).TotalSeconds;
        var parts = new Dictionary<string, double>();
        foreach (var (pid, p) in b.Processes)
        {
            var part = PartOf(pid, b.Processes);
            if (part is null) continue;
            var used = p.Ticks - (a.Processes.TryGetValue(pid, out var before) && before.Comm == p.Comm ? before.Ticks : 0);
            parts[part] = parts.GetValueOrDefault(part) + used / TicksPerSecond / seconds;
        }
        var machine = (b.MachineBusy - a.MachineBusy) / TicksPerSecond / seconds;
        var chromium = parts.Where(kv => kv.Key.StartsWith("chromium ", StringComparison.Ordinal)).ToList();
        var result = parts.Where(kv => !kv.Key.StartsWith("chromium ", StringComparison.Ordinal))
            .Append(new("chromium", chromium.Sum(kv => kv.Value)))
            .OrderByDescending(kv => kv.Value).Select(kv => (kv.Key, kv.Value)).ToList();
        result.Add(("everything else on the machine", Math.Max(0, machine - parts.Values.Sum())));
        // Chromium's parts after the totals, so a reader of the first figures sees the same line as before.
        result.AddRange(chromium.OrderByDescending(kv => kv.Value).Select(kv => ($"of which {kv.Key}", kv.Value)));
        return result;
    }

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) until Chromium has used under <paramref name="cores"/> over three
    /// seconds: pages just opened keep the browser busy for a while (loading, compiling, collecting), and a round
    /// measured then would be charged for it. Returns Chromium's last three-second figure.
    /// </summary>
    public async Task<double> WaitForQuietChromiumAsync(double cores, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var before = Take();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var used = Between(before, Take()).Where(p => p.Part == "chromium").Sum(p => p.Cores);
            if (used < cores || DateTime.UtcNow > until) return used;
        }
    }

    public static string Format(IReadOnlyList<(string Part, double Cores)> parts) =>
        string.Join(", ", parts.Select(p => $"{p.Part} {p.Cores.ToString("0.00", CultureInfo.InvariantCulture)}"));

    private string? PartOf(int pid, IReadOnlyDictionary<int, (int Parent, string Comm, long Ticks)> all)
    {
        if (appPids.Contains(pid)) return "app server";
        if (pid == self) return "harness";
        if (postmasterPid is { } pm && (pid == pm || all[pid].Parent == pm)) return "postgres";
        return DescendsFrom(pid, self, all) ? ChromiumKind(pid) : null;
    }

    /// <summary>Whether <paramref name="ancestor"/> is among <paramref name="pid"/>'s parents, their parents, and so on.</summary>
    internal static bool DescendsFrom(int pid, int ancestor, IReadOnlyDictionary<int, (int Parent, string Comm, long Ticks)> all)
    {
        for (var p = all[pid].Parent; p > 1 && all.TryGetValue(p, out var up); p = up.Parent)
            if (p == ancestor) return true;
        return false;
    }

    /// <summary>"chromium browser", "chromium renderers", "chromium gpu" or "chromium utility", from the process's --type=; or "playwright driver".</summary>
    private string ChromiumKind(int pid)
    {
        lock (chromiumKinds)
        {
            if (chromiumKinds.TryGetValue(pid, out var kind)) return kind;
            string cmdline;
            try { cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
            catch (IOException) { cmdline = ""; }
            // Playwright's driver is node, whose main thread names itself "MainThread", so its comm does not tell it.
            kind = Path.GetFileName(cmdline.Split(' ')[0]) == "node" ? "playwright driver"
                : cmdline.Contains("--type=renderer", StringComparison.Ordinal) ? "chromium renderers"
                : cmdline.Contains("--type=gpu-process", StringComparison.Ordinal) ? "chromium gpu"
                : cmdline.Contains("--type=", StringComparison.Ordinal) ? "chromium utility"
                : "chromium browser";
            return chromiumKinds[pid] = kind;
        }
    }

    private static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long V(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return V(1) + V(2) + V(3) + V(6) + V(7) + V(8);
    }

    /// <summary>Every process now: its parent, its name (comm) and the CPU ticks it has used (user and system).</summary>
    internal static Dictionary<int, (int Parent, string Comm, long Ticks)> Processes()
    {
        var result = new Dictionary<int, (int Parent, string Comm, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                // pid (comm) state ppid ... utime stime: fields 14 and 15, counted from 1, with comm possibly holding spaces.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
                var comm = stat[(open + 1)..close];
                var rest = stat[(close + 2)..].Split(' ');
                var ppid = int.Parse(rest[1], CultureInfo.InvariantCulture);
                var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                result[pid] = (ppid, comm, ticks);
            }
            catch (IOException) { } // gone while we looked
            catch (UnauthorizedAccessException) { }
        }
        return result;
    }
}
