using MentorCircles.Core.Circles;

namespace MentorCircles.Tests.Circles;

public sealed class CircleRulesTests
{
    private const int GroupMax = 6;

    /// <summary>The roles each format has room for, written out here independently of the rules under test.</summary>
    private static readonly Dictionary<string, string[]> allowed = new()
    {
        ["group"] = ["mentor", "mentee", "facilitator"],
        ["one_to_one"] = ["mentor", "mentee"],
        ["near_peer"] = ["mentor", "mentee"],
        ["facilitated_peer"] = ["facilitator", "peer"],
        ["peer"] = ["peer"],
    };

    private static int MaxFor(string format) => format == "one_to_one" ? 2 : GroupMax;

    /// <summary>Every format × every role × every size from 0 to one above the maximum.</summary>
    public static TheoryData<string, string, int> EveryFormatRoleAndSize()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var format in CircleRules.Formats)
            foreach (var role in CircleRules.Roles)
                for (var n = 0; n <= MaxFor(format) + 1; n++)
                    data.Add(format, role, n);
        return data;
    }

    private static List<RuleMember> Same(string role, int n, string? stage = null) =>
        Enumerable.Range(1, n).Select(i => new RuleMember(role, stage, $"{role} {i}")).ToList();

    [Theory]
    [MemberData(nameof(EveryFormatRoleAndSize))]
    public void Errors_come_exactly_from_a_full_circle_a_role_the_format_has_no_room_for_or_too_many_of_a_role(string format, string role, int n)
    {
        var max = MaxFor(format);
        var findings = CircleRules.Check(format, max, Same(role, n));
        var errors = findings.Where(f => f.IsError).Select(f => f.Message).ToList();

        var full = n > max;
        var wrongRole = n > 0 && !allowed[format].Contains(role);
        var tooMany = (format, role) switch
        {
            ("group", "mentor") => n > 2,
            ("one_to_one", _) => n > 2 || (n == 2 && role is "mentor" or "mentee"),
            ("facilitated_peer", "facilitator") => n > 1,
            _ => false,
        };

        Assert.Equal(full || wrongRole || tooMany, errors.Count > 0);
        Assert.Equal(full, errors.Any(e => e.Contains($"at most {max} members", StringComparison.Ordinal)));
        Assert.Equal(wrongRole, errors.Any(e => e.Contains($"has no {role}s", StringComparison.Ordinal)));
        if (format == "one_to_one" && n > 2) Assert.Contains(errors, e => e.Contains("no room for a third", StringComparison.Ordinal));
        if (format == "group" && role == "mentor" && n > 2) Assert.Contains(errors, e => e.Contains($"would make {n}", StringComparison.Ordinal));
        Assert.All(findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
    }

    [Theory]
    [MemberData(nameof(EveryFormatRoleAndSize))]
    public void Warnings_say_what_is_still_missing_for_the_format(string format, string role, int n)
    {
        var warnings = CircleRules.Check(format, MaxFor(format), Same(role, n)).Where(f => !f.IsError).Select(f => f.Message).ToList();
        bool Warns(string text) => warnings.Any(w => w.Contains(text, StringComparison.Ordinal));
        var has = (string r) => role == r && n > 0;

        switch (format)
        {
            case "group":
                Assert.Equal(!has("mentor"), Warns("no mentor yet"));
                Assert.Equal(!(role == "mentee" && n >= 5), Warns("at least 5 mentees"));
                break;
            case "one_to_one":
                Assert.Equal(!has("mentor"), Warns("it has no mentor"));
                Assert.Equal(!has("mentee"), Warns("it has no mentee"));
                break;
            case "facilitated_peer":
                Assert.Equal(!has("facilitator"), Warns("no facilitator yet"));
                Assert.Equal(!(role == "peer" && n >= 2), Warns("at least two peers"));
                break;
            case "peer":
                Assert.Equal(!(role == "peer" && n >= 2), Warns("at least two peers"));
                break;
            case "near_peer":
                Assert.Equal(!has("mentor"), Warns("no mentor yet"));
                Assert.Equal(!has("mentee"), Warns("no mentee yet"));
                // No stage recorded: each mentor and mentee is asked for one.
                Assert.Equal(role is "mentor" or "mentee" ? n : 0, warnings.Count(w => w.StartsWith("Record ", StringComparison.Ordinal)));
                break;
        }
    }

    [Theory]
    [InlineData("group", 7)]
    [InlineData("peer", 2)]
    [InlineData("facilitated_peer", 50)]
    [InlineData("near_peer", 4)]
    public void A_circle_can_reach_its_maximum_size_but_never_go_above_it(string format, int max)
    {
        var fill = format switch { "facilitated_peer" or "peer" => "peer", _ => "mentee" };
        Assert.DoesNotContain(CircleRules.Check(format, max, Same(fill, max)), f => f.IsError);

        var over = CircleRules.Check(format, max, Same(fill, max + 1));
        var error = Assert.Single(over, f => f.IsError);
        Assert.Equal($"This circle is full: it can have at most {max} members, and this change would make {max + 1}.", error.Message);
    }

    [Fact]
    public void A_complete_group_one_to_one_facilitated_peer_and_peer_circle_has_nothing_to_say()
    {
        Assert.Empty(CircleRules.Check("group", 10, [.. Same("mentor", 2), .. Same("mentee", 5)]));
        Assert.Empty(CircleRules.Check("group", 10, [.. Same("mentor", 1), .. Same("mentee", 6), .. Same("facilitator", 1)]));
        Assert.Empty(CircleRules.Check("one_to_one", 2, [new("mentor"), new("mentee")]));
        Assert.Empty(CircleRules.Check("facilitated_peer", 9, [.. Same("facilitator", 1), .. Same("peer", 7)]));
        Assert.Empty(CircleRules.Check("peer", 5, Same("peer", 3)));
        Assert.Empty(CircleRules.Check("near_peer", 4, [new("mentor", "Year 4"), new("mentee", "Year 2"), new("mentor", "Year 3"), new("mentee", "Year 1")]));
    }

    [Fact]
    public void A_one_to_one_refuses_a_third_person_and_a_second_mentor_or_mentee()
    {
        Assert.Contains(CircleRules.Check("one_to_one", 2, [new("mentor"), new("mentee"), new("mentee")]),
            f => f.IsError && f.Message.Contains("no room for a third", StringComparison.Ordinal));
        Assert.Contains(CircleRules.Check("one_to_one", 2, [new("mentor"), new("mentor")]),
            f => f.IsError && f.Message == "A one-to-one has exactly one mentor: there is already one.");
        Assert.Contains(CircleRules.Check("one_to_one", 2, [new("mentee"), new("mentee")]),
            f => f.IsError && f.Message == "A one-to-one has exactly one mentee: there is already one.");
    }

    [Fact]
    public void A_peer_circle_refuses_anyone_but_peers()
    {
        foreach (var role in new[] { "mentor", "mentee", "facilitator" })
        {
            var error = Assert.Single(CircleRules.Check("peer", 10, [.. Same("peer", 3), new(role)]), f => f.IsError);
            Assert.Equal($"A peer circle has no {role}s; its roles are peers.", error.Message);
        }
    }

    [Theory]
    [InlineData("Year 4", "Year 1", 3)]
    [InlineData("Year 1", "Year 4", 3)]
    [InlineData("PGY-6", "PGY-1", 5)]
    public void A_near_peer_pair_more_than_two_stages_apart_is_warned_about(string mentorStage, string menteeStage, int gap)
    {
        var findings = CircleRules.Check("near_peer", 2, [new("mentor", mentorStage, "Ana"), new("mentee", menteeStage, "Ben")]);

        var warning = Assert.Single(findings);
        Assert.False(warning.IsError);
        Assert.Contains($"Ben (stage {CircleRules.StageNumber(menteeStage)}) is {gap} stages from the nearest mentor", warning.Message);
    }

    [Theory]
    [InlineData("Year 4", "Year 2")]
    [InlineData("Year 3", "Year 1")]
    [InlineData("4th year", "3rd year")]
    [InlineData("Year 2", "Year 2")]
    public void A_near_peer_pair_at_most_two_stages_apart_is_fine(string mentorStage, string menteeStage)
    {
        Assert.Empty(CircleRules.Check("near_peer", 2, [new("mentor", mentorStage), new("mentee", menteeStage)]));
    }

    [Fact]
    public void A_near_peer_member_without_a_stage_or_with_no_number_in_it_is_warned_about()
    {
        var findings = CircleRules.Check("near_peer", 2, [new("mentor", null, "Ana"), new("mentee", "sophomore", "Ben")]);

        Assert.All(findings, f => Assert.False(f.IsError));
        Assert.Contains(findings, f => f.Message.StartsWith("Record Ana's stage", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.StartsWith("Ben's stage \"sophomore\" has no number", StringComparison.Ordinal));
    }

    [Fact]
    public void Near_peer_compares_each_mentee_with_the_nearest_mentor_and_warns_when_pairs_are_uneven()
    {
        var findings = CircleRules.Check("near_peer", 6,
            [new("mentor", "Year 5"), new("mentor", "Year 2"), new("mentee", "Year 1", "Cy"), new("mentee", "Year 9", "Di"), new("mentee", "Year 4", "Ed")]);

        Assert.All(findings, f => Assert.False(f.IsError));
        Assert.Contains(findings, f => f.Message.Contains("2 mentors and 3 mentees", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.StartsWith("Di (stage 9) is 4 stages", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Message.StartsWith("Cy", StringComparison.Ordinal) || f.Message.StartsWith("Ed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Year 4", 4)]
    [InlineData("PGY-2", 2)]
    [InlineData("3rd year", 3)]
    [InlineData("  12 ", 12)]
    [InlineData("senior", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void StageNumber_reads_the_first_whole_number(string? stage, int? expected)
    {
        Assert.Equal(expected, CircleRules.StageNumber(stage));
    }

    [Fact]
    public void A_circle_below_its_minimum_size_is_warned_about_but_not_refused()
    {
        var findings = CircleRules.Check("peer", 10, Same("peer", 3), minSize: 4);

        var warning = Assert.Single(findings);
        Assert.False(warning.IsError);
        Assert.Equal("The circle has 3 members, below its minimum of 4.", warning.Message);
    }

    [Fact]
    public void An_unknown_format_is_an_error()
    {
        var error = Assert.Single(CircleRules.Check("triad", 10, Same("peer", 3)));
        Assert.True(error.IsError);
        Assert.Contains("not a circle format", error.Message);
    }

    [Theory]
    [InlineData("group", true)]
    [InlineData("peer", true)]
    [InlineData("near_peer", true)]
    [InlineData("facilitated_peer", true)]
    [InlineData("one_to_one", false)]
    public void Re_acceptance_on_join_is_on_by_default_except_for_one_to_one(string format, bool expected)
    {
        Assert.Equal(expected, CircleRules.DefaultReacceptOnJoin(format));
        Assert.Equal(expected, CircleRules.Defaults(format, "Europe/London").ReacceptOnJoin);
    }

    [Fact]
    public void The_roles_offered_for_each_format_are_the_ones_it_accepts()
    {
        foreach (var format in CircleRules.Formats)
        {
            Assert.Equal(allowed[format].Order(), CircleRules.RolesFor(format).Order());
            foreach (var role in CircleRules.RolesFor(format))
                Assert.DoesNotContain(CircleRules.Check(format, 10, [new(role)]), f => f.IsError);
        }
    }
}
