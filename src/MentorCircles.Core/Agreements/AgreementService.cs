using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;
using Npgsql;

namespace MentorCircles.Core.Agreements;

/// <summary>What the agreement page shows one person. Members who have not accepted see this too: it is how they get through the gate.</summary>
public sealed record AgreementView(CircleAccessInfo Access, string CircleName, string Format, bool ReacceptOnJoin, string MyName, string MyTimeZone)
{
    /// <summary>The current version, or null while the circle has none.</summary>
    public AgreementVersion? Current { get; init; }
    /// <summary>The current version as safe HTML (see <see cref="AgreementMarkdown"/>), its headings from level 3 (the page has h1 and h2).</summary>
    public string CurrentHtml { get; init; } = "";
    /// <summary>This person's own acceptances in this circle, newest first.</summary>
    public IReadOnlyList<AgreementAcceptance> MyAcceptances { get; init; } = [];
    /// <summary>For those who may edit the agreement: every current member and what they accepted.</summary>
    public IReadOnlyList<AcceptanceStatus> Status { get; init; } = [];
    /// <summary>For those who may edit the agreement: every version, newest first.</summary>
    public IReadOnlyList<AgreementVersion> Versions { get; init; } = [];

    public bool MustAccept => Access.IsMember && Current is not null && !Access.AcceptedCurrentAgreement;
    public string SuggestedTemplate => AgreementTemplates.KeyFor(Format);
}

/// <summary>What a save did: made version <see cref="Version"/>, or nothing because the text had not changed.</summary>
public sealed record AgreementSaved(bool Created, int Version)
{
    public string Message => Created
        ? $"Saved as version {Version}. Every member must now accept version {Version}, including you if you are a member."
        : $"The text is the same as version {Version}, so no new version was made and nobody needs to accept again.";
}

/// <summary>Confidentiality agreements: every call asks <see cref="CircleAccess"/> first.</summary>
public sealed class AgreementService(NpgsqlDataSource db, CircleAccess access, AgreementStore store, SessionChanges? changes = null)
{
    private const string NotAllowedToEdit = "Only a coordinator of this program or the circle's facilitator can change its agreement.";

    public async Task<AgreementView> GetAsync(long circleId, long personId, CancellationToken ct)
    {
        // RequireAsync, not RequireContentAsync: a member who has not accepted must be able to read what they are asked to sign.
        var who = await access.RequireAsync(circleId, personId, ct);
        var (name, format, reaccept, myName, myTz) = await store.HeaderAsync(circleId, personId, ct);
        var current = await store.CurrentAsync(circleId, ct);
        return new AgreementView(who, name, format, reaccept, myName, myTz)
        {
            Current = current,
            CurrentHtml = current is null ? "" : AgreementMarkdown.ToHtml(current.Body, topHeadingLevel: 3),
            MyAcceptances = who.IsMember ? await store.HistoryAsync(circleId, personId, ct) : [],
            Status = who.MayEditAgreement ? await store.StatusAsync(circleId, ct) : [],
            Versions = who.MayEditAgreement ? await store.VersionsAsync(circleId, ct) : [],
        };
    }

    /// <summary>A template's text, for an editor to start from.</summary>
    public async Task<string> TemplateAsync(long circleId, long personId, string templateKey, CancellationToken ct)
    {
        var who = await access.RequireAsync(circleId, personId, ct);
        if (!who.MayEditAgreement) throw new AccessDeniedException(NotAllowedToEdit);
        if (AgreementTemplates.All.All(t => t.Key != templateKey))
            throw new InvalidInputException("Template", "Choose one of the templates offered.");
        return AgreementTemplates.Text(templateKey);
    }

    /// <summary>Saves the text: a new version when it differs from the current one (nobody has accepted it yet, the saver neither), nothing otherwise.</summary>
    public async Task<AgreementSaved> SaveAsync(long circleId, long personId, string? body, CancellationToken ct)
    {
        var who = await access.RequireAsync(circleId, personId, ct);
        if (!who.MayEditAgreement) throw new AccessDeniedException(NotAllowedToEdit);
        var errors = new List<FieldError>();
        AgreementRules.CheckBody(body, errors);
        InvalidInputException.ThrowIfAny(errors);
        var text = AgreementRules.Normalize(body);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await AgreementStore.LockCircleAsync(conn, tx, circleId, ct) is null)
            throw new AccessDeniedException("This circle does not exist or you are not one of its members.");
        var current = await AgreementStore.CurrentAsync(conn, tx, circleId, ct);
        if (current is not null && !AgreementRules.IsNewVersion(current.Body, text))
            return new AgreementSaved(false, current.Version);
        var version = await AgreementStore.CreateVersionAsync(conn, tx, circleId, personId, text,
            current is null ? AgreementReasons.Created : AgreementReasons.Edited, new { length = text.Length }, ct);
        await tx.CommitAsync(ct);
        // A new version undoes every acceptance in the circle: its agreement conflicts are checked again program-wide.
        changes?.Program(who.ProgramId);
        return new AgreementSaved(true, version);
    }

    /// <summary>
    /// A member signs the version they read (<paramref name="versionId"/>) with their full name. If the text changed
    /// meanwhile they are told to read the new one; nothing is saved.
    /// </summary>
    public async Task<AgreementAcceptance> AcceptAsync(long circleId, long personId, long versionId, string? signature, CancellationToken ct)
    {
        var who = await access.RequireAsync(circleId, personId, ct);
        if (!who.IsMember) throw new AccessDeniedException("Only the circle's members accept its agreement.");
        var (_, _, _, myName, _) = await store.HeaderAsync(circleId, personId, ct);
        var errors = new List<FieldError>();
        AgreementRules.CheckSignature(signature, myName, errors);
        InvalidInputException.ThrowIfAny(errors);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Shares the lock a new version takes, so an acceptance cannot land on a version that is being replaced.
        await AgreementStore.LockCircleAsync(conn, tx, circleId, ct);
        var current = await AgreementStore.CurrentAsync(conn, tx, circleId, ct)
            ?? throw new InvalidInputException("Agreement", "This circle has no agreement to accept yet.");
        if (current.Id != versionId)
            throw new InvalidInputException("Agreement",
                $"The agreement changed while you were reading it: it is now version {current.Version}. Read the new text, then sign again.");
        if (who.AcceptedCurrentAgreement)
            throw new InvalidInputException("Agreement", $"You have already accepted version {current.Version}.");
        var signedName = AgreementRules.SignatureForm(signature);
        try
        {
            await AgreementStore.RecordAcceptanceAsync(conn, tx, circleId, current.Id, current.Version, personId, signedName, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidInputException("Agreement", $"You have already accepted version {current.Version}.");
        }
        await tx.CommitAsync(ct);
        changes?.Person(personId);
        return (await store.HistoryAsync(circleId, personId, ct))[0];
    }
}
