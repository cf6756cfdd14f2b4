using MentorCircles.Core.Agreements;

namespace MentorCircles.Tests.Agreements;

public sealed class AgreementMarkdownTests
{
    [Fact]
    public void Markdown_becomes_html_with_headings_lists_emphasis_and_web_links()
    {
        var html = AgreementMarkdown.ToHtml("# Title\n\n- **kept** in the circle\n- see [the policy](https://example.org/policy)");

        Assert.Contains("<h1", html);
        Assert.Contains("<strong>kept</strong>", html);
        Assert.Contains("<li>", html);
        Assert.Contains("href=\"https://example.org/policy\"", html);
        Assert.Contains("noopener", html);
    }

    [Fact]
    public void Headings_start_at_the_level_the_page_asks_for()
    {
        var html = AgreementMarkdown.ToHtml("# Top\n\n## Next\n\n###### Deepest", topHeadingLevel: 3);

        Assert.Contains("<h3", html);
        Assert.Contains("<h4", html);
        Assert.Contains("<h6", html);
        Assert.DoesNotContain("<h1", html);
        Assert.DoesNotContain("<h7", html);
    }

    [Theory]
    [InlineData("<script>alert('x')</script>", "<script")]
    [InlineData("Hello <script>alert('x')</script> there", "<script")]
    [InlineData("<img src=x onerror=\"alert(1)\">", "<img")]
    [InlineData("Text with <img src=x onerror=alert(1)> inline", "<img")]
    [InlineData("<div onclick=\"steal()\">\n\nraw block\n\n</div>", "<div")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "<iframe")]
    [InlineData("<a href=\"javascript:alert(1)\">click</a>", "<a ")]
    [InlineData("<!-- hidden --><style>body{display:none}</style>", "<style")]
    public void Raw_html_is_shown_as_text_never_as_markup(string markdown, string forbidden)
    {
        var html = AgreementMarkdown.ToHtml(markdown);

        Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html);   // the tag is still there for the reader to see, escaped
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](  javascript:alert(1) )")]
    [InlineData("[click](<java script:alert(1)>)")]
    [InlineData("[click](jav&#x61;script:alert(1))")]
    [InlineData("[click](java&#9;script:alert(1))")]
    [InlineData("[click](vbscript:msgbox(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[click][ref]\n\n[ref]: javascript:alert(1)")]
    [InlineData("![pic](javascript:alert(1))")]
    public void Links_to_script_addresses_are_not_links(string markdown)
    {
        var html = AgreementMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<p>", html);
    }

    [Fact]
    public void A_link_to_a_script_address_keeps_its_words()
    {
        Assert.Equal("<p>please click here</p>", AgreementMarkdown.ToHtml("please [click here](javascript:alert(1))").Trim());
    }

    [Fact]
    public void Images_show_their_description_instead_of_loading_from_elsewhere()
    {
        var html = AgreementMarkdown.ToHtml("![a smiling group](https://tracker.example/pixel.png)");

        Assert.DoesNotContain("<img", html);
        Assert.Contains("a smiling group", html);
    }

    [Theory]
    [InlineData("https://example.org", true)]
    [InlineData("http://example.org/a?b=c:d", true)]
    [InlineData("mailto:coordinator@example.org", true)]
    [InlineData("/circles/3", true)]
    [InlineData("#exceptions", true)]
    [InlineData("policy/page:2", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" JAVASCRIPT:alert(1)", false)]
    [InlineData("java\tscript:alert(1)", false)]
    [InlineData("java\u0000script:alert(1)", false)]
    [InlineData("data:text/html,<script>", false)]
    [InlineData("file:///etc/passwd", false)]
    public void Only_web_mail_and_relative_addresses_are_safe(string url, bool safe)
    {
        Assert.Equal(safe, AgreementMarkdown.IsSafeUrl(url));
    }

    [Fact]
    public void Html_the_writer_typed_is_found_but_code_and_comparisons_are_not()
    {
        Assert.Equal(["<script>", "</script>"], AgreementMarkdown.FindHtml("Hi <script>alert(1)</script>"));
        Assert.Single(AgreementMarkdown.FindHtml("<div>\nblock\n</div>"));
        Assert.Empty(AgreementMarkdown.FindHtml("Groups of < 5 people, and `<script>` in code, and 3 > 2."));
    }
}
