using MentorCircles.Core.Common;

namespace MentorCircles.Tests.Common;

public sealed class TimeZonesTests
{
    [Theory]
    [InlineData("Europe/London")]
    [InlineData("America/New_York")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData("Asia/Kolkata")]
    [InlineData("Pacific/Chatham")]
    [InlineData("Africa/Lagos")]
    [InlineData("UTC")]
    public void IANA_zones_are_valid(string id)
    {
        Assert.True(TimeZones.IsValid(id));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("Europe/")]
    [InlineData("../../etc/passwd")]
    [InlineData("Pacific Standard Time")]
    [InlineData("US/Pacific")]
    [InlineData("Asia/Calcutta")]
    [InlineData("EST")]
    [InlineData("europe/london")]
    public void Made_up_empty_Windows_alias_and_misspelt_zones_are_not_valid(string? id)
    {
        Assert.False(TimeZones.IsValid(id));
    }

    [Fact]
    public void A_1000_character_zone_is_not_valid()
    {
        Assert.False(TimeZones.IsValid(new string('a', 1000)));
        Assert.False(TimeZones.IsValid("Europe/" + new string('a', 993)));
    }

    [Fact]
    public void The_list_to_choose_from_is_sorted_without_duplicates_and_has_the_common_zones()
    {
        var ids = TimeZones.All.Select(z => z.Id).ToList();

        Assert.True(ids.Count > 100, $"only {ids.Count} zones");
        Assert.Contains("Europe/London", ids);
        Assert.Contains("America/New_York", ids);
        Assert.Contains("UTC", ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Every_zone_in_the_list_is_accepted()
    {
        Assert.All(TimeZones.All, z => Assert.True(TimeZones.IsValid(z.Id), z.Id));
    }

    [Theory]
    [InlineData("Asia/Kolkata", "Asia/Kolkata (UTC+05:30)")]
    [InlineData("America/Bogota", "America/Bogota (UTC-05:00)")]
    [InlineData("America/Argentina/Buenos_Aires", "America/Argentina/Buenos Aires (UTC-03:00)")]
    public void A_label_shows_the_zone_readably_with_its_offset(string id, string label)
    {
        Assert.Equal(label, TimeZones.Label(id));
        Assert.Equal(label, Assert.Single(TimeZones.All, z => z.Id == id).Label);
    }
}
