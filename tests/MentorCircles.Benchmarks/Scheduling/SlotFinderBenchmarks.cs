using BenchmarkDotNet.Attributes;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Benchmarks.Scheduling;

/// <summary>
/// The pure slot finder on one core, for a whole program's worth of people across four time zones. Find ranks weekly
/// 60-minute slots (home zone Europe/London, 15-minute steps, quorum a tenth of the people); CommonFreeTime intersects
/// everyone's free time over the same span.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9, id: "Short")]
public class SlotFinderBenchmarks
{
    [Params(10, 100, 1_000, 10_000)]
    public int People { get; set; }

    [Params(4, 12)]
    public int Weeks { get; set; }

    private PersonAvailability[] people = null!;
    private SlotRequest request = null!;
    private DateTimeOffset from, to;

    [GlobalSetup]
    public void Setup()
    {
        people = SlotFinderData.People(People, Weeks);
        request = SlotFinderData.FindRequest(Weeks, SlotFinderData.ProgramQuorum(People));
        from = SlotFinderData.FirstInstant;
        to = from.AddDays(Weeks * 7);
        SlotFinderWarmUp.Run(() => { Find(); CommonFreeTime(); });
    }

    [Benchmark(Description = "SlotFinder.Find")]
    public IReadOnlyList<SlotCandidate> Find() => SlotFinder.Find(request, people);

    [Benchmark(Description = "SlotFinder.CommonFreeTime")]
    public IReadOnlyList<UtcInterval> CommonFreeTime() => SlotFinder.CommonFreeTime(people, from, to);
}

/// <summary>The everyday case: one 12-person circle (two required) over 8 weeks, default quorum (all but one).</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9, id: "Short")]
public class SlotFinderCircleBenchmarks
{
    private PersonAvailability[] people = null!;
    private SlotRequest request = null!;

    [GlobalSetup]
    public void Setup()
    {
        people = SlotFinderData.Circle();
        request = SlotFinderData.FindRequest(8, quorum: null);
        SlotFinderWarmUp.Run(() => { Find(); CommonFreeTime(); });
    }

    [Benchmark(Description = "SlotFinder.Find, 12-person circle, 8 weeks")]
    public IReadOnlyList<SlotCandidate> Find() => SlotFinder.Find(request, people);

    [Benchmark(Description = "SlotFinder.CommonFreeTime, 12-person circle, 8 weeks")]
    public IReadOnlyList<UtcInterval> CommonFreeTime() =>
        SlotFinder.CommonFreeTime(people, SlotFinderData.FirstInstant, SlotFinderData.FirstInstant.AddDays(56));
}
