using System.Diagnostics;

namespace MentorCircles.Benchmarks.Scheduling;

/// <summary>
/// Brings a benchmark to its steady state before BenchmarkDotNet looks at it. The first call of the slot finder in a
/// process loads the machine's time zone list (about a second here) and each zone's offsets for the year. When that
/// first call takes longer than an iteration, BenchmarkDotNet skips its pilot and measures one call per iteration
/// with barely-jitted code, which is what a first run of these benchmarks did. The one-off cost is reported
/// separately in docs/PERFORMANCE.md.
/// </summary>
internal static class SlotFinderWarmUp
{
    public static void Run(Action call)
    {
        var sw = Stopwatch.StartNew();
        // Thirty calls promote methods to optimised code; three seconds is enough for the largest cases to get there
        // through on-stack replacement of their loops.
        for (var i = 0; i < 40 && sw.Elapsed < TimeSpan.FromSeconds(3); i++) call();
        // Let the background compiler install the optimised code.
        Thread.Sleep(300);
    }
}
