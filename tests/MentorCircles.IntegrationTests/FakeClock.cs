namespace MentorCircles.IntegrationTests;

/// <summary>A clock the test moves by hand, so lockouts and link expiry are tested without waiting.</summary>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    // 20:00 UTC is the next morning in Pacific/Chatham, the test server's zone: dates differ by zone.
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 9, 20, 0, 0, TimeSpan.Zero);

    private DateTimeOffset now = start.ToUniversalTime();

    public FakeClock() : this(DefaultStart) { }

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
