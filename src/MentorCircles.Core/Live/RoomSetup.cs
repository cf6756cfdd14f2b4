using System.Text.Json;
using System.Text.Json.Serialization;

namespace MentorCircles.Core.Live;

/// <summary>
/// What a room starts from, frozen in mentor.session.room_setup when the room opens: the circle's members then and the
/// planned agenda. The room is RoomState.Create(setup) followed by the session's events, on every node and after every restart.
/// </summary>
public sealed record RoomSetup(IReadOnlyList<RoomMember> Members, IReadOnlyList<PlannedItem> Agenda)
{
    /// <summary>Enums as strings, so the stored JSON reads the same after an enum gains a member.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RoomSetup FromJson(string json) =>
        JsonSerializer.Deserialize<RoomSetup>(json, Json) ?? throw new InvalidOperationException("The room set-up is empty.");

    public RoomState CreateState(long sessionId) => RoomState.Create(sessionId, Members, Agenda);

    public static RoomRole RoleFor(string circleRole) => circleRole switch
    {
        "facilitator" => RoomRole.Facilitator,
        "mentor" => RoomRole.Mentor,
        "mentee" => RoomRole.Mentee,
        _ => RoomRole.Peer,
    };
}
