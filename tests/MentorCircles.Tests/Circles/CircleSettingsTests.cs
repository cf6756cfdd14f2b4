using MentorCircles.Core.Circles;

namespace MentorCircles.Tests.Circles;

public sealed class CircleSettingsTests
{
    private static CircleSettings Valid() => new()
    {
        Name = "Grant Writing Group",
        Purpose = "Write a first grant together.",
        Format = "group",
        Modality = "distance",
        MeetingPlace = "https://meet.example.org/grants",
        MeetingFallback = "Dial-in +1 555 0100",
        TimeZone = "Europe/London",
        Cadence = "fortnightly",
        SessionMinutes = 60,
        MinSize = 3,
        MaxSize = 10,
        ReacceptOnJoin = true,
    };

    private static FieldErrorView SingleError(CircleSettings s)
    {
        var error = Assert.Single(CircleRules.CheckSettings(s));
        return new(error.Field, error.Message);
    }

    private sealed record FieldErrorView(string Field, string Message);

    [Fact]
    public void Valid_settings_have_no_errors()
    {
        Assert.Empty(CircleRules.CheckSettings(Valid()));
        Assert.Empty(CircleRules.CheckSettings(Valid() with { Format = "one_to_one", MinSize = 2, MaxSize = 2 }));
        Assert.Empty(CircleRules.CheckSettings(Valid() with { Modality = "in_person", MeetingFallback = "" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_name_is_refused(string name)
    {
        Assert.Equal(new FieldErrorView("Name", "Give the circle a name."), SingleError(Valid() with { Name = name }));
    }

    [Fact]
    public void A_name_of_201_characters_is_refused_and_200_accepted()
    {
        Assert.Empty(CircleRules.CheckSettings(Valid() with { Name = new string('n', 200) }));
        Assert.Equal(new FieldErrorView("Name", "The name is 201 characters long; keep it to 200."), SingleError(Valid() with { Name = new string('n', 201) }));
    }

    [Fact]
    public void A_name_with_a_line_break_is_refused()
    {
        Assert.Equal("Name", SingleError(Valid() with { Name = "Two\nlines" }).Field);
    }

    [Fact]
    public void HTML_or_script_in_a_name_or_purpose_is_refused_with_a_clear_message()
    {
        var errors = CircleRules.CheckSettings(Valid() with { Name = "<script>alert(1)</script>", Purpose = "<b>bold</b> & <img src=x onerror=alert(1)>" });
        Assert.Equal(["Name", "Purpose"], errors.Select(e => e.Field).ToArray());
        Assert.All(errors, e => Assert.Contains("cannot contain HTML or script", e.Message));
        Assert.Empty(CircleRules.CheckSettings(Valid() with { Purpose = "Grants < 50k & deadlines > May" }));
    }

    [Fact]
    public void A_100_KB_purpose_is_refused_saying_how_long_it_is()
    {
        var error = SingleError(Valid() with { Purpose = new string('p', 100 * 1024) });
        Assert.Equal("Purpose", error.Field);
        Assert.Equal("The purpose is 102,400 characters long; keep it to 4,000.", error.Message);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("EST")]
    public void An_unknown_time_zone_is_refused(string tz)
    {
        Assert.Equal("TimeZone", SingleError(Valid() with { TimeZone = tz }).Field);
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(14, false)]
    [InlineData(15, true)]
    [InlineData(480, true)]
    [InlineData(481, false)]
    [InlineData(1000, false)]
    public void The_usual_length_is_15_to_480_minutes(int minutes, bool ok)
    {
        var errors = CircleRules.CheckSettings(Valid() with { SessionMinutes = minutes });
        Assert.Equal(ok, errors.Count == 0);
        if (!ok) Assert.Equal($"A session of {minutes} minutes is not possible; choose 15 to 480 minutes.", Assert.Single(errors).Message);
    }

    [Theory]
    [InlineData(2, 2, null)]
    [InlineData(2, 50, null)]
    [InlineData(1, 10, "MinSize")]
    [InlineData(51, 51, "MinSize")]
    [InlineData(3, 51, "MaxSize")]
    [InlineData(3, 1, "MaxSize")]
    [InlineData(8, 5, "MaxSize")]
    public void Sizes_are_2_to_50_with_the_minimum_at_most_the_maximum(int min, int max, string? field)
    {
        var errors = CircleRules.CheckSettings(Valid() with { MinSize = min, MaxSize = max });
        if (field is null) Assert.Empty(errors);
        else Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void A_minimum_above_the_maximum_says_so()
    {
        Assert.Equal("The minimum size (8) is larger than the maximum (5); make the maximum at least the minimum.",
            SingleError(Valid() with { MinSize = 8, MaxSize = 5 }).Message);
    }

    [Fact]
    public void A_one_to_one_is_two_people()
    {
        Assert.Equal(new FieldErrorView("MaxSize", "A one-to-one is two people: set its minimum and maximum size to 2."),
            SingleError(Valid() with { Format = "one_to_one", MinSize = 2, MaxSize = 3 }));
    }

    [Theory]
    [InlineData("Format", "triad")]
    [InlineData("Modality", "telepathy")]
    [InlineData("Cadence", "daily")]
    public void Unknown_codes_are_refused(string field, string value)
    {
        var s = field switch
        {
            "Format" => Valid() with { Format = value },
            "Modality" => Valid() with { Modality = value },
            _ => Valid() with { Cadence = value },
        };
        var error = SingleError(s);
        Assert.Equal(field, error.Field);
        Assert.Contains($"'{value}'", error.Message);
    }

    [Fact]
    public void A_distance_circle_needs_a_fallback_and_says_so()
    {
        var error = SingleError(Valid() with { MeetingFallback = "  " });
        Assert.Equal("MeetingFallback", error.Field);
        Assert.Contains("distance circle needs a fallback", error.Message);
    }

    [Fact]
    public void Every_circle_needs_a_meeting_link_or_place()
    {
        Assert.Equal("MeetingPlace", SingleError(Valid() with { MeetingPlace = "" }).Field);
        Assert.Equal("MeetingPlace", SingleError(Valid() with { MeetingPlace = new string('x', 1001) }).Field);
    }

    [Fact]
    public void Several_problems_are_all_reported_at_once()
    {
        var errors = CircleRules.CheckSettings(new CircleSettings { Name = "", TimeZone = "Nowhere", MinSize = 9, MaxSize = 51, SessionMinutes = 5, Modality = "distance" });

        Assert.Equal(["Name", "MeetingPlace", "MeetingFallback", "TimeZone", "SessionMinutes", "MaxSize"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("mentor", null, null)]
    [InlineData("peer", "Year 2", null)]
    [InlineData("", null, "Role")]
    [InlineData("boss", null, "Role")]
    [InlineData("mentee", "Year\n2", "Stage")]
    public void A_new_member_needs_a_known_role_and_a_short_single_line_stage(string role, string? stage, string? field)
    {
        var errors = CircleRules.CheckMember(role, stage);
        if (field is null) Assert.Empty(errors);
        else Assert.Equal(field, Assert.Single(errors).Field);
        Assert.Equal("Stage", Assert.Single(CircleRules.CheckMember("mentee", new string('y', 101))).Field);
    }
}
