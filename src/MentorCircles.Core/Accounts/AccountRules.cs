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
        else if (trimmed.Any(char.IsControl))
            errors.Add(new("DisplayName", "The display name cannot contain control characters such as line breaks."));
    }

    public static void CheckEmail(string? email, List<FieldError> errors)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0)
            errors.Add(new("Email", "Enter an email address."));
        else if (trimmed.Length > MaxEmail)
            errors.Add(new("Email", $"The email address is longer than {MaxEmail} characters."));
        else if (!IsEmail(trimmed))
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

    private static bool IsEmail(string s)
    {
        if (s.Any(char.IsWhiteSpace) || s.Count(c => c == '@') != 1) return false;
        return MailAddress.TryCreate(s, out var a) && a.Address == s && a.Host.Contains('.');
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
