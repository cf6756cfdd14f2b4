using MentorCircles.Core.Agreements;
using MentorCircles.Core.Common;

namespace MentorCircles.Tests.Agreements;

public sealed class AgreementRulesTests
{
    private static List<FieldError> CheckBody(string? body)
    {
        var errors = new List<FieldError>();
        AgreementRules.CheckBody(body, errors);
        return errors;
    }

    [Theory]
    [InlineData("Aisha Bello", "Aisha Bello")]
    [InlineData("  aisha bello  ", "Aisha Bello")]
    [InlineData("AISHA BELLO", "Aisha Bello")]
    [InlineData("Aisha   Bello", "Aisha Bello")]
    [InlineData("tomás herrera", "Tomás Herrera")]
    [InlineData("Toma\u0301s Herrera", "Tomás Herrera")]   // the accent typed as a combining mark
    [InlineData("dr. helen carter", "Dr. Helen Carter")]
    public void A_signature_matches_the_display_name_trimmed_and_ignoring_case(string typed, string name)
    {
        Assert.True(AgreementRules.SignatureMatches(typed, name));
    }

    [Theory]
    [InlineData("Aisha", "Aisha Bello")]
    [InlineData("Aisha Bell", "Aisha Bello")]
    [InlineData("A. Bello", "Aisha Bello")]
    [InlineData("Bello Aisha", "Aisha Bello")]
    [InlineData("Tomas Herrera", "Tomás Herrera")]
    [InlineData("Helen Carter", "Dr. Helen Carter")]
    [InlineData("", "Aisha Bello")]
    [InlineData(null, "Aisha Bello")]
    public void A_signature_that_is_not_the_full_name_does_not_match(string? typed, string name)
    {
        Assert.False(AgreementRules.SignatureMatches(typed, name));
    }

    [Fact]
    public void A_wrong_signature_is_told_which_name_to_type()
    {
        var errors = new List<FieldError>();
        AgreementRules.CheckSignature("Grace T", "Grace Thompson", errors);

        var error = Assert.Single(errors);
        Assert.Equal("Signature", error.Field);
        Assert.Contains("Grace Thompson", error.Message);
        Assert.Contains("\"Grace T\"", error.Message);
    }

    [Fact]
    public void An_empty_signature_asks_for_the_name()
    {
        var errors = new List<FieldError>();
        AgreementRules.CheckSignature("   ", "Grace Thompson", errors);

        Assert.Contains("Type your full name", Assert.Single(errors).Message);
    }

    [Fact]
    public void The_stored_signature_is_trimmed_with_single_spaces()
    {
        Assert.Equal("Aisha Bello", AgreementRules.SignatureForm("  Aisha \t Bello "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\n\t ")]
    public void Empty_text_is_refused(string? body)
    {
        Assert.Contains("cannot be empty", Assert.Single(CheckBody(body)).Message);
    }

    [Fact]
    public void Text_over_twenty_thousand_characters_is_refused_with_its_length_and_the_limit()
    {
        var error = Assert.Single(CheckBody(new string('a', 20_001)));

        Assert.Contains("20,001 characters", error.Message);
        Assert.Contains("limit is 20,000", error.Message);
        Assert.Empty(CheckBody(new string('a', 20_000)));
    }

    [Theory]
    [InlineData("Be kind. <script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<div>\nraw\n</div>")]
    public void Html_in_the_text_is_refused(string body)
    {
        Assert.Contains("Markdown, not HTML", Assert.Single(CheckBody(body)).Message);
    }

    [Fact]
    public void A_javascript_link_in_the_text_is_refused()
    {
        var error = Assert.Single(CheckBody("[policy](javascript:alert(1))"));

        Assert.Contains("javascript:alert(1)", error.Message);
        Assert.Contains("https://", error.Message);
    }

    [Fact]
    public void Ordinary_markdown_with_web_links_and_comparisons_is_accepted()
    {
        Assert.Empty(CheckBody("# Ours\n\nGroups of < 8 people. See [policy](https://example.org) or mail <coordinator@example.org>."));
    }

    [Fact]
    public void Identical_text_makes_no_new_version()
    {
        Assert.False(AgreementRules.IsNewVersion("# Ours\n\nStay kind.", "# Ours\n\nStay kind."));
        // Only line endings and trailing blank space differ: the same text as far as a reader can tell.
        Assert.False(AgreementRules.IsNewVersion("# Ours\n\nStay kind.", "# Ours\r\n\r\nStay kind.\n\n  "));
    }

    [Fact]
    public void Changed_text_or_a_first_text_makes_a_new_version()
    {
        Assert.True(AgreementRules.IsNewVersion("# Ours\n\nStay kind.", "# Ours\n\nStay kind, always."));
        Assert.True(AgreementRules.IsNewVersion("Stay kind.", "stay kind."));
        Assert.True(AgreementRules.IsNewVersion(null, "Stay kind."));
    }
}
