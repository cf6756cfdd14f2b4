using System.Globalization;
using System.Text.RegularExpressions;
using MentorCircles.Core.Accounts;
using MentorCircles.Core.Common;

namespace MentorCircles.Core.Circles;

public enum RuleSeverity { Error, Warning }

/// <summary>One thing the format rules say about a circle's membership. Errors refuse a change; warnings are shown and the change is saved.</summary>
public sealed record RuleFinding(RuleSeverity Severity, string Message)
{
    public bool IsError => Severity == RuleSeverity.Error;
}

/// <summary>A member as the rules see them: a circle role, a stage for near-peer pairs, and a name for messages.</summary>
public sealed record RuleMember(string Role, string? Stage = null, string Name = "");

/// <summary>A circle's settings as a coordinator types them (bound by the settings form, checked by <see cref="CircleRules.CheckSettings"/>).</summary>
public sealed record CircleSettings
{
    public string Name { get; set; } = "";
    public string Purpose { get; set; } = "";
    public string Format { get; set; } = "group";
    public string Modality { get; set; } = "in_person";
    public string MeetingPlace { get; set; } = "";
    public string MeetingFallback { get; set; } = "";
    public string TimeZone { get; set; } = "";
    public string Cadence { get; set; } = "weekly";
    public int SessionMinutes { get; set; } = 60;
    public int MinSize { get; set; } = 2;
    public int MaxSize { get; set; } = 10;
    public bool ReacceptOnJoin { get; set; } = true;

    /// <summary>The settings as they are saved: texts trimmed.</summary>
    public CircleSettings Normalized() => this with
    {
        Name = Name?.Trim() ?? "",
        Purpose = Purpose?.Trim() ?? "",
        MeetingPlace = MeetingPlace?.Trim() ?? "",
        MeetingFallback = MeetingFallback?.Trim() ?? "",
        TimeZone = TimeZone?.Trim() ?? "",
    };
}

/// <summary>
/// The pure rules of circles: which settings are valid, and what each format asks of its members
/// (group: 1–2 mentors and ideally 5+ mentees; one-to-one: one mentor and one mentee; facilitated peer: one facilitator
/// plus peers; peer: peers only; near-peer: mentor/mentee pairs a small stage apart). No database, no clock.
/// </summary>
public static partial class CircleRules
{
    public static readonly IReadOnlyList<string> Formats = ["group", "peer", "near_peer", "facilitated_peer", "one_to_one"];
    public static readonly IReadOnlyList<string> Modalities = ["in_person", "distance", "hybrid"];
    public static readonly IReadOnlyList<string> Cadences = ["weekly", "fortnightly", "monthly"];
    public static readonly IReadOnlyList<string> Roles = ["facilitator", "mentor", "mentee", "peer"];

    public const int MaxName = 200;
    public const int MaxPurpose = 4000;
    public const int MaxPlace = 1000;
    public const int MaxStage = 100;
    public const int MinSessionMinutes = 15;
    public const int MaxSessionMinutes = 480;
    public const int SmallestCircle = 2;
    public const int LargestCircle = 50;
    /// <summary>Near-peer pairs further apart than this many stages get a warning.</summary>
    public const int MaxStageGap = 2;
    /// <summary>A group circle with fewer mentees than this gets a warning.</summary>
    public const int GroupMenteesAtLeast = 5;

    /// <summary>The roles each format has room for.</summary>
    public static IReadOnlyList<string> RolesFor(string format) => format switch
    {
        "group" => ["mentor", "mentee", "facilitator"],
        "one_to_one" => ["mentor", "mentee"],
        "near_peer" => ["mentor", "mentee"],
        "facilitated_peer" => ["facilitator", "peer"],
        "peer" => ["peer"],
        _ => [],
    };

    /// <summary>Group and peer circles ask everyone to accept the agreement again when someone joins; a one-to-one does not.</summary>
    public static bool DefaultReacceptOnJoin(string format) => format != "one_to_one";

