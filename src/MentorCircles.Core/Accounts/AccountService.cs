using System.Security.Cryptography;
using System.Text;
using MentorCircles.Core.Audit;
using MentorCircles.Core.Common;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace MentorCircles.Core.Accounts;

public sealed record AccountOptions
{
    public int MaxFailedSignIns { get; init; } = 5;
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);
    public TimeSpan InvitationLifetime { get; init; } = TimeSpan.FromDays(7);
}

/// <summary>Who is signed in: what the cookie carries and the layout shows.</summary>
public sealed record SignedInPerson(long Id, string DisplayName, string Email, string TimeZone, bool IsCoordinator, Guid SecurityStamp);

public enum SignInStatus { Success, WrongCredentials, LockedOut, NotActivated, Disabled }

public sealed record SignInResult(SignInStatus Status, SignedInPerson? Person = null, DateTimeOffset? LockedUntil = null)
{
    public string? Message => Status switch
    {
        SignInStatus.Success => null,
        SignInStatus.WrongCredentials => "Wrong email or password. Check both and try again.",
        SignInStatus.LockedOut => $"Too many failed sign-ins: this account is locked until {LockedUntil:HH:mm} UTC. Try again then, or ask your coordinator.",
        SignInStatus.NotActivated => "This account has not been set up yet: open the invitation link your coordinator sent you.",
        SignInStatus.Disabled => "This account has been disabled. Ask your coordinator.",
        _ => "Sign-in failed.",
    };
}

public sealed record NewPerson(string DisplayName, string Email, string TimeZone, bool IsCoordinator = false);

public sealed record CreatedPerson(long PersonId, string InvitationToken, DateTimeOffset ExpiresAt);

public enum InvitationState { Valid, Used, Expired, Revoked, Unknown }

public sealed record InvitationView(InvitationState State, string? DisplayName = null, string? Email = null, string? TimeZone = null)
{
    public string? Problem => State switch
    {
        InvitationState.Valid => null,
        InvitationState.Used => "This invitation link has already been used. Sign in with the password you chose, or ask your coordinator for a new link.",
        InvitationState.Expired => "This invitation link has expired. Ask your coordinator for a new one.",
        InvitationState.Revoked => "This invitation link was replaced by a newer one. Use the latest link your coordinator sent you.",
        _ => "This invitation link is not valid. Check that you copied the whole link.",
    };
}

public sealed class AccountService(NpgsqlDataSource db, AccountStore store, AccountOptions options, TimeProvider clock)
{
    private static readonly PasswordHasher<PersonAccount> hasher = new();
    // Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
    private static readonly string dummyHash = hasher.HashPassword(null!, "not-a-real-password");

    public async Task<SignInResult> SignInAsync(string? email, string? password, CancellationToken ct)
    {
        email = email?.Trim() ?? "";
        password ??= "";
        var person = email.Length is > 0 and <= AccountRules.MaxEmail && !AccountRules.HasInvisibleOrBroken(email)
            ? await store.FindByEmailAsync(email, ct) : null;
        if (person is null || password.Length > AccountRules.MaxPassword)
        {
            hasher.VerifyHashedPassword(null!, dummyHash, password.Length > AccountRules.MaxPassword ? "" : password);
            return new(SignInStatus.WrongCredentials);
        }
        var now = clock.GetUtcNow();
        if (person.DisabledAt is not null) return new(SignInStatus.Disabled);
        if (person.LockedUntil is { } until && until > now) return new(SignInStatus.LockedOut, LockedUntil: until);
        if (person.PasswordHash is null) return new(SignInStatus.NotActivated);

        var verdict = hasher.VerifyHashedPassword(person, person.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var lockedUntil = await store.RecordFailedSignInAsync(person.Id, options.MaxFailedSignIns, now + options.LockoutDuration, ct);
            return lockedUntil is { } l && l > now ? new(SignInStatus.LockedOut, LockedUntil: l) : new(SignInStatus.WrongCredentials);
        }
        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(person, password) : null;
        await store.RecordSuccessfulSignInAsync(person.Id, rehash, ct);
        return new(SignInStatus.Success, ToSignedIn(person));
    }

    /// <summary>The person as they are now, or null when they may no longer be signed in (removed, disabled, stamp changed).</summary>
    public async Task<SignedInPerson?> RevalidateAsync(long personId, Guid securityStamp, CancellationToken ct)
    {
        var person = await store.FindAsync(personId, ct);
        if (person is null || person.DisabledAt is not null || person.SecurityStamp != securityStamp) return null;
        return ToSignedIn(person);
    }

    /// <summary>A coordinator adds a person to their program; the person gets a one-time link to set their password.</summary>
    public async Task<CreatedPerson> CreatePersonAsync(long programId, long? actorId, NewPerson input, CancellationToken ct)
    {
        CheckNewPerson(input);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var created = await CreatePersonAsync(conn, tx, programId, actorId, input, ct);
        await tx.CommitAsync(ct);
        return created;
    }

