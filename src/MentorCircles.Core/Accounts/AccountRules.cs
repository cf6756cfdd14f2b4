using System.Net.Mail;
using MentorCircles.Core.Common;

namespace MentorCircles.Core.Accounts;

/// <summary>Pure checks of account input; each failure says what was wrong.</summary>
public static class AccountRules
{
    public const int MaxDisplayName = 100;
    public const int MaxEmail = 254;
    public const int MinPassword = 10;
    public const int MaxPassword = 200;

    public static void CheckDisplayName(string? name, List<FieldError> errors)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
            errors.Add(new("DisplayName", "Enter a display name."));
        else if (trimmed.Length > MaxDisplayName)
            errors.Add(new("DisplayName", $"The display name is {trimmed.Length:N0} characters long; keep it to {MaxDisplayName}."));
        else if (HasInvisibleOrBroken(trimmed))
            errors.Add(new("DisplayName", "The display name cannot contain control characters such as line breaks, or invisible formatting characters."));
        else
            TextRules.CheckPlainText("DisplayName", "The display name", trimmed, errors);
    }

    public static void CheckEmail(string? email, List<FieldError> errors)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0)
            errors.Add(new("Email", "Enter an email address."));
        else if (trimmed.Length > MaxEmail)
            errors.Add(new("Email", $"The email address is longer than {MaxEmail} characters."));
        else if (HasInvisibleOrBroken(trimmed) || !IsEmail(trimmed))
            errors.Add(new("Email", $"'{trimmed}' is not an email address (it should look like name@example.org)."));
    }

    public static void CheckTimeZone(string? timeZone, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(timeZone))
            errors.Add(new("TimeZone", "Choose a time zone."));
        else if (!TimeZones.IsValid(timeZone.Trim()))
            errors.Add(new("TimeZone", $"'{Shorten(timeZone.Trim())}' is not a known time zone; choose one such as Europe/London or America/New_York."));
    }

    public static void CheckNewPassword(string? password, string? confirm, List<FieldError> errors)
    {
        password ??= "";
        if (password.Length < MinPassword)
            errors.Add(new("Password", $"Choose a password of at least {MinPassword} characters."));
        else if (password.Length > MaxPassword)
            errors.Add(new("Password", $"Keep the password to {MaxPassword} characters."));
        else if (string.IsNullOrWhiteSpace(password))
            errors.Add(new("Password", "The password cannot be only spaces."));
        else if (password != confirm)
            errors.Add(new("Confirm", "The two passwords differ; type the same password twice."));
    }

    public static string NormalizeEmail(string email) => email.Trim();

    /// <summary>Control, format (e.g. right-to-left override), line/paragraph separator characters, or a lone surrogate.</summary>
    public static bool HasInvisibleOrBroken(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return true;
            var cat = char.GetUnicodeCategory(c);
            if (cat is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator)
                return true;
        }
        return false;
    }

    private static bool IsEmail(string s)
    {
        if (s.Any(char.IsWhiteSpace) || s.Count(c => c == '@') != 1) return false;
        var at = s.IndexOf('@');
        var local = s[..at];
        var domain = s[(at + 1)..];
        if (local.Length is 0 or > 64 || local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal)) return false;
        var labels = domain.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-') || !l.All(c => char.IsLetterOrDigit(c) || c == '-')))
            return false;
        return MailAddress.TryCreate(s, out var a) && a.Address == s;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
