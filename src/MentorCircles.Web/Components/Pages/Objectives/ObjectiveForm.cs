using MentorCircles.Core.Objectives;

namespace MentorCircles.Web.Components.Pages.Objectives;

/// <summary>What the objective form holds while a person types; turned into an <see cref="ObjectiveInput"/> on save.</summary>
public sealed class ObjectiveForm
{
    private int nextKey;

    public string Title { get; set; } = "";
    public string Why { get; set; } = "";
    public string SuccessCriteria { get; set; } = "";
    public DateOnly? TargetDate { get; set; }
    public string Status { get; set; } = ObjectiveStatus.Active;
    public string Visibility { get; set; } = ObjectiveVisibility.Private;
    public List<MilestoneLine> Milestones { get; } = [];

    public sealed class MilestoneLine(int key)
    {
        public int Key { get; } = key;
        public long? Id { get; init; }
        public string Title { get; set; } = "";
        public bool Done { get; set; }
    }

    public MilestoneLine AddMilestone(long? id = null, string title = "", bool done = false)
    {
        var line = new MilestoneLine(nextKey++) { Id = id, Title = title, Done = done };
        Milestones.Add(line);
        return line;
    }

    public void Move(int index, int by)
    {
        var to = index + by;
        if (index < 0 || index >= Milestones.Count || to < 0 || to >= Milestones.Count) return;
        (Milestones[index], Milestones[to]) = (Milestones[to], Milestones[index]);
    }

    public static ObjectiveForm From(ObjectiveDetail o)
    {
        var f = new ObjectiveForm
        {
            Title = o.Title,
            Why = o.Why,
            SuccessCriteria = o.SuccessCriteria,
            TargetDate = o.TargetDate,
            Status = o.Status,
            Visibility = o.Visibility,
        };
        foreach (var m in o.Milestones) f.AddMilestone(m.Id, m.Title, m.DoneAt is not null);
        return f;
    }

    /// <summary>Blank milestone lines are dropped: an empty box is not a milestone.</summary>
    public ObjectiveInput ToInput() => new(
        Title, Why, SuccessCriteria, TargetDate, Status, Visibility,
        Milestones.Where(m => m.Id is not null || !string.IsNullOrWhiteSpace(m.Title)).Select(m => new MilestoneInput(m.Id, m.Title, m.Done)).ToList());
}
