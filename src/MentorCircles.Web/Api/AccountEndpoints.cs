using MentorCircles.Core.Accounts;
using MentorCircles.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace MentorCircles.Web.Api;

/// <summary>Sign-in and sign-out: plain form posts, because a cookie cannot be set from a live circuit.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost("/account/signin", (Delegate)SignInAsync).AllowAnonymous().RequireRateLimiting(AuthSetup.SignInRateLimit);
        app.MapPost("/account/signout", (Delegate)SignOutAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, AccountService accounts,
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl, CancellationToken ct)
    {
        var result = await accounts.SignInAsync(email, password, ct);
        var back = SafeReturnUrl(returnUrl);
        if (result.Status != SignInStatus.Success)
        {
            var query = QueryString.Create(new Dictionary<string, string?>
            {
                ["error"] = result.Status.ToString(),
                ["email"] = email?.Trim() is { Length: <= 254 } e ? e : "",
                ["returnUrl"] = back,
                ["until"] = result.LockedUntil?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            }.Where(kv => kv.Value is not null));
            return Results.Redirect("/signin" + query);
        }
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, AuthSetup.Principal(result.Person!));
        return Results.Redirect(back);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/signin?signedOut=1");
    }

    /// <summary>Only local paths: a sign-in link must not bounce a person to another site.</summary>
    public static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/";
}