    public static void CheckNewPerson(NewPerson input)
    {
        var errors = new List<FieldError>();
        AccountRules.CheckDisplayName(input.DisplayName, errors);
        AccountRules.CheckEmail(input.Email, errors);
        AccountRules.CheckTimeZone(input.TimeZone, errors);
        InvalidInputException.ThrowIfAny(errors);
    }

    /// <summary>Adds the person inside the caller's transaction (after <see cref="CheckNewPerson"/>), so a caller can make more in the same change.</summary>
    public async Task<CreatedPerson> CreatePersonAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx,
        long programId, long? actorId, NewPerson input, CancellationToken ct)
    {
        CheckNewPerson(input);
        var email = AccountRules.NormalizeEmail(input.Email);
        if (await AccountStore.EmailTakenAsync(conn, tx, email, ct))
            throw new InvalidInputException("Email", $"An account with the email {email} already exists.");
        long personId;
        try
        {
            personId = await AccountStore.InsertPersonAsync(conn, tx, email, input.DisplayName.Trim(), input.TimeZone.Trim(), null, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidInputException("Email", $"An account with the email {email} already exists.");
        }
        await AccountStore.AddToProgramAsync(conn, tx, programId, personId, input.IsCoordinator ? "coordinator" : "participant", ct);
        var (token, expires) = await IssueInvitationAsync(conn, tx, personId, actorId, ct);
        await AuditLog.WriteAsync(conn, tx, actorId, "person.created", $"person:{personId}",
            new { programId, role = input.IsCoordinator ? "coordinator" : "participant" }, ct);
        return new CreatedPerson(personId, token, expires);
    }

    /// <summary>A new link for a person (earlier unused links stop working).</summary>
    public async Task<CreatedPerson> ReissueInvitationAsync(long personId, long actorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (token, expires) = await IssueInvitationAsync(conn, tx, personId, actorId, ct);
        await AuditLog.WriteAsync(conn, tx, actorId, "invitation.issued", $"person:{personId}", null, ct);
        await tx.CommitAsync(ct);
        return new CreatedPerson(personId, token, expires);
    }

    private async Task<(string Token, DateTimeOffset Expires)> IssueInvitationAsync(
        System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx, long personId, long? actorId, CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var expires = now + options.InvitationLifetime;
        await AccountStore.InsertInvitationAsync(conn, tx, personId, Hash(token), actorId, now, expires, ct);
        return (token, expires);
    }

    public async Task<InvitationView> GetInvitationAsync(string? token, CancellationToken ct)
    {
        if (!LooksLikeToken(token)) return new(InvitationState.Unknown);
        var row = await store.FindInvitationAsync(Hash(token!), ct);
        return View(row);
    }

    /// <summary>Sets the password and time zone from a valid link, and uses the link up, in one transaction.</summary>
    public async Task<SignedInPerson> AcceptInvitationAsync(string? token, string? password, string? confirm, string? timeZone, CancellationToken ct)
    {
        if (!LooksLikeToken(token)) throw new InvalidInputException("Token", new InvitationView(InvitationState.Unknown).Problem!);
        var errors = new List<FieldError>();
        AccountRules.CheckNewPassword(password, confirm, errors);
        AccountRules.CheckTimeZone(timeZone, errors);
        InvalidInputException.ThrowIfAny(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await AccountStore.FindInvitationAsync(conn, tx, Hash(token!), forUpdate: true, ct);
        var view = View(row);
        if (view.State != InvitationState.Valid) throw new InvalidInputException("Token", view.Problem!);

        var hash = hasher.HashPassword(null!, password!);
        await AccountStore.SetPasswordAsync(conn, tx, row!.PersonId, hash, timeZone!.Trim(), ct);
        await AccountStore.MarkInvitationUsedAsync(conn, tx, row.Id, clock.GetUtcNow(), ct);
        await AuditLog.WriteAsync(conn, tx, row.PersonId, "invitation.accepted", $"person:{row.PersonId}", null, ct);
        await tx.CommitAsync(ct);

        var person = await store.FindAsync(row.PersonId, ct);
        return ToSignedIn(person!);
    }

    private InvitationView View(InvitationRow? row)
    {
        if (row is null) return new(InvitationState.Unknown);
        var state = row.UsedAt is not null ? InvitationState.Used
            : row.RevokedAt is not null ? InvitationState.Revoked
            : row.ExpiresAt <= clock.GetUtcNow() ? InvitationState.Expired
            : InvitationState.Valid;
        return state == InvitationState.Valid ? new(state, row.DisplayName, row.Email, row.TimeZone) : new(state);
    }

    public static string HashPassword(string password) => hasher.HashPassword(null!, password);

    private static SignedInPerson ToSignedIn(PersonAccount p) =>
        new(p.Id, p.DisplayName, p.Email, p.TimeZone, p.IsCoordinator, p.SecurityStamp);

    private static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
