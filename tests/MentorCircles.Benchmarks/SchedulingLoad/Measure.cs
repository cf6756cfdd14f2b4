using System.Diagnostics;
using System.Globalization;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>Wall-clock times of repeated runs of one thing, in milliseconds.</summary>
internal sealed class Samples
{
    public List<double> Ms { get; } = [];
    public int Count => Ms.Count;
    public double Min => Ms.Count == 0 ? double.NaN : Ms.Min();
    public double Max => Ms.Count == 0 ? double.NaN : Ms.Max();

    public double Median
    {
        get
        {
            if (Ms.Count == 0) return double.NaN;
            var sorted = Ms.Order().ToList();
            var mid = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public void Add(TimeSpan t) => Ms.Add(t.TotalMilliseconds);

    public static string Format(double ms) => double.IsNaN(ms) ? "–"
        : ms >= 1000 ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : ms >= 10 ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    public override string ToString() => $"median {Format(Median)}, min {Format(Min)}, max {Format(Max)} ({Count} runs)";
}

/// <summary>What a measurement is held to: a time its median must stay under.</summary>
internal sealed record Target(string Text, double? UnderMs)
{
    public static Target Under(TimeSpan t) => new($"< {Samples.Format(t.TotalMilliseconds)}", t.TotalMilliseconds);
    public static readonly Target None = new("", null);
}

internal static class Measure
{
    /// <summary>Runs <paramref name="before"/> (not timed) then <paramref name="body"/> (timed), <paramref name="runs"/> times.</summary>
    public static async Task<Samples> RepeatAsync(int runs, Func<int, Task> body, Func<int, Task>? before = null)
    {
        var samples = new Samples();
        for (var i = 0; i < runs; i++)
        {
            if (before is not null) await before(i);
            var sw = Stopwatch.StartNew();
            await body(i);
            samples.Add(sw.Elapsed);
        }
        return samples;
    }

    public static async Task<(T Result, TimeSpan Took)> OnceAsync<T>(Func<Task<T>> body)
    {
        var sw = Stopwatch.StartNew();
        var result = await body();
        return (result, sw.Elapsed);
    }
}
