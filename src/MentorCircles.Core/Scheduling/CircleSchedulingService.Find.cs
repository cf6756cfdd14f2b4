using System.Globalization;

namespace MentorCircles.Core.Scheduling;

public sealed partial class CircleSchedulingService
{
    /// <summary>A candidate before it is worded for people: the same shape whether SlotFinder ranked it or <see cref="Monthly"/> did.</summary>
    private sealed record Ranked(DateTimeOffset FirstStartUtc, TimeOnly LocalTime, IReadOnlyList<DateTimeOffset> Starts,
        IReadOnlyList<(string Name, int Missed, int Occurrences)> Absent, int FreeCount, int PeopleCount, bool Inside, string Explanation);

    /// <summary>
    /// Monthly ("the same weekday of the month", as a series runs): SlotFinder knows only fixed-period cadences, so each
    /// date is searched on its own as a single meeting (hard rules per date) and a time is kept when it passes on every
    /// date of the pattern. Ranked as SlotFinder ranks: fewer misses, then fewer outside waking hours, then sooner.
    /// </summary>
    private static List<Ranked> Monthly(SlotRequest request, IReadOnlyList<PersonAvailability> people, DateTimeOffset now)
    {
        var perDate = new Dictionary<DateOnly, Dictionary<TimeOnly, SlotCandidate>>();
        Dictionary<TimeOnly, SlotCandidate> On(DateOnly d)
        {
            if (!perDate.TryGetValue(d, out var found))
                perDate[d] = found = SlotFinder.Find(request with { FromDate = d, ToDate = d, Cadence = SlotCadence.Once, MaxResults = SlotRequest.MaxResultsLimit }, people)
                    .GroupBy(c => c.LocalTime).ToDictionary(g => g.Key, g => g.First());
            return found;
        }

        var options = new List<(long Missed, long Outside, DateOnly First, TimeOnly Time, List<SlotCandidate> Dates)>();
        var lastFirst = request.FromDate.AddDays(27) < request.ToDate ? request.FromDate.AddDays(27) : request.ToDate;
        for (var first = request.FromDate; first <= lastFirst; first = first.AddDays(1))
        {
            var dates = SeriesRules.CandidateDates(first, SeriesCadence.Monthly).TakeWhile(d => d <= request.ToDate).Skip(1).ToList();
            foreach (var (time, start) in On(first))
            {
                if (start.FirstStartUtc <= now) continue;
                var all = new List<SlotCandidate> { start };
                foreach (var d in dates)
                {
                    if (!On(d).TryGetValue(time, out var c)) { all.Clear(); break; }
                    all.Add(c);
                }
                if (all.Count == 0) continue;
                options.Add((all.Sum(c => (long)c.MissedPersonOccurrences), all.Sum(c => (long)c.OutsideWakingPersonOccurrences), first, time, all));
            }
        }

        return options.OrderBy(o => o.Missed).ThenBy(o => o.Outside).ThenBy(o => o.First).ThenBy(o => o.Time).Take(MaxResults).Select(o =>
        {
            var absent = o.Dates.SelectMany(c => c.CannotCome).GroupBy(a => a.PersonId)
                .Select(g => (Name: g.First().Name ?? $"Person {g.Key}", Missed: g.Count(), Occurrences: o.Dates.Count))
                .OrderByDescending(a => a.Missed).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
            var inside = o.Outside == 0;
            var text = (absent.Count == 0 ? $"All {people.Count} free every month" : $"{people.Count - absent.Count} of {people.Count} free every month; "
                    + string.Join(", ", absent.Select(a => $"{a.Name} misses {a.Missed} of {a.Occurrences} {(a.Occurrences == 1 ? "month" : "months")}")))
                + (inside ? $". Inside everyone's waking hours ({ScheduleText.Time(request.WakingFrom)}–{ScheduleText.EndTime(request.WakingTo)})."
                          : ". Outside someone's waking hours on some dates.");
            return new Ranked(o.Dates[0].FirstStartUtc, o.Time, o.Dates.Select(c => c.FirstStartUtc).ToList(), absent,
                people.Count - absent.Count, people.Count, inside, text);
        }).ToList();
    }

    /// <summary>Words a ranked time for people: the circle's zone and the viewer's, both named.</summary>
    private static FoundTime Describe(int rank, Ranked r, FindCadence cadence, string homeZone, string viewerZone)
    {
        var firstLocal = ScheduleWords.Local(r.FirstStartUtc, homeZone);
        var homeDate = DateOnly.FromDateTime(firstLocal);
        var day = homeDate.DayOfWeek.ToString();
        var at = $"{ScheduleWords.Time(r.LocalTime)} {homeZone}";
        var count = $"{r.Starts.Count} {(r.Starts.Count == 1 ? "session" : "sessions")}";
        var home = cadence switch
        {
            FindCadence.Weekly => $"{day}s at {at}, from {ScheduleWords.Date(homeDate)} ({count})",
            FindCadence.Fortnightly => $"Every other {day} at {at}, from {ScheduleWords.Date(homeDate)} ({count})",
            FindCadence.Monthly => $"The {Nth(homeDate)} {day} of each month at {at}, from {ScheduleWords.Date(homeDate)} ({count})",
            _ => ScheduleWords.At(r.FirstStartUtc, homeZone),
        };

        var viewer = ScheduleWords.At(r.FirstStartUtc, viewerZone);
        // Zones change their clocks on different dates (or not at all): say when "your" time is not the same every time.
        var viewerTimes = r.Starts.Select(s => TimeOnly.FromDateTime(ScheduleWords.Local(s, viewerZone))).Distinct().ToList();
        if (viewerTimes.Count > 1)
            viewer += $"; {string.Join(" or ", viewerTimes.Skip(1).Select(ScheduleWords.Time))} on some dates, when only one of the two zones has changed its clocks";

        var cannot = r.Absent.Select(a => cadence == FindCadence.Once ? a.Name
            : string.Create(CultureInfo.InvariantCulture, $"{a.Name} (misses {a.Missed} of {a.Occurrences})")).ToList();
        return new FoundTime(rank, r.FirstStartUtc, homeDate, r.LocalTime, home, viewer, r.Starts, cannot, r.FreeCount, r.PeopleCount, r.Inside, r.Explanation);
    }

    private static string Nth(DateOnly d) => ((d.Day - 1) / 7 + 1) switch
    {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        4 => "4th",
        _ => "last",
    };
}
