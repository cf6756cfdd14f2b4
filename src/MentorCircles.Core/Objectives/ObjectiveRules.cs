using System.Globalization;
using MentorCircles.Core.Common;

namespace MentorCircles.Core.Objectives;

public static class ObjectiveStatus
{
    public const string Active = "active";
    public const string Achieved = "achieved";
    public const string Dropped = "dropped";
    public static IReadOnlyList<string> All { get; } = [Active, Achieved, Dropped];

    public static string Label(string status) => status switch
    {
        Active => "Active",
        Achieved => "Achieved",
        Dropped => "Dropped",
        _ => status,
    };
}

/// <summary>Who may see a member's objective. The one decision every read goes through.</summary>
public static class ObjectiveVisibility
{
    public const string Private = "private";
    public const string Facilitators = "facilitators";
    public const string Circle = "circle";
    public static IReadOnlyList<string> All { get; } = [Private, Facilitators, Circle];

    /// <summary>
    /// The owner always; "circle" every member who passed the agreement gate; "facilitators" the circle's facilitators
    /// and mentors; "private" no one else. The viewer is assumed to have passed CircleAccess.RequireContentAsync.
    /// </summary>
    public static bool CanSee(long viewerId, bool viewerIsLead, long ownerId, string visibility) =>
        viewerId == ownerId || visibility switch
        {
            Circle => true,
            Facilitators => viewerIsLead,
            _ => false,
        };

    public static string Label(string visibility) => visibility switch
    {
        Private => "Only me",
        Facilitators => "Me, facilitators and mentors",
        Circle => "Everyone in the circle",
        _ => visibility,
    };
}

/// <summary>Pure checks of objective and check-in input; each failure says what was wrong and nothing is saved.</summary>
public static class ObjectiveRules
{
    public const int MaxTitle = 200;
    public const int MaxLongText = 4000;
    public const int MaxNote = 2000;
    public const int MaxMilestones = 30;

    /// <summary>Trims what a person typed and turns missing text into empty text.</summary>
    public static ObjectiveInput Normalize(ObjectiveInput input) => input with
    {
        Title = input.Title?.Trim() ?? "",
        Why = input.Why?.Trim() ?? "",
        SuccessCriteria = input.SuccessCriteria?.Trim() ?? "",
        Status = input.Status?.Trim() ?? "",
        Visibility = input.Visibility?.Trim() ?? "",
        Milestones = (input.Milestones ?? []).Select(m => m with { Title = m.Title?.Trim() ?? "" }).ToList(),
    };

    /// <param name="today">Today in the owner's time zone.</param>
    /// <param name="savedTargetDate">The target date already saved (null for a new objective): an unchanged date may have passed.</param>
    public static List<FieldError> Check(ObjectiveInput input, DateOnly today, DateOnly? savedTargetDate = null)
    {
        var errors = new List<FieldError>();
        CheckTitle("Title", "the objective", input.Title, errors);
        CheckLongText("Why", "\"Why it matters\"", input.Why, MaxLongText, errors);
        CheckLongText("SuccessCriteria", "\"Success criteria\"", input.SuccessCriteria, MaxLongText, errors);
        if (input.TargetDate is { } target && target < today && target != savedTargetDate)
            errors.Add(new("TargetDate", $"The target date {target.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} has passed; choose today or a later date, or leave it empty."));
        if (!ObjectiveStatus.All.Contains(input.Status ?? ""))
            errors.Add(new("Status", "Choose a status: active, achieved or dropped."));
        if (!ObjectiveVisibility.All.Contains(input.Visibility ?? ""))
            errors.Add(new("Visibility", "Choose who can see this objective: only you, facilitators and mentors, or everyone in the circle."));
        var milestones = input.Milestones ?? [];
        if (milestones.Count > MaxMilestones)
            errors.Add(new("Milestones", $"An objective can have up to {MaxMilestones} milestones; this one has {milestones.Count}."));
        for (var i = 0; i < milestones.Count && i < MaxMilestones; i++)
            CheckTitle($"Milestones[{i}]", $"milestone {i + 1}", milestones[i].Title, errors);
        var ids = milestones.Where(m => m.Id is not null).Select(m => m.Id).ToList();
        if (ids.Count != ids.Distinct().Count())
            errors.Add(new("Milestones", "The same milestone appears twice; reload the page and try again."));
        return errors;
    }