    /// <summary>Settings a new circle of <paramref name="format"/> starts from.</summary>
    public static CircleSettings Defaults(string format, string timeZone) => new()
    {
        Format = format,
        TimeZone = timeZone,
        ReacceptOnJoin = DefaultReacceptOnJoin(format),
        MinSize = format == "one_to_one" ? 2 : 3,
        MaxSize = format == "one_to_one" ? 2 : 10,
    };

    /// <summary>What the format rules say about these members (the whole membership after a change).</summary>
    public static IReadOnlyList<RuleFinding> Check(string format, int maxSize, IReadOnlyList<RuleMember> members, int minSize = SmallestCircle)
    {
        var findings = new List<RuleFinding>();
        void Error(string m) => findings.Add(new(RuleSeverity.Error, m));
        void Warn(string m) => findings.Add(new(RuleSeverity.Warning, m));

        if (!Formats.Contains(format))
        {
            Error($"'{Shorten(format)}' is not a circle format; choose group, peer, near-peer, facilitated peer or one-to-one.");
            return findings;
        }
        var n = members.Count;
        int Count(string role) => members.Count(m => m.Role == role);
        var label = Short(format);

        if (n > maxSize)
            Error($"This circle is full: it can have at most {maxSize} members, and this change would make {n}.");

        var allowed = RolesFor(format);
        foreach (var role in Roles.Where(r => !allowed.Contains(r) && Count(r) > 0))
            Error($"A {label} circle has no {role}s; its roles are {Listed(allowed.Select(Plural).ToList())}.");

        switch (format)
        {
            case "group":
                if (Count("mentor") > 2)
                    Error($"A group circle has one or two mentors; this change would make {Count("mentor")}.");
                else if (Count("mentor") == 0)
                    Warn("This group circle has no mentor yet: add one or two.");
                if (Count("mentee") < GroupMenteesAtLeast)
                    Warn($"A group circle works best with at least {GroupMenteesAtLeast} mentees; it has {Count("mentee")}.");
                break;
            case "one_to_one":
                if (n > 2)
                    Error("A one-to-one is exactly two people, one mentor and one mentee: there is no room for a third.");
                else
                {
                    if (Count("mentor") > 1) Error("A one-to-one has exactly one mentor: there is already one.");
                    if (Count("mentee") > 1) Error("A one-to-one has exactly one mentee: there is already one.");
                }
                if (Count("mentor") == 0) Warn("This one-to-one is not complete yet: it has no mentor.");
                if (Count("mentee") == 0) Warn("This one-to-one is not complete yet: it has no mentee.");
                break;
            case "facilitated_peer":
                if (Count("facilitator") > 1)
                    Error($"A facilitated peer circle has exactly one facilitator; this change would make {Count("facilitator")}.");
                else if (Count("facilitator") == 0)
                    Warn("This facilitated peer circle has no facilitator yet.");
                if (Count("peer") < 2)
                    Warn($"A facilitated peer circle needs at least two peers; it has {Count("peer")}.");
                break;
            case "peer":
                if (Count("peer") < 2)
                    Warn($"A peer circle needs at least two peers; it has {Count("peer")}.");
                break;
            case "near_peer":
                CheckNearPeer(members, Warn);
                break;
        }

        // A one-to-one's own warning already says who is missing.
        if (n < minSize && format != "one_to_one" && !findings.Any(f => f.IsError))
            Warn($"The circle has {n} {(n == 1 ? "member" : "members")}, below its minimum of {minSize}.");
        return findings;
    }

