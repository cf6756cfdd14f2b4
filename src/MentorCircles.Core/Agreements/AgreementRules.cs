using System.Globalization;
using System.Text;
using MentorCircles.Core.Common;

namespace MentorCircles.Core.Agreements;

/// <summary>The pure rules of agreements: what text may be saved, when a save makes a new version, and what counts as a signature.</summary>
public static class AgreementRules
{
    public const int MaxLength = 20_000;

    /// <summary>The text as it is stored and compared: line endings unified, no trailing spaces at the end, no blank lines at the start.</summary>
    public static string Normalize(string? body) =>
        (body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimEnd().TrimStart('\n');

    public static void CheckBody(string? body, List<FieldError> errors)
    {
        var text = Normalize(body);
        if (text.Trim().Length == 0)
        {
            errors.Add(new("Body", "Write the agreement's text: it cannot be empty."));
            return;
        }
        if (text.Length > MaxLength)
        {
            errors.Add(new("Body", string.Create(CultureInfo.InvariantCulture,
                $"The agreement is {text.Length:N0} characters long; the limit is {MaxLength:N0}. Shorten it by {text.Length - MaxLength:N0} characters.")));
            return;
        }
        var html = AgreementMarkdown.FindHtml(text);
        if (html.Count > 0)
            errors.Add(new("Body", $"The agreement is Markdown, not HTML: remove {string.Join(", ", html)} (use **bold**, *italics*, lists and [links](https://example.org) instead)."));
        var links = AgreementMarkdown.FindUnsafeLinks(text);
        if (links.Count > 0)
            errors.Add(new("Body", $"Links may only point to web (https://) or email (mailto:) addresses: remove {string.Join(", ", links)}."));
    }

    /// <summary>A save makes a new version only when the text differs from the current version's.</summary>
    public static bool IsNewVersion(string? currentBody, string? proposedBody) =>
        currentBody is null || !string.Equals(Normalize(currentBody), Normalize(proposedBody), StringComparison.Ordinal);

    /// <summary>A signature is the person's display name, compared trimmed, with runs of spaces as one, ignoring case and accent encoding.</summary>
    public static bool SignatureMatches(string? typed, string displayName) =>
        string.Equals(SignatureForm(typed), SignatureForm(displayName), StringComparison.OrdinalIgnoreCase);

    public static void CheckSignature(string? typed, string displayName, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(typed))
            errors.Add(new("Signature", $"Type your full name to sign: {displayName}."));
        else if (!SignatureMatches(typed, displayName))
            errors.Add(new("Signature", $"The signature must be your full name as your account shows it: {displayName}. You typed \"{Shorten(typed.Trim())}\"."));
    }

    /// <summary>The name as stored with the acceptance: trimmed, single spaces.</summary>
    public static string SignatureForm(string? typed) =>
        string.Join(' ', (typed ?? "").Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Shorten(string s) => s.Length > 100 ? s[..100] + "…" : s;
}