    public static List<FieldError> CheckCheckIn(CheckInInput input)
    {
        var errors = new List<FieldError>();
        if (input.Progress is not (>= 0 and <= 100))
            errors.Add(new("Progress", $"Progress is a percentage from 0 to 100; {input.Progress} is outside that."));
        CheckLongText("Note", "The note", input.Note?.Trim(), MaxNote, errors);
        return errors;
    }

    private static void CheckTitle(string field, string what, string? title, List<FieldError> errors)
    {
        var t = title?.Trim() ?? "";
        if (t.Length == 0)
            errors.Add(new(field, $"Give {what} a title."));
        else if (t.Length > MaxTitle)
            errors.Add(new(field, $"The title of {what} is {t.Length:N0} characters long; keep it to {MaxTitle}."));
        else if (Accounts.AccountRules.HasInvisibleOrBroken(t))
            errors.Add(new(field, $"The title of {what} cannot contain line breaks, control characters or invisible formatting characters."));
        else
            TextRules.CheckPlainText(field, $"The title of {what}", t, errors);
    }

    private static void CheckLongText(string field, string what, string? text, int max, List<FieldError> errors)
    {
        var t = text ?? "";
        if (t.Length > max)
            errors.Add(new(field, $"{Capitalize(what)} is {t.Length:N0} characters long; keep it to {max:N0}."));
        // Line breaks and tabs are fine in longer text; other control characters and broken characters are not.
        else if (Accounts.AccountRules.HasInvisibleOrBroken(t.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal)))
            errors.Add(new(field, $"{Capitalize(what)} contains control characters or invisible formatting characters; remove them."));
        else
            TextRules.CheckPlainText(field, Capitalize(what), t, errors);
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>Today's date where the person lives (a target date "in the past" means past for them).</summary>
    public static DateOnly Today(DateTimeOffset now, string timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var tz)
            ? TimeZoneInfo.ConvertTime(now, tz).DateTime
            : now.UtcDateTime);

    /// <summary>An instant as the viewer's wall-clock time.</summary>
    public static DateTime Local(DateTimeOffset at, string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var tz) ? TimeZoneInfo.ConvertTime(at, tz).DateTime : at.UtcDateTime;
}

public enum Attention
{
    None,
    /// <summary>The member has set no objective in this circle yet.</summary>
    NoObjective,
    /// <summary>The member has active objectives but no check-in (nor a new objective) within <see cref="ObjectiveAttention.Window"/>.</summary>
    NoRecentCheckIn,
}

/// <summary>One of a member's objectives as the attention rule needs it: nothing of its content.</summary>
public sealed record AttentionInput(string Status, DateTimeOffset CreatedAt, DateTimeOffset? LastCheckInAt);

/// <summary>Which members a lead should look in on.</summary>
public static class ObjectiveAttention
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(14);

    public static Attention For(IReadOnlyCollection<AttentionInput> objectives, DateTimeOffset now)
    {
        if (objectives.Count == 0) return Attention.NoObjective;
        var active = objectives.Where(o => o.Status == ObjectiveStatus.Active).ToList();
        // Everything achieved or dropped: nothing is waiting for a check-in.
        if (active.Count == 0) return Attention.None;
        // A freshly set objective counts as activity, so a member is not flagged the day they start.
        var last = active.Max(o => o.LastCheckInAt is { } c && c > o.CreatedAt ? c : o.CreatedAt);
        return now - last >= Window ? Attention.NoRecentCheckIn : Attention.None;
    }

    public static string Label(Attention a) => a switch
    {
        Attention.NoObjective => "No objective yet",
        Attention.NoRecentCheckIn => "No check-in for 14 days",
        _ => "",
    };
}
