using System.Globalization;
using System.Runtime.InteropServices;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>
/// An experiment (`--browser-nice N`; off by default): puts the harness's Chromium below the servers in CPU priority. In
/// use, participants' browsers run on their own machines; here a hundred pages share two cores with the app, PostgreSQL
/// and the baseline, and the ten renderers that wake for one press preempted the server thread still rendering that
/// press's other pages: per-render scheduler figures showed renders waiting 5–340 ms on the run queue
/// (docs/PERFORMANCE.md, "The browsers preempted the server's renders"). At nice 10 those waits went, but the ratio to
/// the baseline did not improve, and at 100 pages, where the browsers are the bottleneck, they then also yield to
/// everything else on the machine; so the figures are taken as started.
/// <para>
/// Linux's autogroup scheduling (kernel.sched_autogroup_enabled, on by default) gives each session its own group and
/// shares the CPU between groups first, and Playwright starts Chromium in a session of its own, so a nice on Chromium's
/// processes orders them only among themselves (an earlier try did exactly that and changed nothing). The group's own nice
/// (/proc/PID/autogroup, sched(7)) is what counts; every process Chromium starts later joins the same group. Without
/// autogroup, each thread of each Chromium process is reniced instead, and processes forked later inherit it.
/// </para>
/// </summary>
internal static class BrowserPriority
{
    private const int PrioProcess = 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    /// <summary>Lowers the priority of this process's Chromium (the browser and every process it started); says what it did, for the report (null for nice 0: nothing done).</summary>
    public static string? Lower(int nice)
    {
        if (nice <= 0) return null;
        var pids = ChromiumPids();
        if (pids.Count == 0) return "unchanged: no Chromium process found";
        if (AutogroupOn())
        {
            var groups = new Dictionary<string, int>();
            foreach (var pid in pids)
                if (Read($"/proc/{pid}/autogroup") is { } line) groups.TryAdd(line.Split(' ')[0], pid);
            var done = new List<string>();
            foreach (var (group, pid) in groups)
            {
                try
                {
                    File.WriteAllText($"/proc/{pid}/autogroup", nice.ToString(CultureInfo.InvariantCulture));
                    done.Add(Read($"/proc/{pid}/autogroup") ?? group);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return $"unchanged: could not set the nice of Chromium's autogroup {group} ({ex.Message})";
                }
            }
            return $"Chromium's autogroup at nice {nice} ({string.Join("; ", done)}), the servers at 0";
        }
        var threads = 0;
        foreach (var pid in pids)
        {
            IEnumerable<string> tasks;
            try { tasks = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList(); }
            catch (IOException) { continue; } // gone meanwhile
            foreach (var task in tasks)
                if (int.TryParse(Path.GetFileName(task), out var tid) && setpriority(PrioProcess, tid, nice) == 0) threads++;
        }
        return $"every Chromium thread at nice {nice} ({threads} threads of {pids.Count} processes; no autogroup scheduling here), the servers at 0";
    }

    private static bool AutogroupOn() => Read("/proc/sys/kernel/sched_autogroup_enabled") == "1";

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>This process's descendants whose program is Chromium's (the browser and every process it started; not the apps or PostgreSQL).</summary>
    private static List<int> ChromiumPids()
    {
        var all = CpuSampler.Processes();
        var self = Environment.ProcessId;
        return [.. all.Keys.Where(pid => IsChromium(pid) && CpuSampler.DescendsFrom(pid, self, all))];
    }

    private static bool IsChromium(int pid) =>
        Read($"/proc/{pid}/cmdline") is { } cmdline && Path.GetFileName(cmdline.Split('\0')[0]).StartsWith("chrom", StringComparison.Ordinal);
}
