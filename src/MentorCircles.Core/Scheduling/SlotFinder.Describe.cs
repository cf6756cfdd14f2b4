using System.Globalization;
using System.Text;

namespace MentorCircles.Core.Scheduling;

public static partial class SlotFinder
{
    private const int NamesInExplanation = 5;

    /// <summary>Fills in who cannot come and the explanation, for one of the few candidates returned.</summary>
    private static SlotCandidate Describe(
        SlotRequest request, Grid g, IReadOnlyList<PersonAvailability> people, PersonAvailability[] nonRequired,
        int[] othersFree, StartRanges othersOk, Dictionary<string, (int People, StartRanges Ok)> waking, Key key)
    {
        var occurrences = new List<SlotOccurrence>();
        var misses = new Dictionary<int, int>();
        var outsideZones = new SortedSet<string>(StringComparer.Ordinal);
        for (var day = key.Phase; day < g.Days; day += g.Period)
        {
            var c = g.StartCell(day, key.Slot);
            var cannot = new List<long>();
            // The counts already say whether anyone is missing; only then is everyone looked at.
            if (othersFree[c] < nonRequired.Length)
            {
                for (var i = 0; i < nonRequired.Length; i++)
                {
                    if (othersOk.Allows(i, c)) continue;
                    cannot.Add(nonRequired[i].PersonId);
                    misses[i] = misses.GetValueOrDefault(i) + 1;
                }
            }
            foreach (var (zone, w) in waking)
                if (!w.Ok.Allows(0, c)) outsideZones.Add(zone);
            occurrences.Add(new SlotOccurrence(g.FirstDate.AddDays(day), Utc(g.StartUtc(day, key.Slot)), cannot));
        }

        var absences = misses
            .OrderByDescending(m => m.Value).ThenBy(m => m.Key)
            .Select(m => new SlotAbsence(nonRequired[m.Key].PersonId, nonRequired[m.Key].Name, m.Value, occurrences.Count))
            .ToList();
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