    private static void CheckNearPeer(IReadOnlyList<RuleMember> members, Action<string> warn)
    {
        var mentors = members.Where(m => m.Role == "mentor").ToList();
        var mentees = members.Where(m => m.Role == "mentee").ToList();
        if (mentors.Count == 0) warn("This near-peer circle has no mentor yet: each mentee is paired with a mentor a little ahead of them.");
        if (mentees.Count == 0) warn("This near-peer circle has no mentee yet.");
        if (mentors.Count > 0 && mentees.Count > 0 && mentors.Count != mentees.Count)
            warn($"Near-peer mentoring pairs one mentor with one mentee; this circle has {mentors.Count} mentors and {mentees.Count} mentees.");

        foreach (var m in mentors.Concat(mentees))
        {
            if (string.IsNullOrWhiteSpace(m.Stage))
                warn($"Record {Who(m)}'s stage (for example \"Year 2\") so the gap between mentor and mentee can be checked.");
            else if (StageNumber(m.Stage) is null)
                warn($"{Capital(Who(m))}'s stage \"{Shorten(m.Stage)}\" has no number in it (such as \"Year 2\"), so the gap cannot be checked.");
        }
        var mentorStages = mentors.Select(m => StageNumber(m.Stage)).OfType<int>().ToList();
        if (mentorStages.Count == 0) return;
        foreach (var mentee in mentees)
        {
            if (StageNumber(mentee.Stage) is not { } stage) continue;
            var gap = mentorStages.Min(s => Math.Abs(s - stage));
            if (gap > MaxStageGap)
                warn($"{Capital(Who(mentee))} (stage {stage}) is {gap} stages from the nearest mentor; near-peer works best when the gap is small ({MaxStageGap} or less).");
        }
    }

