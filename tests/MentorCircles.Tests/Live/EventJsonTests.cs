using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MentorCircles.Core.Live;

namespace MentorCircles.Tests.Live;

/// <summary>
/// Room events live for years as JSON in mentor.room_event. These tests build one instance of every registered event
/// (found by reflection, so a new event is covered the moment it is registered) and check the stored form.
/// </summary>
public class EventJsonTests
{
    // As RoomEventStore reads: jsonb may put "type" anywhere in the object.
    private static readonly JsonSerializerOptions Store = new() { AllowOutOfOrderMetadataProperties = true };

    public static TheoryData<string> EventTypes()
    {
        var data = new TheoryData<string>();
        foreach (var (_, name) in Registered()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void EveryEvent_IsStoredWithItsKebabName_AndEnumsAsNames_AndReadsBackEqual(string name)
    {
        var type = Registered().Single(r => r.Name == name).Type;
        var original = Sample(type);

        var json = JsonSerializer.Serialize<RoomEvent>(original, Store);
        var node = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(name, (string?)node["type"]);
        foreach (var p in type.GetProperties())
        {
            if ((Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) is not { IsEnum: true }) continue;
            var value = node[p.Name]!;
            Assert.True(value.GetValueKind() == JsonValueKind.String, $"{name}.{p.Name} is stored as {value.ToJsonString()}, not a name");
            Assert.Equal(p.GetValue(original)!.ToString(), (string?)value);
        }

        // jsonb reorders keys, so read it back with the discriminator last, as the store may see it.
        var discriminator = node["type"]!.DeepClone();
        node.Remove("type");
        node.Add("type", discriminator);
        var read = JsonSerializer.Deserialize<RoomEvent>(node.ToJsonString(), Store)!;
        Assert.IsType(type, read);
        foreach (var p in type.GetProperties())
            Assert.True(SameValue(p.GetValue(original), p.GetValue(read)), $"{name}.{p.Name} did not survive the round trip");
    }

    [Fact]
    public void EventTypes_AreAllRegistered_AndAtLeastOneCarriesAnEnum()
    {
        var registered = Registered().Select(r => r.Type).ToHashSet();
        var defined = typeof(RoomEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(RoomEvent)) && !t.IsAbstract);
        Assert.DoesNotContain(defined, t => !registered.Contains(t));
        Assert.Contains(registered, t => t.GetProperties().Any(p => p.PropertyType.IsEnum));
    }

    [Fact]
    public void OlderEvents_WithEnumsStoredAsNumbers_StillRead()
    {
        var json = """{"At":"2026-03-10T17:00:00+00:00","PersonId":4,"Reason":2,"type":"turn-ended"}""";
        var read = Assert.IsType<TurnEnded>(JsonSerializer.Deserialize<RoomEvent>(json, Store));
        Assert.Equal(TurnEndReason.Passed, read.Reason);
    }

    private static IEnumerable<(Type Type, string Name)> Registered() =>
        typeof(RoomEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => (a.DerivedType, (string)a.TypeDiscriminator!));

    /// <summary>An instance with a distinct non-default value for every constructor parameter.</summary>
    private static RoomEvent Sample(Type type)
    {
        var ctor = type.GetConstructors().Single();
        var args = ctor.GetParameters().Select((p, i) => SampleValue(p.ParameterType, i)).ToArray();
        return (RoomEvent)ctor.Invoke(args);
    }

    private static object? SampleValue(Type t, int i)
    {
        var inner = Nullable.GetUnderlyingType(t) ?? t;
        if (inner == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 3, 10, 17, 0, i, TimeSpan.FromHours(1));
        if (inner == typeof(long)) return 40L + i;
        if (inner == typeof(int)) return 3 + i;
        if (inner == typeof(bool)) return true;
        if (inner == typeof(string)) return $"text {i}";
        // The last member: never the default, so a number and a name cannot be confused.
        if (inner.IsEnum) return Enum.GetValues(inner).Cast<object>().Last();
        if (inner == typeof(IReadOnlyList<long>)) return new List<long> { 7, 5, 6 };
        if (inner == typeof(IReadOnlyList<int>)) return new List<int> { 180, 225, 315, 180 };
        throw new NotSupportedException($"Add a sample value for {t.Name} to EventJsonTests.");
    }

    private static bool SameValue(object? a, object? b) =>
        a is IEnumerable x and not string && b is IEnumerable y ? x.Cast<object>().SequenceEqual(y.Cast<object>()) : Equals(a, b);
}
