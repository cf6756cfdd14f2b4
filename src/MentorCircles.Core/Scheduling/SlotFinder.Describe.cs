using System.Globalization;
using System.Text;

namespace MentorCircles.Core.Scheduling;

public static partial class SlotFinder
{
    private const int NamesInExplanation = 5;

    /// <summary>
    /// Who cannot come, by index among the people who are not required, at each start cell of the returned candidates.
    /// Worked out in one walk per person along their free ranges and the sorted cells, so that thousands of people
    /// cost one pass over memory in order rather than a search per person per occurrence.
    /// </summary>
    private sealed class Absentees
    {
        private static readonly List<int> Nobody = [];
        private readonly int[] cells;
        private readonly List<int>[] missing;

        public Absentees(IReadOnlyList<Key> keys, Grid g, int[] othersFree, int othersCount, StartRanges othersOk)
        {
            var needed = new List<int>();
            foreach (var k in keys)
                for (var day = k.Phase; day < g.Days; day += g.Period)
                {
                    var c = g.StartCell(day, k.Slot);
                    // The counts already say whether anyone is missing at all.
                    if (othersFree[c] < othersCount) needed.Add(c);
                }
            cells = [.. needed.Distinct().Order()];
            missing = new List<int>[cells.Length];
            for (var i = 0; i < missing.Length; i++) missing[i] = [];
            if (cells.Length == 0) return;
            for (var person = 0; person < othersCount; person++) othersOk.AddWhereNotAllowed(person, cells, missing);
        }

        public List<int> At(int cell)
        {
            var i = Array.BinarySearch(cells, cell);
            return i >= 0 ? missing[i] : Nobody;
        }
    }

    /// <summary>Fills in who cannot come and the explanation, for one of the few candidates returned.</summary>
    private static SlotCandidate Describe(
        SlotRequest request, Grid g, IReadOnlyList<PersonAvailability> people, PersonAvailability[] nonRequired,
        Absentees absent, int[] misses, Dictionary<string, (int People, StartRanges Ok)> waking, Key key)
    {
        var occurrences = new List<SlotOccurrence>();
        var touched = new List<int>();
        var outsideZones = new SortedSet<string>(StringComparer.Ordinal);
        for (var day = key.Phase; day < g.Days; day += g.Period)
        {
            var c = g.StartCell(day, key.Slot);
            var who = absent.At(c);
            var cannot = new long[who.Count];
            for (var i = 0; i < who.Count; i++)
            {
                cannot[i] = nonRequired[who[i]].PersonId;
                if (misses[who[i]]++ == 0) touched.Add(who[i]);
            }
            foreach (var (zone, w) in waking)
                if (!w.Ok.Allows(0, c)) outsideZones.Add(zone);
            occurrences.Add(new SlotOccurrence(g.FirstDate.AddDays(day), Utc(g.StartUtc(day, key.Slot)), cannot));
        }

        var absences = touched
            .OrderByDescending(i => misses[i]).ThenBy(i => i)
            .Select(i => new SlotAbsence(nonRequired[i].PersonId, nonRequired[i].Name, misses[i], occurrences.Count))
            .ToList();
        // misses is shared by the candidates: leave it zeroed for the next one.
        foreach (var i in touched) misses[i] = 0;
        var total = (double)people.Count * occurrences.Count;
        var outsidePeople = outsideZones.Sum(z => waking[z].People);
        return new SlotCandidate(
            FirstStartUtc: occurrences[0].StartUtc,
            LocalDay: g.FirstDate.AddDays(key.Phase).DayOfWeek,
            LocalTime: TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(key.Slot * g.StepMinutes)),
            Occurrences: occurrences,
            CannotCome: absences,
            FreeCount: people.Count - absences.Count,
            PeopleCount: people.Count,
            MissedPersonOccurrences: (int)key.Missed,
            OutsideWakingPersonOccurrences: (int)key.Outside,
            InsideWakingHours: key.Outside == 0,
            Score: 100.0 / (1 + key.Missed + key.Outside / (total + 1)),
            Explanation: Explain(request, people.Count, absences, outsidePeople, outsideZones));
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>"7 of 8 free every week; Tomás misses 1 of 4 weeks. Inside everyone's waking hours (08:00–21:00)."</summary>
    private static string Explain(SlotRequest r, int peopleCount, List<SlotAbsence> absences, int outsidePeople, SortedSet<string> outsideZones)
    {
        var text = new StringBuilder();
        var every = r.Cadence switch
        {
            SlotCadence.Weekly => " every week",
            SlotCadence.Fortnightly => " every fortnight",
            _ => "",
        };
        text.Append(absences.Count == 0 && peopleCount > 1
            ? $"All {peopleCount} free{every}"
            : $"{peopleCount - absences.Count} of {peopleCount} free{every}");

        if (absences.Count > 0)
        {
            text.Append("; ");
            var named = absences.Take(NamesInExplanation).ToList();
            if (r.Cadence == SlotCadence.Once)
                text.Append(string.Join(", ", named.Select(NameOf))).Append(" cannot come");
            else
            {
                var unit = r.Cadence == SlotCadence.Weekly ? "week" : "fortnight";
                text.Append(string.Join(", ", named.Select(a => $"{NameOf(a)} misses {a.Missed} of {a.Occurrences} {unit}{(a.Occurrences == 1 ? "" : "s")}")));
            }
            if (absences.Count > named.Count) text.Append(CultureInfo.InvariantCulture, $" and {absences.Count - named.Count} more");
        }
        text.Append(". ");

        var hours = $"{Clock(r.WakingFrom)}–{(r.WakingTo == TimeOnly.MinValue ? "24:00" : Clock(r.WakingTo))}";
        text.Append(outsideZones.Count == 0
            ? $"Inside everyone's waking hours ({hours})."
            : $"Outside waking hours ({hours}) for {outsidePeople} {(outsidePeople == 1 ? "person" : "people")} in {string.Join(", ", outsideZones)}.");
        return text.ToString();
    }

    private static string Clock(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string NameOf(SlotAbsence a) => a.Name is { Length: > 0 } n ? n : $"Person {a.PersonId}";
}