    /// <summary>The first whole number in a stage such as "Year 4", "PGY-2" or "3rd year"; null when there is none.</summary>
    public static int? StageNumber(string? stage)
    {
        if (string.IsNullOrWhiteSpace(stage)) return null;
        var match = FirstNumber().Match(stage);
        return match.Success && int.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>Every problem with a circle's settings, each with its field and what to do.</summary>
    public static List<FieldError> CheckSettings(CircleSettings input)
    {
        var s = input.Normalized();
        var errors = new List<FieldError>();

        if (s.Name.Length == 0)
            errors.Add(new("Name", "Give the circle a name."));
        else if (s.Name.Length > MaxName)
            errors.Add(new("Name", $"The name is {s.Name.Length:N0} characters long; keep it to {MaxName}."));
        else if (AccountRules.HasInvisibleOrBroken(s.Name))
            errors.Add(new("Name", "The name cannot contain line breaks, control characters or invisible formatting characters."));

        if (s.Purpose.Length > MaxPurpose)
            errors.Add(new("Purpose", $"The purpose is {s.Purpose.Length:N0} characters long; keep it to {MaxPurpose:N0}."));
        else if (s.Purpose.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            errors.Add(new("Purpose", "The purpose cannot contain control characters other than line breaks and tabs."));

        TextRules.CheckPlainText("Name", "The name", s.Name, errors);
        TextRules.CheckPlainText("Purpose", "The purpose", s.Purpose, errors);
        TextRules.CheckPlainText("MeetingPlace", "The meeting link or place", s.MeetingPlace, errors);
        TextRules.CheckPlainText("MeetingFallback", "The fallback", s.MeetingFallback, errors);

        var formatKnown = Formats.Contains(s.Format);
        if (!formatKnown)
            errors.Add(new("Format", $"'{Shorten(s.Format)}' is not a circle format; choose group, peer, near-peer, facilitated peer or one-to-one."));
        if (!Modalities.Contains(s.Modality))
            errors.Add(new("Modality", $"'{Shorten(s.Modality)}' is not a way of meeting; choose in person, distance or hybrid."));

        if (s.MeetingPlace.Length == 0)
            errors.Add(new("MeetingPlace", s.Modality == "in_person"
                ? "Say where the circle meets, for example a room."
                : "Give the meeting link (and the room, for a hybrid circle)."));
        else if (s.MeetingPlace.Length > MaxPlace)
            errors.Add(new("MeetingPlace", $"The meeting link or place is {s.MeetingPlace.Length:N0} characters long; keep it to {MaxPlace:N0}."));
        else if (HasControlCharacters(s.MeetingPlace))
            errors.Add(new("MeetingPlace", "The meeting link or place cannot contain control characters."));

        if (s.MeetingFallback.Length == 0 && s.Modality == "distance")
            errors.Add(new("MeetingFallback", "A distance circle needs a fallback for when the link fails, for example a dial-in number."));
        else if (s.MeetingFallback.Length > MaxPlace)
            errors.Add(new("MeetingFallback", $"The fallback is {s.MeetingFallback.Length:N0} characters long; keep it to {MaxPlace:N0}."));
        else if (HasControlCharacters(s.MeetingFallback))
            errors.Add(new("MeetingFallback", "The fallback cannot contain control characters."));

        AccountRules.CheckTimeZone(s.TimeZone, errors);

        if (!Cadences.Contains(s.Cadence))
            errors.Add(new("Cadence", $"'{Shorten(s.Cadence)}' is not a cadence; choose weekly, every two weeks or monthly."));
        if (s.SessionMinutes is < MinSessionMinutes or > MaxSessionMinutes)
            errors.Add(new("SessionMinutes", $"A session of {s.SessionMinutes} minutes is not possible; choose {MinSessionMinutes} to {MaxSessionMinutes} minutes."));

        if (s.MinSize is < SmallestCircle or > LargestCircle)
            errors.Add(new("MinSize", $"A minimum size of {s.MinSize} is not possible; choose {SmallestCircle} to {LargestCircle}."));
        if (s.MaxSize is < SmallestCircle or > LargestCircle)
            errors.Add(new("MaxSize", $"A maximum size of {s.MaxSize} is not possible; choose {SmallestCircle} to {LargestCircle}."));
        else if (s.MinSize is >= SmallestCircle and <= LargestCircle && s.MinSize > s.MaxSize)
            errors.Add(new("MaxSize", $"The minimum size ({s.MinSize}) is larger than the maximum ({s.MaxSize}); make the maximum at least the minimum."));
        else if (formatKnown && s.Format == "one_to_one" && s.MaxSize != 2)
            errors.Add(new("MaxSize", "A one-to-one is two people: set its minimum and maximum size to 2."));

        return errors;
    }

    /// <summary>Problems with a new member's role and stage (who they are is checked against the program).</summary>
    public static List<FieldError> CheckMember(string? role, string? stage)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(role))
            errors.Add(new("Role", "Choose the person's role in the circle."));
        else if (!Roles.Contains(role))
            errors.Add(new("Role", $"'{Shorten(role)}' is not a circle role; choose facilitator, mentor, mentee or peer."));
        var s = stage?.Trim() ?? "";
        if (s.Length > MaxStage)
            errors.Add(new("Stage", $"The stage is {s.Length:N0} characters long; keep it to {MaxStage}."));
        else if (AccountRules.HasInvisibleOrBroken(s))
            errors.Add(new("Stage", "The stage cannot contain line breaks, control characters or invisible formatting characters."));
        else
            TextRules.CheckPlainText("Stage", "The stage", s, errors);
        return errors;
    }

    private static bool HasControlCharacters(string s) => s.Any(char.IsControl);

    private static string Plural(string role) => role + "s";

    private static string Listed(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    /// <summary>The format as it reads inside a sentence ("a near-peer circle").</summary>
    public static string Short(string format) => format switch
    {
        "near_peer" => "near-peer",
        "facilitated_peer" => "facilitated peer",
        "one_to_one" => "one-to-one",
        _ => format,
    };

    private static string Who(RuleMember m) => string.IsNullOrWhiteSpace(m.Name) ? $"the {m.Role}" : m.Name;

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string Shorten(string? s) => s is null ? "" : s.Length <= 40 ? s : s[..40] + "…";

    [GeneratedRegex(@"\d{1,6}")]
    private static partial Regex FirstNumber();
}
