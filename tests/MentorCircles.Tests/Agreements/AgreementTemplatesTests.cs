using System.Text.RegularExpressions;
using MentorCircles.Core.Agreements;
using MentorCircles.Core.Common;

namespace MentorCircles.Tests.Agreements;

public sealed partial class AgreementTemplatesTests
{
    public static TheoryData<string> Keys => new(AgreementTemplates.All.Select(t => t.Key));

    [Fact]
    public void There_is_a_group_a_peer_and_a_one_to_one_template()
    {
        Assert.Equal(["group", "peer", "one_to_one"], AgreementTemplates.All.Select(t => t.Key));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Each_template_is_a_real_text_of_200_to_400_words(string key)
    {
        var text = AgreementTemplates.Text(key);
        var words = Words().Matches(text).Count;

        Assert.InRange(words, 200, 400);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Each_template_covers_what_a_confidentiality_agreement_needs(string key)
    {
        var text = AgreementTemplates.Text(key).ToLowerInvariant();

        Assert.Contains("stays", text);                 // what is said stays in the circle
        Assert.Contains("harm", text);                  // exception: risk of harm
        Assert.Contains("duty", text);                  // exception: legal duty
        Assert.Contains("no recording", text);
        Assert.Contains("private space", text);         // distance etiquette
        Assert.Contains("off-camera", text);
        Assert.Contains("broken", text);                // how a breach is handled
        Assert.Contains("does not end this obligation", text);   // leaving does not end it
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Each_template_can_be_saved_as_it_is(string key)
    {
        var errors = new List<FieldError>();
        AgreementRules.CheckBody(AgreementTemplates.Text(key), errors);

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("group", "group")]
    [InlineData("peer", "peer")]
    [InlineData("near_peer", "peer")]
    [InlineData("facilitated_peer", "peer")]
    [InlineData("one_to_one", "one_to_one")]
    public void Each_circle_format_has_a_matching_template(string format, string key)
    {
        Assert.Equal(key, AgreementTemplates.KeyFor(format));
    }

    [Fact]
    public void An_unknown_template_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AgreementTemplates.Text("../sql/0001_foundation"));
    }

    [GeneratedRegex(@"\p{L}[\p{L}'’-]*")]
    private static partial Regex Words();
}
