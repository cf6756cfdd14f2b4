using System.Security.Claims;
using System.Threading.RateLimiting;
using MentorCircles.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.DataProtection;

namespace MentorCircles.Web.Hosting;

public static class AuthSetup
{
    public const string CoordinatorRole = "coordinator";
    public const string CoordinatorPolicy = "Coordinator";
    public const string SignInRateLimit = "sign-in";
    public const string StampClaim = "mc:stamp";
    public const string TimeZoneClaim = "mc:tz";

    public static void AddMentorCirclesAuth(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddSingleton(builder.Configuration.GetSection("Accounts").Get<AccountOptions>() ?? new AccountOptions());
        s.AddSingleton<AccountStore>();
        s.AddSingleton<AccountService>();

        s.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/signin";
                o.LogoutPath = "/account/signout";
                o.AccessDeniedPath = "/denied";
                o.Cookie.Name = "mc.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                // A cookie outlives a password reset or removal only until its next request.
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    if (!await StillValidAsync(ctx.Principal, ctx.HttpContext.RequestServices.GetRequiredService<AccountService>(), ctx.HttpContext.RequestAborted))
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        s.AddAuthorizationBuilder()
            .AddPolicy(CoordinatorPolicy, p => p.RequireAuthenticatedUser().RequireRole(CoordinatorRole));
        s.AddCascadingAuthenticationState();
        s.AddScoped<AuthenticationStateProvider, RevalidatingAuthStateProvider>();
        s.AddScoped<CurrentPerson>();

        // Keys shared by every node through PostgreSQL, so a cookie made on one node is read on another.
        s.AddSingleton<PostgresXmlRepository>();
        s.AddDataProtection().SetApplicationName("MentorCircles");
        s.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<PostgresXmlRepository>((o, repo) => o.XmlRepository = repo);

        var perMinute = builder.Configuration.GetValue("Accounts:SignInAttemptsPerMinute", 10);
        s.AddRateLimiter(o =>
        {
            o.AddPolicy(SignInRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = (ctx, _) =>
            {
                ctx.HttpContext.Response.Redirect("/signin?error=rate");
                return ValueTask.CompletedTask;
            };
        });
    }

    public static ClaimsPrincipal Principal(SignedInPerson p)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, p.DisplayName),
            new(ClaimTypes.Email, p.Email),
            new(TimeZoneClaim, p.TimeZone),
            new(StampClaim, p.SecurityStamp.ToString()),
        };
        if (p.IsCoordinator) claims.Add(new(ClaimTypes.Role, CoordinatorRole));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    public static long? PersonId(ClaimsPrincipal? user) =>
        long.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    internal static async Task<bool> StillValidAsync(ClaimsPrincipal? user, AccountService accounts, CancellationToken ct)
    {
        if (PersonId(user) is not { } id || !Guid.TryParse(user!.FindFirstValue(StampClaim), out var stamp)) return false;
        var now = await accounts.RevalidateAsync(id, stamp, ct);
        return now is not null && now.IsCoordinator == user!.IsInRole(CoordinatorRole);
    }

    /// <summary>An open circuit re-checks the person every minute (the default is 30), so removed access ends quickly.</summary>
    private sealed class RevalidatingAuthStateProvider(ILoggerFactory loggers, IServiceScopeFactory scopes)
        : RevalidatingServerAuthenticationStateProvider(loggers)
    {
        protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

        protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            return await StillValidAsync(state.User, scope.ServiceProvider.GetRequiredService<AccountService>(), ct);
        }
    }
}

/// <summary>The signed-in person for a page or component.</summary>
public sealed class CurrentPerson(AuthenticationStateProvider auth)
{
    public async Task<long> IdAsync()
    {
        var state = await auth.GetAuthenticationStateAsync();
        return AuthSetup.PersonId(state.User) ?? throw new InvalidOperationException("No one is signed in.");
    }

    public async Task<ClaimsPrincipal> UserAsync() => (await auth.GetAuthenticationStateAsync()).User;
}
