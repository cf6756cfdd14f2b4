using MentorCircles.Core.Common;
using MentorCircles.Core.Objectives;

namespace MentorCircles.Tests.Objectives;

public sealed class ObjectiveVisibilityTests
{
    private const long Owner = 1, Other = 2;

    // Every viewer role (facilitator, mentor: leads; mentee, peer: not) × every visibility × owner or not.
    [Theory]
    [InlineData("facilitator", "private", false)]
    [InlineData("facilitator", "facilitators", true)]
    [InlineData("facilitator", "circle", true)]
    [InlineData("mentor", "private", false)]
    [InlineData("mentor", "facilitators", true)]
    [InlineData("mentor", "circle", true)]
    [InlineData("mentee", "private", false)]
    [InlineData("mentee", "facilitators", false)]
    [InlineData("mentee", "circle", true)]
    [InlineData("peer", "private", false)]
    [InlineData("peer", "facilitators", false)]
    [InlineData("peer", "circle", true)]
    public void Another_member_sees_an_objective_only_as_its_visibility_allows(string viewerRole, string visibility, bool expected)
    {
        var isLead = viewerRole is "facilitator" or "mentor";
        Assert.Equal(expected, ObjectiveVisibility.CanSee(Other, isLead, Owner, visibility));
    }

    [Theory]
    [InlineData("facilitator", "private")]
    [InlineData("facilitator", "facilitators")]
    [InlineData("facilitator", "circle")]
    [InlineData("mentor", "private")]
    [InlineData("mentor", "facilitators")]
    [InlineData("mentor", "circle")]
    [InlineData("mentee", "private")]
    [InlineData("mentee", "facilitators")]
    [InlineData("mentee", "circle")]
    [InlineData("peer", "private")]
    [InlineData("peer", "facilitators")]
    [InlineData("peer", "circle")]
    public void The_owner_always_sees_their_own_objective(string ownerRole, string visibility)
    {
        var isLead = ownerRole is "facilitator" or "mentor";
        Assert.True(ObjectiveVisibility.CanSee(Owner, isLead, Owner, visibility));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_unknown_visibility_shows_nothing_to_anyone_but_the_owner(bool isLead)
    {
        Assert.False(ObjectiveVisibility.CanSee(Other, isLead, Owner, "everyone"));
        Assert.False(ObjectiveVisibility.CanSee(Other, isLead, Owner, ""));
    }
}

public sealed class ObjectiveRulesTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);

    private static ObjectiveInput Valid(string title = "Submit my first grant", string why = "", string criteria = "", DateOnly? target = null,
        string status = "active", string visibility = "private", params string[] milestones) =>
        ObjectiveRules.Normalize(new(title, why, criteria, target, status, visibility, milestones.Select(m => new MilestoneInput(null, m)).ToList()));

    private static List<string> Fields(List<FieldError> errors) => errors.Select(e => e.Field).ToList();

    [Fact]
    public void A_complete_objective_passes()
    {
        Assert.Empty(ObjectiveRules.Check(Valid(why: "Tenure", criteria: "Submitted", target: Today, milestones: ["Draft aims", "Budget"]), Today));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_title_is_refused(string? title)
    {
        var errors = ObjectiveRules.Check(ObjectiveRules.Normalize(new(title, null, null, null)), Today);
        var e = Assert.Single(errors);
        Assert.Equal("Title", e.Field);
        Assert.Contains("title", e.Message);
    }

    [Fact]
    public void A_title_of_200_characters_passes_and_201_is_refused_saying_the_limit()
    {
        Assert.Empty(ObjectiveRules.Check(Valid(new string('a', 200)), Today));
        var e = Assert.Single(ObjectiveRules.Check(Valid(new string('a', 201)), Today));
        Assert.Equal("Title", e.Field);
        Assert.Contains("201", e.Message);
        Assert.Contains("200", e.Message);
    }

    [Fact]
    public void A_title_with_a_line_break_is_refused()
    {
        Assert.Equal(["Title"], Fields(ObjectiveRules.Check(Valid("Two\nlines"), Today)));
    }

    [Fact]
    public void Why_and_success_criteria_of_4000_characters_pass_and_4001_are_refused()
    {
        Assert.Empty(ObjectiveRules.Check(Valid(why: new string('w', 4000), criteria: new string('c', 4000)), Today));
        Assert.Equal(["Why", "SuccessCriteria"], Fields(ObjectiveRules.Check(Valid(why: new string('w', 4001), criteria: new string('c', 4001)), Today)));
    }

    [Fact]
    public void A_100_KB_text_is_refused_with_its_length()
    {
        var e = Assert.Single(ObjectiveRules.Check(Valid(why: new string('x', 100 * 1024)), Today));
        Assert.Contains("102,400", e.Message);
    }

    [Fact]
    public void Line_breaks_are_fine_in_longer_text_but_other_control_characters_are_not()
    {
        Assert.Empty(ObjectiveRules.Check(Valid(why: "First\r\nSecond\tthird"), Today));
        Assert.Equal(["Why"], Fields(ObjectiveRules.Check(Valid(why: "bell\u0007"), Today)));
    }

    [Fact]
    public void Html_and_script_are_refused_with_a_clear_message_but_angle_brackets_in_prose_are_fine()
    {
        var errors = ObjectiveRules.Check(Valid("<script>alert('x')</script>", why: "<b>bold</b>"), Today);
        Assert.Equal(["Title", "Why"], Fields(errors));
        Assert.All(errors, e => Assert.Contains("cannot contain HTML or script", e.Message));
        Assert.Empty(ObjectiveRules.Check(Valid("Cut review time to < 2 weeks", why: "x<y"), Today));
    }

    [Fact]
    public void A_target_date_today_or_later_passes_and_yesterday_is_refused()
    {
        Assert.Empty(ObjectiveRules.Check(Valid(target: Today), Today));
        Assert.Empty(ObjectiveRules.Check(Valid(target: Today.AddDays(200)), Today));
        var e = Assert.Single(ObjectiveRules.Check(Valid(target: Today.AddDays(-1)), Today));
        Assert.Equal("TargetDate", e.Field);
        Assert.Contains("9 Mar 2026", e.Message);
    }

    [Fact]
    public void A_saved_target_date_that_has_since_passed_may_stay_but_not_be_changed_to_another_past_date()
    {
        var saved = Today.AddDays(-5);
        Assert.Empty(ObjectiveRules.Check(Valid(target: saved), Today, savedTargetDate: saved));
        Assert.Equal(["TargetDate"], Fields(ObjectiveRules.Check(Valid(target: saved.AddDays(1)), Today, savedTargetDate: saved)));
    }

    [Fact]
    public void Status_and_visibility_must_be_known_values()
    {
        Assert.Equal(["Status", "Visibility"], Fields(ObjectiveRules.Check(Valid(status: "done", visibility: "public"), Today)));
        foreach (var s in ObjectiveStatus.All)
            foreach (var v in ObjectiveVisibility.All)
                Assert.Empty(ObjectiveRules.Check(Valid(status: s, visibility: v), Today));
    }

    [Fact]
    public void Each_milestone_needs_a_title_of_at_most_200_characters()
    {
        var errors = ObjectiveRules.Check(Valid(milestones: ["ok", "", new string('m', 201), new string('m', 200)]), Today);
        Assert.Equal(["Milestones[1]", "Milestones[2]"], Fields(errors));
        Assert.Contains("milestone 2", errors[0].Message);
    }

    [Fact]
    public void At_most_30_milestones()
    {
        Assert.Empty(ObjectiveRules.Check(Valid(milestones: Enumerable.Range(1, 30).Select(i => $"Step {i}").ToArray()), Today));
        Assert.Equal(["Milestones"], Fields(ObjectiveRules.Check(Valid(milestones: Enumerable.Range(1, 31).Select(i => $"Step {i}").ToArray()), Today)));
    }

    [Fact]
    public void The_same_milestone_twice_is_refused()
    {
        var input = Valid() with { Milestones = [new MilestoneInput(7, "a"), new MilestoneInput(7, "b")] };
        Assert.Equal(["Milestones"], Fields(ObjectiveRules.Check(input, Today)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(99)]
    [InlineData(100)]
    public void Progress_from_0_to_100_passes(int progress)
    {
        Assert.Empty(ObjectiveRules.CheckCheckIn(new(progress, "note")));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(140)]
    [InlineData(int.MinValue)]
    public void Progress_outside_0_to_100_is_refused_naming_the_value(int progress)
    {
        var e = Assert.Single(ObjectiveRules.CheckCheckIn(new(progress, null)));
        Assert.Equal("Progress", e.Field);
        Assert.Contains(progress.ToString(System.Globalization.CultureInfo.CurrentCulture), e.Message);
    }

    [Fact]
    public void A_note_of_2000_characters_passes_and_2001_is_refused()
    {
        Assert.Empty(ObjectiveRules.CheckCheckIn(new(50, new string('n', 2000))));
        Assert.Equal(["Note"], Fields(ObjectiveRules.CheckCheckIn(new(50, new string('n', 2001)))));
    }

    [Fact]
    public void Today_is_the_date_where_the_person_lives()
    {
        var now = new DateTimeOffset(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);   // 10 March in London, still 9 March in Chicago
        Assert.Equal(new DateOnly(2026, 3, 10), ObjectiveRules.Today(now, "Europe/London"));
        Assert.Equal(new DateOnly(2026, 3, 9), ObjectiveRules.Today(now, "America/Chicago"));
    }
}

public sealed class ObjectiveAttentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_member_without_objectives_needs_a_look()
    {
        Assert.Equal(Attention.NoObjective, ObjectiveAttention.For([], Now));
    }

    [Fact]
    public void A_check_in_13_days_ago_is_recent_enough()
    {
        Assert.Equal(Attention.None, ObjectiveAttention.For([new("active", Now.AddDays(-40), Now.AddDays(-13))], Now));
    }

    [Fact]
    public void A_last_check_in_14_days_ago_needs_a_look()
    {
        Assert.Equal(Attention.NoRecentCheckIn, ObjectiveAttention.For([new("active", Now.AddDays(-40), Now.AddDays(-14))], Now));
    }

    [Fact]
    public void An_objective_set_recently_without_check_ins_does_not_yet_need_a_look_but_an_old_one_does()
    {
        Assert.Equal(Attention.None, ObjectiveAttention.For([new("active", Now.AddDays(-3), null)], Now));
        Assert.Equal(Attention.NoRecentCheckIn, ObjectiveAttention.For([new("active", Now.AddDays(-15), null)], Now));
    }

    [Fact]
    public void The_most_recent_check_in_across_active_objectives_counts()
    {
        Assert.Equal(Attention.None, ObjectiveAttention.For(
            [new("active", Now.AddDays(-60), Now.AddDays(-30)), new("active", Now.AddDays(-60), Now.AddDays(-2))], Now));
    }

    [Fact]
    public void Achieved_and_dropped_objectives_wait_for_no_check_in()
    {
        Assert.Equal(Attention.None, ObjectiveAttention.For(
            [new("achieved", Now.AddDays(-60), Now.AddDays(-30)), new("dropped", Now.AddDays(-60), null)], Now));
        // A recent check-in on a finished objective does not hide a stale active one.
        Assert.Equal(Attention.NoRecentCheckIn, ObjectiveAttention.For(
            [new("achieved", Now.AddDays(-60), Now.AddDays(-1)), new("active", Now.AddDays(-60), Now.AddDays(-20))], Now));
    }
}
