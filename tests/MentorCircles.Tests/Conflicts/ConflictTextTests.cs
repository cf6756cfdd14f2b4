using MentorCircles.Core.Conflicts;

namespace MentorCircles.Tests.Conflicts;

public sealed class ConflictTextTests
{
    [Fact]
    public void Every_kind_the_database_allows_has_a_human_label()
    {
        string[] kinds = [ConflictKinds.DoubleBooked, ConflictKinds.OutsideAvailability, ConflictKinds.NoLeadAvailable,
            ConflictKinds.QuorumAtRisk, ConflictKinds.AgreementNotAccepted, ConflictKinds.BlackoutDate];
        Assert.Equal(["Double-booked", "Outside availability", "No facilitator or mentor available", "Quorum at risk",
            "Agreement not accepted", "On a blackout date"], kinds.Select(ConflictText.KindLabel));
        Assert.Equal("Closed automatically", ConflictText.StatusLabel("closed"));
    }

    [Fact]
    public void A_span_is_shown_in_the_named_zone_across_a_daylight_saving_change()
    {
        // 29 March 2026: London moves to summer time at 01:00 UTC; New York moved on 8 March.
        var start = new DateTimeOffset(2026, 3, 29, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal("Sun 29 Mar 2026, 18:00–19:00", ConflictText.Span(start, start.AddHours(1), "Europe/London"));
        Assert.Equal("Sun 29 Mar 2026, 13:00–14:00", ConflictText.Span(start, start.AddHours(1), "America/New_York"));
        Assert.Equal("Sun 29 Mar 2026, 23:30–Mon 30 Mar, 00:30", ConflictText.Span(start.AddHours(1), start.AddHours(2), "Asia/Kolkata"));
        Assert.Equal("America/New York (UTC−04:00)", ConflictText.ZoneName("America/New_York", start));
    }

    [Fact]
    public void Names_are_joined_as_a_sentence()
    {
        Assert.Equal("", ConflictText.Join([]));
        Assert.Equal("Ann", ConflictText.Join(["Ann"]));
        Assert.Equal("Ann and Bo", ConflictText.Join(["Ann", "Bo"]));
        Assert.Equal("Ann, Bo and Cy", ConflictText.Join(["Ann", "Bo", "Cy"]));
    }
}
