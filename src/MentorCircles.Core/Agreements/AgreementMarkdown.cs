using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MentorCircles.Core.Agreements;

/// <summary>
/// Agreement text is Markdown written by facilitators and coordinators and read by every member, so it is rendered
/// with raw HTML disabled (tags come out as visible text) and with links and images limited to web and mail
/// addresses; anything else (javascript:, data:, vbscript:...) is shown as its plain text, not as a link.
/// </summary>
public static class AgreementMarkdown
{
    private static readonly MarkdownPipeline render = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseReferralLinks("nofollow", "noopener", "noreferrer")
        .Build();

    // Parsed with HTML recognised, only to find what a writer meant as HTML and tell them.
    private static readonly MarkdownPipeline detect = new MarkdownPipelineBuilder().Build();

    private static readonly string[] safeSchemes = ["http", "https", "mailto"];

    /// <summary>Safe HTML for the text: the only string the UI may show as markup.</summary>
    /// <param name="topHeadingLevel">The level a "#" heading gets, so the text's headings fit under the page's own (3 under an h2).</param>
    public static string ToHtml(string? markdown, int topHeadingLevel = 1)
    {
        var doc = Markdown.Parse(markdown ?? "", render);
        foreach (var heading in doc.Descendants<HeadingBlock>())
            heading.Level = Math.Min(6, heading.Level + topHeadingLevel - 1);
        foreach (var link in doc.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage)
            {
                // Images would load from anywhere each time a member opens the page; show their description instead.
                link.ReplaceBy(new LiteralInline(AltText(link)), copyChildren: false);
            }
            else if (!IsSafeUrl(link.Url))
            {
                link.ReplaceBy(new ContainerInline());
            }
        }
        foreach (var auto in doc.Descendants<AutolinkInline>().ToList())
        {
            if (!IsSafeUrl(auto.Url)) auto.ReplaceBy(new LiteralInline(auto.Url));
        }
        return Markdown.ToHtml(doc, render);
    }

    /// <summary>
    /// The agreement's key points, shown to everyone as a live session opens: for each section ("## ..."), its heading and
    /// the first sentence under it, as plain text. A text without sections gives its first sentences. At most eight.
    /// </summary>
    public static IReadOnlyList<string> KeyPoints(string? markdown)
    {
        var doc = Markdown.Parse(markdown ?? "", render);
        var points = new List<string>();
        string? heading = null;
        var taken = false;
        foreach (var block in doc.Descendants<Block>())
        {
            if (block is HeadingBlock { Level: >= 2 } h)
            {
                if (heading is not null && !taken) points.Add(heading);
                heading = PlainText(h.Inline);
                taken = false;
            }
            else if (block is ParagraphBlock p && !taken)
            {
                if (p.Parent is ListItemBlock || p.Parent is MarkdownDocument || p.Parent is QuoteBlock)
                {
                    var sentence = FirstSentence(PlainText(p.Inline));
                    if (sentence.Length == 0) continue;
                    if (heading is null)
                    {
                        // Text before any section (the preamble) is context, not a point, when sections follow.
                        if (doc.Descendants<HeadingBlock>().Any(x => x.Level >= 2)) continue;
                        points.Add(sentence);
                    }
                    else { points.Add($"{heading}: {sentence}"); taken = true; }
                }
            }
            if (points.Count >= 8) break;
        }
        if (heading is not null && !taken && points.Count < 8) points.Add(heading);
        return points;
    }

    private static string PlainText(ContainerInline? inline)
    {
        if (inline is null) return "";
        var sb = new System.Text.StringBuilder();
        foreach (var node in inline.Descendants<Inline>())
        {
            switch (node)
            {
                case LiteralInline lit: sb.Append(lit.Content.ToString()); break;
                case CodeInline code: sb.Append(code.Content); break;
                case LineBreakInline: sb.Append(' '); break;
            }
        }
        return System.Text.RegularExpressions.Regex.Replace(sb.ToString(), @"\s+", " ").Trim();
    }

    private static string FirstSentence(string text)
    {
        var end = -1;
        for (var i = 0; i < text.Length - 1; i++)
            if (text[i] is '.' or '!' or '?' && text[i + 1] == ' ') { end = i + 1; break; }
        var sentence = end > 0 ? text[..end] : text;
        return sentence.Length > 240 ? sentence[..237].TrimEnd() + "…" : sentence;
    }

    /// <summary>HTML tags or comments the writer put in the text (as Markdown understands them), for a clear refusal.</summary>
    public static IReadOnlyList<string> FindHtml(string? markdown)
    {
        var doc = Markdown.Parse(markdown ?? "", detect);
        var found = new List<string>();
        foreach (var block in doc.Descendants<HtmlBlock>())
            found.Add(block.Lines.ToString().Trim());
        foreach (var inline in doc.Descendants<HtmlInline>())
            found.Add(inline.Tag.Trim());
        return found.Where(f => f.Length > 0).Select(f => f.Length > 60 ? f[..60] + "…" : f).Distinct().ToList();
    }

    /// <summary>Link and image addresses that are neither web nor mail addresses nor relative, for a clear refusal.</summary>
    public static IReadOnlyList<string> FindUnsafeLinks(string? markdown)
    {
        var doc = Markdown.Parse(markdown ?? "", render);
        return doc.Descendants<LinkInline>().Select(l => l.Url)
            .Concat(doc.Descendants<AutolinkInline>().Select(a => a.Url))
            .Where(u => !IsSafeUrl(u))
            .Select(u => u ?? "")
            .Distinct()
            .ToList();
    }

    /// <summary>
    /// True for http, https and mailto addresses and for relative ones. Browsers ignore tabs, newlines and other control
    /// characters inside a scheme ("java&#9;script:"), so those are removed before the scheme is read.
    /// </summary>
    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrEmpty(url)) return true;
        var cleaned = new string(url.Where(c => c > ' ' && !char.IsControl(c) && c != '\u00A0' && !char.IsWhiteSpace(c)).ToArray());
        var colon = cleaned.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return true;
        var end = cleaned.IndexOfAny(['/', '?', '#']);
        if (end >= 0 && end < colon) return true;   // "a/b:c" is a relative path, not a scheme
        var scheme = cleaned[..colon];
        return safeSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase);
    }

    private static string AltText(LinkInline image) =>
        string.Concat(image.Descendants<LiteralInline>().Select(l => l.Content.ToString()));
}
