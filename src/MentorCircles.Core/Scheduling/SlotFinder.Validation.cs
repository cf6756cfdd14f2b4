using System.Globalization;
using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

public static partial class SlotFinder
{
    // Far enough either way for any real schedule, and keeps tick arithmetic clear of DateTime's limits.
    private const int FirstYear = 1900;
    private const int LastYear = 2999;

    private static void Validate(SlotRequest r, IReadOnlyList<PersonAvailability> people)
    {
        var errors = new List<FieldError>();
        if (!TimeZones.IsValid(r.HomeTimeZoneId))
            errors.Add(new("homeTimeZoneId", $"'{Shorten(r.HomeTimeZoneId)}' is not a time zone we know; choose one such as Europe/London."));

        if (r.FromDate.Year < FirstYear || r.ToDate.Year > LastYear)
            errors.Add(new("fromDate", $"Choose dates between the years {FirstYear} and {LastYear}."));
        else if (r.ToDate < r.FromDate)
            errors.Add(new("toDate", $"The date window ends ({Iso(r.ToDate)}) before it starts ({Iso(r.FromDate)})."));
        else if (r.ToDate.DayNumber - r.FromDate.DayNumber + 1 > SlotRequest.MaxWindowDays)
            errors.Add(new("toDate", string.Create(CultureInfo.InvariantCulture,
                $"The date window is {r.ToDate.DayNumber - r.FromDate.DayNumber + 1:N0} days long; choose at most 26 weeks ({SlotRequest.MaxWindowDays} days).")));

        if (r.LengthMinutes <= 0)
            errors.Add(new("lengthMinutes", "A session must last at least 1 minute."));
        else if (r.LengthMinutes > SlotRequest.MaxLengthMinutes)
            errors.Add(new("lengthMinutes", $"A session can last at most 8 hours ({SlotRequest.MaxLengthMinutes} minutes); {r.LengthMinutes} minutes is too long."));

        if (!Enum.IsDefined(r.Cadence))
            errors.Add(new("cadence", "Choose a cadence: once, weekly or fortnightly."));

        if (r.StepMinutes is <= 0 or > 60 || 60 % r.StepMinutes != 0)
            errors.Add(new("stepMinutes", $"The step between start times must divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60 minutes); {r.StepMinutes} does not."));

        if (r.WakingTo != TimeOnly.MinValue && r.WakingTo <= r.WakingFrom)
            errors.Add(new("wakingTo", $"Waking hours must end after they start ({r.WakingFrom:HH\\:mm}–{r.WakingTo:HH\\:mm})."));

        if (r.MaxResults is < 1 or > SlotRequest.MaxResultsLimit)
            errors.Add(new("maxResults", $"Ask for between 1 and {SlotRequest.MaxResultsLimit} results."));

        if (people.Count == 0)
            errors.Add(new("people", "There is no one to find a time for."));
        ValidatePeople(people, errors);

        var notRequired = people.Count(p => !p.Required);
        if (r.Quorum is < 0)
            errors.Add(new("quorum", "Quorum cannot be negative."));
        else if (r.Quorum is { } q && q > notRequired)
            errors.Add(new("quorum", $"Quorum {q} is larger than the {notRequired} {(notRequired == 1 ? "member who is" : "members who are")} not required."));

        InvalidInputException.ThrowIfAny(errors);
    }

    private static void ValidateSpan(IReadOnlyList<PersonAvailability> people, DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        var errors = new List<FieldError>();
        if (fromUtc.Year < FirstYear || toUtc.Year > LastYear)
            errors.Add(new("fromUtc", $"Choose times between the years {FirstYear} and {LastYear}."));
        else if (toUtc < fromUtc)
            errors.Add(new("toUtc", "The span ends before it starts."));
        else if (toUtc - fromUtc > TimeSpan.FromDays(SlotRequest.MaxWindowDays))
            errors.Add(new("toUtc", string.Create(CultureInfo.InvariantCulture,
                $"The span is {(toUtc - fromUtc).TotalDays:N0} days long; choose at most 26 weeks ({SlotRequest.MaxWindowDays} days).")));
        ValidatePeople(people, errors);
        InvalidInputException.ThrowIfAny(errors);
    }

    private static void ValidatePeople(IReadOnlyList<PersonAvailability> people, List<FieldError> errors)
    {
        var seen = new HashSet<long>();
        foreach (var p in people)
        {
            // Named only when something is wrong: building the name for each of thousands of people costs more than checking them.
            string who() => p.Name is { Length: > 0 } n ? $"{Shorten(n)} (person {p.PersonId})" : $"Person {p.PersonId}";
            if (!seen.Add(p.PersonId))
                errors.Add(new("people", $"{who()} is listed twice."));
            if (!TimeZones.IsValid(p.TimeZoneId))
                errors.Add(new("people", $"{who()} has the time zone '{Shorten(p.TimeZoneId)}', which is not one we know."));
            foreach (var w in p.Weekly)
            {
                if (!Enum.IsDefined(w.Day))
                    errors.Add(new("people", $"{who()} has a weekly window on an unknown day."));
                else if (!w.EndsAtMidnight && w.End <= w.Start)
                    errors.Add(new("people", $"{who()}'s {w.Day} window {w.Start:HH\\:mm}–{w.End:HH\\:mm} ends before it starts; split a window that passes midnight into two."));
            }
            foreach (var a in p.Away)
            {
                if (a.To < a.From)
                    errors.Add(new("people", $"{who()}'s away period {Iso(a.From)} to {Iso(a.To)} ends before it starts."));
            }
            foreach (var b in p.Busy)
            {
                if (b.End < b.Start)
                    errors.Add(new("people", $"{who()}'s busy block from {b.Start:u} to {b.End:u} ends before it starts."));
            }
        }
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Shorten(string? s) => s is null ? "" : s.Length <= 40 ? s : s[..40] + "…";
}
