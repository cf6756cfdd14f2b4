using MentorCircles.Core.Common;
using MentorCircles.Core.Live;

namespace MentorCircles.Core.Sessions;

/// <summary>One step of a planned agenda or template, before the room runs it.</summary>
public sealed record AgendaStep(AgendaKind Kind, string Title, int Minutes, long? OwnerId = null);

/// <summary>The built-in agenda templates per circle format, and what makes an agenda valid.</summary>
public static class AgendaRules
{
    public const int MaxItems = 30;
    public const int MaxItemMinutes = 240;

    /// <summary>Group mentoring, facilitated peer and one-to-one shapes; peer and near-peer circles use the peer one.</summary>
    public static IReadOnlyList<AgendaStep> BuiltInTemplate(string format) => format switch
    {
        "group" =>
        [
            new(AgendaKind.CheckInRound, "Check-in round", 10),
            new(AgendaKind.ObjectiveRound, "Objective round", 25),
            new(AgendaKind.OpenDiscussion, "Topic discussion", 20),
            new(AgendaKind.Reflection, "Closing round", 5),
        ],
        "facilitated_peer" or "peer" or "near_peer" =>
        [
            new(AgendaKind.CheckInRound, "Check-in round", 10),
            new(AgendaKind.PeerConsultation, "Peer consultation", 30),
            new(AgendaKind.OpenDiscussion, "Open discussion", 15),
            new(AgendaKind.Reflection, "Closing round", 5),
        ],
        "one_to_one" =>
        [
            new(AgendaKind.CheckInRound, "Check-in", 5),
            new(AgendaKind.ObjectiveRound, "Objectives and progress", 25),
            new(AgendaKind.OpenDiscussion, "What is on your mind", 20),
            new(AgendaKind.Reflection, "Actions and close", 10),
        ],
        _ => [new(AgendaKind.OpenDiscussion, "Discussion", 45)],
    };

    public static string KindLabel(AgendaKind kind) => kind switch
    {
        AgendaKind.CheckInRound => "Check-in round",
        AgendaKind.ObjectiveRound => "Objective round",
        AgendaKind.OpenDiscussion => "Open discussion",
        AgendaKind.PeerConsultation => "Peer consultation",
        AgendaKind.Reflection => "Reflection / closing round",
        AgendaKind.Break => "Break",
        _ => "Custom",
    };

    /// <summary>The database spelling of a kind (snake_case, as in the agenda_item CHECK).</summary>
    public static string KindKey(AgendaKind kind) => kind switch
    {
        AgendaKind.CheckInRound => "check_in_round",
        AgendaKind.ObjectiveRound => "objective_round",
        AgendaKind.OpenDiscussion => "open_discussion",
        AgendaKind.PeerConsultation => "peer_consultation",
        AgendaKind.Reflection => "reflection",
        AgendaKind.Break => "break",
        _ => "custom",
    };

    public static AgendaKind ParseKind(string key) => key switch
    {
        "check_in_round" => AgendaKind.CheckInRound,
        "objective_round" => AgendaKind.ObjectiveRound,
        "open_discussion" => AgendaKind.OpenDiscussion,
        "peer_consultation" => AgendaKind.PeerConsultation,
        "reflection" => AgendaKind.Reflection,
        "break" => AgendaKind.Break,
        "custom" => AgendaKind.Custom,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown agenda item kind."),
    };

    /// <summary>Errors for one step; field names say which row ("items[2].title") so a form can point at it.</summary>
    public static List<FieldError> CheckStep(AgendaStep step, string field = "item")
    {
        var errors = new List<FieldError>();
        var title = step.Title?.Trim() ?? "";
        if (title.Length == 0) errors.Add(new($"{field}.title", "Give the agenda item a title."));
        else if (title.Length > 200) errors.Add(new($"{field}.title", $"The title is {title.Length} characters; the limit is 200."));
        else if (TextRules.ContainsMarkup(title)) errors.Add(new($"{field}.title", "The title cannot contain HTML or script."));
        if (step.Minutes is < 1 or > MaxItemMinutes)
            errors.Add(new($"{field}.minutes", $"An agenda item lasts from 1 to {MaxItemMinutes} minutes, not {step.Minutes}."));
        if (!Enum.IsDefined(step.Kind)) errors.Add(new($"{field}.kind", "Choose what kind of item this is."));
        return errors;
    }

    public static List<FieldError> CheckAgenda(IReadOnlyList<AgendaStep> steps)
    {
        var errors = new List<FieldError>();
        if (steps.Count == 0) errors.Add(new("items", "An agenda needs at least one item."));
        if (steps.Count > MaxItems) errors.Add(new("items", $"An agenda has at most {MaxItems} items, not {steps.Count}."));
        for (var i = 0; i < steps.Count && i < MaxItems; i++) errors.AddRange(CheckStep(steps[i], $"items[{i}]"));
        return errors;
    }

    public static int TotalMinutes(IEnumerable<AgendaStep> steps) => steps.Sum(s => s.Minutes);
}
