using System.Text.RegularExpressions;

namespace MentorCircles.Core.Common;

/// <summary>
/// Texts people type are plain text: pages show them as text, and HTML or script in them is refused with a clear
/// message rather than stored, so nothing that looks like markup can reach another person's page or an export.
/// "a < b" and "x<y" are fine; "&lt;b&gt;", "&lt;script&gt;", "&lt;!-- --&gt;" and javascript: links are not.
/// </summary>
public static partial class TextRules
{
    public static bool ContainsMarkup(string? text) => text is not null && Markup().IsMatch(text);

    public static void CheckPlainText(string field, string label, string? text, List<FieldError> errors)
    {
        if (ContainsMarkup(text))
            errors.Add(new(field, $"{label} cannot contain HTML or script such as <b> or <script>; write plain text."));
    }

    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--|<\s*script|javascript\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Markup();
}
