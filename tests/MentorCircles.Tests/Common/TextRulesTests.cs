using MentorCircles.Core.Common;

namespace MentorCircles.Tests.Common;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Hello <b>world</b>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("< script >")]
    [InlineData("</div>")]
    [InlineData("<br/>")]
    [InlineData("<!-- hidden -->")]
    [InlineData("click javascript:alert(1)")]
    [InlineData("<a href=\"https://example.org\">link</a>")]
    public void Markup_and_script_are_refused(string text)
    {
        var errors = new List<FieldError>();
        TextRules.CheckPlainText("Purpose", "The purpose", text, errors);

        var error = Assert.Single(errors);
        Assert.Equal("Purpose", error.Field);
        Assert.Contains("cannot contain HTML or script", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("a < b and c > d")]
    [InlineData("x<y")]
    [InlineData("3 <= 4")]
    [InlineData("Meet at https://meet.example.org/room?a=1&b=2")]
    [InlineData("Year 4 -> Year 5")]
    [InlineData("Tomás & Priya's <3 circle")]
    public void Plain_text_with_angle_brackets_is_fine(string? text)
    {
        var errors = new List<FieldError>();
        TextRules.CheckPlainText("Purpose", "The purpose", text, errors);
        Assert.Empty(errors);
    }
}
