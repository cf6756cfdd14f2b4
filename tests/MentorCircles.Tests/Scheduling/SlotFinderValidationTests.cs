using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;
using static MentorCircles.Tests.Scheduling.SlotFinderKit;

namespace MentorCircles.Tests.Scheduling;

public sealed class SlotFinderValidationTests
{
    private static readonly SlotRequest Good = new(60, D("2027-01-04"), D("2027-01-31"), SlotCadence.Weekly, "Europe/London");

    private static readonly PersonAvailability[] Eight =
        [Required(1, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00")), .. Enumerable.Range(2, 7).Select(i => Person(i, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00")))];

    private static FieldError Refused(SlotRequest request, IReadOnlyList<PersonAvailability>? people = null) =>
        Assert.Single(Assert.Throws<InvalidInputException>(() => SlotFinder.Find(request, people ?? Eight)).Errors);

    [Fact]
    public void A_good_request_is_accepted()
    {
        Assert.NotEmpty(SlotFinder.Find(Good, Eight));
    }

    [Fact]
    public void A_date_window_of_ten_years_is_refused_with_its_length()
    {
        var e = Refused(Good with { ToDate = D("2037-01-03") });

        Assert.Equal("toDate", e.Field);
        Assert.Equal("The date window is 3,653 days long; choose at most 26 weeks (182 days).", e.Message);
    }

    [Fact]
    public void Exactly_26_weeks_is_allowed()
    {
        Assert.NotEmpty(SlotFinder.Find(Good with { ToDate = Good.FromDate.AddDays(181) }, Eight));
        Assert.Equal("toDate", Refused(Good with { ToDate = Good.FromDate.AddDays(182) }).Field);
    }

    [Fact]
    public void An_inverted_date_window_is_refused()
    {
        var e = Refused(Good with { FromDate = D("2027-02-10"), ToDate = D("2027-02-01") });

        Assert.Equal("The date window ends (2027-02-01) before it starts (2027-02-10).", e.Message);
    }

    [Fact]
    public void Quorum_larger_than_the_members_who_are_not_required_is_refused()
    {
        var e = Refused(Good with { Quorum = 12 });

        Assert.Equal("quorum", e.Field);
        Assert.Equal("Quorum 12 is larger than the 7 members who are not required.", e.Message);
    }

    [Fact]
    public void A_negative_quorum_is_refused()
    {
        Assert.Equal("Quorum cannot be negative.", Refused(Good with { Quorum = -1 }).Message);
    }

    [Theory]
    [InlineData(0, "A session must last at least 1 minute.")]
    [InlineData(-30, "A session must last at least 1 minute.")]
    [InlineData(481, "A session can last at most 8 hours (480 minutes); 481 minutes is too long.")]
    public void A_length_of_nothing_or_over_eight_hours_is_refused(int minutes, string message)
    {
        var e = Refused(Good with { LengthMinutes = minutes });

        Assert.Equal("lengthMinutes", e.Field);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Eight_hours_is_allowed()
    {
        var allDay = new[] { Required(1, "Europe/London", W(DayOfWeek.Monday, "09:00", "17:00")) };

        Assert.Single(SlotFinder.Find(Good with { LengthMinutes = 480 }, allDay));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(45)]
    [InlineData(90)]
    public void A_step_that_does_not_divide_an_hour_is_refused(int step)
    {
        var e = Refused(Good with { StepMinutes = step });

        Assert.Equal("stepMinutes", e.Field);
        Assert.EndsWith($"; {step} does not.", e.Message);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("US/Pacific")]
    public void An_unknown_home_time_zone_is_refused(string zone)
    {
        var e = Refused(Good with { HomeTimeZoneId = zone });

        Assert.Equal("homeTimeZoneId", e.Field);
        Assert.Contains("is not a time zone we know", e.Message);
    }

    [Fact]
    public void A_persons_unknown_time_zone_is_refused_naming_them()
    {
        var e = Refused(Good, [Person(7, "Mars/Base") with { Name = "Zoë" }]);

        Assert.Equal("Zoë (person 7) has the time zone 'Mars/Base', which is not one we know.", e.Message);
    }

    [Fact]
    public void A_window_that_passes_midnight_is_refused_with_how_to_write_it()
    {
        var e = Refused(Good, [Person(7, "Europe/London", W(DayOfWeek.Friday, "22:00", "01:00")) with { Name = null }]);

        Assert.Equal("Person 7's Friday window 22:00–01:00 ends before it starts; split a window that passes midnight into two.", e.Message);
    }

    [Fact]
    public void Inverted_away_periods_and_busy_blocks_are_refused()
    {
        var person = Person(7, "Europe/London") with
        {
            Away = [new AwayPeriod(D("2027-01-10"), D("2027-01-05"))],
            Busy = [new BusyBlock(Utc("2027-01-05T10:00:00Z"), Utc("2027-01-05T09:00:00Z"))],
        };

        var errors = Assert.Throws<InvalidInputException>(() => SlotFinder.Find(Good, [person])).Errors;

        Assert.Equal(2, errors.Count);
        Assert.Contains("away period 2027-01-10 to 2027-01-05 ends before it starts", errors[0].Message);
        Assert.Contains("busy block", errors[1].Message);
    }

    [Fact]
    public void The_same_person_twice_is_refused()
    {
        var e = Refused(Good, [Person(7, "Europe/London"), Person(7, "Europe/London")]);

        Assert.Equal("P7 (person 7) is listed twice.", e.Message);
    }

    [Fact]
    public void Nobody_to_schedule_is_refused()
    {
        Assert.Equal("There is no one to find a time for.", Refused(Good, []).Message);
    }

    [Fact]
    public void Inverted_waking_hours_and_silly_result_counts_are_refused()
    {
        Assert.Equal("wakingTo", Refused(Good with { WakingFrom = T("21:00"), WakingTo = T("08:00") }).Field);
        Assert.Equal("maxResults", Refused(Good with { MaxResults = 0 }).Field);
        Assert.Equal("maxResults", Refused(Good with { MaxResults = 1000 }).Field);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Assert.Throws<InvalidInputException>(() =>
            SlotFinder.Find(Good with { LengthMinutes = 0, StepMinutes = 7, HomeTimeZoneId = "Nowhere", Quorum = 99 }, Eight)).Errors;

        Assert.Equal(["homeTimeZoneId", "lengthMinutes", "stepMinutes", "quorum"], errors.Select(e => e.Field));
    }

    [Fact]
    public void CommonFreeTime_refuses_a_backwards_or_overlong_span()
    {
        var from = Utc("2027-01-04T00:00:00Z");

        Assert.Equal("The span ends before it starts.",
            Assert.Single(Assert.Throws<InvalidInputException>(() => SlotFinder.CommonFreeTime(Eight, from, from.AddDays(-1))).Errors).Message);
        Assert.Equal("The span is 3,653 days long; choose at most 26 weeks (182 days).",
            Assert.Single(Assert.Throws<InvalidInputException>(() => SlotFinder.CommonFreeTime(Eight, from, from.AddDays(3653))).Errors).Message);
    }
}
