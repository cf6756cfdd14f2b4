namespace MentorCircles.Core.Scheduling;

/// <summary>One meeting of a candidate slot: its date in the home zone, when it starts, and who cannot come to it.</summary>
public sealed record SlotOccurrence(DateOnly Date, DateTimeOffset StartUtc, IReadOnlyList<long> CannotCome);

/// <summary>A person who misses <paramref name="Missed"/> of the candidate's <paramref name="Occurrences"/> meetings.</summary>
public sealed record SlotAbsence(long PersonId, string? Name, int Missed, int Occurrences);

/// <summary>
/// A ranked time: the same local day and time in the circle's home zone for every occurrence.
/// </summary>
/// <param name="FirstStartUtc">When the first occurrence starts.</param>
/// <param name="LocalDay">The home-zone weekday of the first occurrence (every occurrence for Weekly and Fortnightly).</param>
/// <param name="LocalTime">The home-zone start time. On a spring-forward date where it does not exist the occurrence starts later by the gap.</param>
/// <param name="Occurrences">Every meeting of the slot in the date window, in order.</param>
/// <param name="CannotCome">Everyone who misses at least one occurrence, most misses first; required people never appear.</param>
/// <param name="FreeCount">People who can come to every occurrence.</param>
/// <param name="PeopleCount">Everyone considered, required or not.</param>
/// <param name="MissedPersonOccurrences">The sum over occurrences of the people who cannot come: the first ranking key.</param>
/// <param name="OutsideWakingPersonOccurrences">The sum over occurrences of the people whose wall clock leaves waking hours during the session: the second ranking key.</param>
/// <param name="InsideWakingHours">True when the session is inside everyone's waking hours at every occurrence.</param>
/// <param name="Score">For display, higher is better, 100 at best: 100 / (1 + missed + outside / (total person-occurrences + 1)). It orders candidates exactly as the first two ranking keys do.</param>
/// <param name="Explanation">A sentence or two for people, e.g. "7 of 8 free every week; Tomás misses 1 of 4 weeks. Inside everyone's waking hours (08:00–21:00)."</param>
public sealed record SlotCandidate(
    DateTimeOffset FirstStartUtc,
    DayOfWeek LocalDay,
    TimeOnly LocalTime,
    IReadOnlyList<SlotOccurrence> Occurrences,
    IReadOnlyList<SlotAbsence> CannotCome,
    int FreeCount,
    int PeopleCount,
    int MissedPersonOccurrences,
    int OutsideWakingPersonOccurrences,
    bool InsideWakingHours,
    double Score,
    string Explanation);
