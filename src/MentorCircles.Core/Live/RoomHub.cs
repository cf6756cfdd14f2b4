using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MentorCircles.Core.Live;

/// <summary>The room has not been opened (or the session does not exist): there is no log to rebuild from.</summary>
public sealed class RoomNotOpenException(long sessionId) : Exception($"The room of session {sessionId} is not open.")
{
    public long SessionId { get; } = sessionId;
}

/// <summary>
/// This node's copies of the live rooms its circuits are in. A copy is RoomSetup + the session's events; it moves forward
/// when this node appends (at once) or when a NOTIFY says another node did (then it reads the new events itself).
/// After the LISTEN connection drops, every copy catches up from the log, so a missed notification loses nothing.
/// </summary>
public sealed class RoomHub(NpgsqlDataSource db, RoomEventStore store, ILogger<RoomHub> log)
{
    private sealed class Room(long circleId, RoomState state)
    {
        public readonly long CircleId = circleId;
        public readonly SemaphoreSlim Gate = new(1, 1);
        public RoomState State = state;
        public readonly List<Subscriber> Subscribers = [];

        /// <summary>The subscribers as they are now, to call outside the lock.</summary>
        public Subscriber[] SubscribersNow()
        {
            lock (Subscribers) return [.. Subscribers];
        }
        public DateTimeOffset LastUsed = DateTimeOffset.UtcNow;
        public int Appending;   // appends of this node in flight (under lock (this))
        public long HeldNotice; // the highest seq a NOTIFY announced meanwhile, 0 if none
    }

    /// <param name="OnAccessChanged">Called when the room's circle announces a change of who may see it (circle_access), to check this subscriber again.</param>
    /// <param name="PersonId">Whose page this is, when known: a person's own presses reach their pages after everyone else's.</param>
    private sealed class Subscriber(Action<RoomState> onChange, Action? onAccessChanged, long? personId) // a class: each subscription is its own, whatever its delegates
    {
        public Action<RoomState> OnChange => onChange;
        public Action? OnAccessChanged => onAccessChanged;
        public long? PersonId => personId;
    }

    /// <summary>The channel mentor.announce_circle_access() (sql/0007) notifies with a circle's id.</summary>
    public const string AccessChannel = "circle_access";

    private readonly ConcurrentDictionary<long, Lazy<Task<Room>>> rooms = new();
    private readonly Channel<(long SessionId, long Seq)> notices = Channel.CreateUnbounded<(long, long)>(new() { SingleReader = true });

    /// <summary>Rooms this node holds now (for tests and the memory harness).</summary>
    public int RoomCount => rooms.Count;

    public async Task<RoomState> GetAsync(long sessionId, CancellationToken ct) => (await RoomAsync(sessionId, ct)).State;

    /// <summary>Reads any events this copy has not seen yet and tells subscribers if it moved.</summary>
    public async Task<RoomState> CatchUpAsync(long sessionId, CancellationToken ct)
    {
        var room = await RoomAsync(sessionId, ct);
        RoomState after;
        var started = Stopwatch.GetTimestamp();
        await room.Gate.WaitAsync(ct);
        RoomMetrics.Step(RoomMetrics.Steps.Gate, started);
        try
        {
            var before = room.State;
            started = Stopwatch.GetTimestamp();
            var events = await store.LoadAsync(sessionId, before.Seq, ct);
            RoomMetrics.Step(RoomMetrics.Steps.CatchUp, started);
            if (events.Count == 0) return before;
            var s = before;
            foreach (var e in events)
                if (e.Seq == s.Seq + 1) s = RoomEngine.Apply(s, e.Event);
            room.State = after = s;
        }
        finally { room.Gate.Release(); }
        Publish(room, after);
        return after;
    }

    /// <summary>
    /// This node appended <paramref name="events"/> right after <paramref name="expectedSeq"/>: apply them now, not on the
    /// NOTIFY. The pages of <paramref name="actorId"/>, who sent them, are told first.
    /// </summary>
    public async Task AppliedAsync(long sessionId, long expectedSeq, IReadOnlyList<RoomEvent> events, long? actorId = null)
    {
        if (Loaded(sessionId) is not { } room) return;
        RoomState after;
        var started = Stopwatch.GetTimestamp();
        await room.Gate.WaitAsync();
        RoomMetrics.Step(RoomMetrics.Steps.Gate, started);
        try
        {
            if (room.State.Seq != expectedSeq) return; // a NOTIFY catch-up got there first, or we are behind: the catch-up path handles it
            var s = room.State;
            foreach (var e in events) s = RoomEngine.Apply(s, e);
            room.State = after = s;
        }
        finally { room.Gate.Release(); }
        Publish(room, after, actorId);
    }

    /// <summary>
    /// Marks an append of this node to the room as in flight until disposed (dispose after <see cref="AppliedAsync"/>).
    /// A NOTIFY arriving meanwhile is held instead of read from the log at once: it is most likely this append's own,
    /// which the append applies without a round trip, and reading it would hold the room's gate, so the press would show
    /// only after a second round trip. When the last append in flight ends, a held notice goes through again, and catches
    /// the room up only if it is still behind (another node's event, or an append that failed after its commit).
    /// </summary>
    public IDisposable Appending(long sessionId)
    {
        if (Loaded(sessionId) is not { } room) return new Subscription(() => { });
        lock (room) room.Appending++;
        return new Subscription(() =>
        {
            long held = 0;
            lock (room)
            {
                if (--room.Appending == 0) (held, room.HeldNotice) = (room.HeldNotice, 0);
            }
            if (held > 0) notices.Writer.TryWrite((sessionId, held));
        });
    }

    /// <summary>NOTIFYs that made this node read the log (not counted: its own appends, already applied). For tests.</summary>
    internal int NoticeCatchUps;

    /// <summary>The room if this node holds a loaded copy of it, else null (not asked for, still loading, or failed).</summary>
    private Room? Loaded(long sessionId) => rooms.TryGetValue(sessionId, out var lazy) ? Loaded(lazy) : null;

    private static Room? Loaded(Lazy<Task<Room>> lazy) => lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully ? lazy.Value.Result : null;

    /// <summary>
    /// Calls <paramref name="onChange"/> with every new state of the room until disposed, on any thread and not always in
    /// order (two changes published at once may arrive either way round): keep the state with the highest Seq.
    /// </summary>
    /// <param name="onAccessChanged">Called (on the listener's thread: start the check, do not wait for it) when someone's
    /// access to the room's circle may have changed, and after the LISTEN connection comes back (a notice may be lost).</param>
    /// <param name="personId">Whose page follows the room, if anyone's.</param>
    public async Task<IDisposable> SubscribeAsync(long sessionId, Action<RoomState> onChange, CancellationToken ct, Action? onAccessChanged = null, long? personId = null)
    {
        var room = await RoomAsync(sessionId, ct);
        var subscriber = new Subscriber(onChange, onAccessChanged, personId);
        lock (room.Subscribers) room.Subscribers.Add(subscriber);
        return new Subscription(() => { lock (room.Subscribers) room.Subscribers.Remove(subscriber); room.LastUsed = DateTimeOffset.UtcNow; });
    }

    /// <summary>Asks every subscriber of this node's rooms of <paramref name="circleId"/> (all rooms when null) to check its access again.</summary>
    private void AccessChanged(long? circleId)
    {
        foreach (var lazy in rooms.Values)
        {
            if (Loaded(lazy) is not { } room || (circleId is { } c && room.CircleId != c)) continue;
            foreach (var s in room.SubscribersNow())
            {
                try { s.OnAccessChanged?.Invoke(); }
                catch (Exception ex) { log.LogError(ex, "Asking a subscriber of room {SessionId} to check its access failed", room.State.SessionId); }
            }
        }
    }

    /// <summary>
    /// Tells every subscriber. A page's subscriber renders it there and then when its circuit is idle (well under a
    /// tenth of a millisecond for a member's page, about half a millisecond for the facilitator's, on this project's
    /// test VM), so the pages are told by the thread that appended, one after another, and by helpers on the thread
    /// pool, one per other core, taking the next page from the same list: the room's pages never wait for a pool thread
    /// to wake (half a millisecond or more on a busy VM), yet a costly render does not hold up the pages after it while
    /// a core is free. The pages of <paramref name="actorId"/> come first: the person who pressed sees their press at
    /// once, and the page that takes its browser longest to show a press (the facilitator's: their controls, the agenda's
    /// buttons, the airtime) starts first, so its work overlaps the others' instead of following it. Told last, the
    /// facilitator's own page was the last of its room to show a press in 42% of presses (docs/PERFORMANCE.md, fix 23).
    /// </summary>
    private void Publish(Room room, RoomState state, long? actorId = null)
    {
        var subs = ActorFirst(room.SubscribersNow(), s => s.PersonId, actorId);
        if (subs.Length == 0) return;
        var telling = new Telling(this, subs, state, Stopwatch.GetTimestamp());
        for (var i = Math.Min(Environment.ProcessorCount - 1, subs.Length - 1); i > 0; i--)
            ThreadPool.UnsafeQueueUserWorkItem(static t => t.Run(), telling, preferLocal: false);
        telling.Run();
    }

    /// <summary><paramref name="items"/> with those of <paramref name="actorId"/> moved to the front, the order otherwise kept.</summary>
    internal static T[] ActorFirst<T>(T[] items, Func<T, long?> personOf, long? actorId)
    {
        if (actorId is null) return items;
        var mine = Array.FindAll(items, i => personOf(i) == actorId);
        if (mine.Length == 0 || mine.Length == items.Length) return items;
        return [.. mine, .. Array.FindAll(items, i => personOf(i) != actorId)];
    }

    /// <summary>One publish's pages, taken one at a time by whichever thread gets to the next first.</summary>
    private sealed class Telling(RoomHub hub, Subscriber[] subscribers, RoomState state, long started)
    {
        private int next = -1;

        public void Run()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < subscribers.Length;)
                hub.Tell(subscribers[i].OnChange, state, started);
        }
    }

    private void Tell(Action<RoomState> subscriber, RoomState state, long started)
    {
        try { subscriber(state); }
        catch (ObjectDisposedException) { } // a circuit going away while we publish
        catch (Exception ex)
        {
            // Nobody awaits a work item: one page failing is logged, and stops neither the others nor the command.
            log.LogError(ex, "Telling a subscriber of room {SessionId} failed", state.SessionId);
        }
        RoomMetrics.Step(RoomMetrics.Steps.Publish, started);
    }

    private async Task<Room> RoomAsync(long sessionId, CancellationToken ct)
    {
        var lazy = rooms.GetOrAdd(sessionId, id => new Lazy<Task<Room>>(() => LoadAsync(id)));
        try
        {
            var room = await lazy.Value.WaitAsync(ct);
            room.LastUsed = DateTimeOffset.UtcNow;
            return room;
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            rooms.TryRemove(new KeyValuePair<long, Lazy<Task<Room>>>(sessionId, lazy));
            throw;
        }
    }

    private async Task<Room> LoadAsync(long sessionId)
    {
        (string? Setup, long CircleId) row;
        await using (var conn = await db.OpenConnectionAsync())
            row = await conn.QuerySingleOrDefaultAsync<(string?, long)>(new CommandDefinition(
                "SELECT room_setup::text, circle_id FROM mentor.session WHERE id = @sessionId", new { sessionId }));
        if (row.Setup is null) throw new RoomNotOpenException(sessionId);
        var state = RoomSetup.FromJson(row.Setup).CreateState(sessionId);
        foreach (var e in await store.LoadAsync(sessionId, 0, CancellationToken.None)) state = RoomEngine.Apply(state, e.Event);
        return new Room(row.CircleId, state);
    }

    /// <summary>
    /// LISTENs on the room channel for as long as the node runs, reconnecting after a drop (then catching every room up,
    /// since notifications sent while disconnected are gone). Also forgets rooms nobody here has looked at for a while.
    /// </summary>
    public async Task RunListenerAsync(CancellationToken ct)
    {
        var worker = Task.Run(() => ProcessNoticesAsync(ct), ct);
        var delay = TimeSpan.FromMilliseconds(250);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await db.OpenConnectionAsync(ct);
                conn.Notification += (_, e) =>
                {
                    if (e.Channel == AccessChannel) { if (long.TryParse(e.Payload, out var circleId)) AccessChanged(circleId); }
                    else if (RoomEventStore.ParseNotification(e.Payload) is { } n) notices.Writer.TryWrite(n);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {RoomEventStore.Channel}; LISTEN {AccessChannel}", conn)) await listen.ExecuteNonQueryAsync(ct);
                Listening = true;
                delay = TimeSpan.FromMilliseconds(250);
                foreach (var id in rooms.Keys) notices.Writer.TryWrite((id, long.MaxValue));
                AccessChanged(null); // access taken away while this node was not listening
                while (!ct.IsCancellationRequested)
                {
                    if (!await conn.WaitAsync(TimeSpan.FromSeconds(30), ct))
                    {
                        // Quiet for 30 s: prove the connection is alive, and drop rooms idle for 10 minutes.
                        await using var ping = new NpgsqlCommand("SELECT 1", conn);
                        await ping.ExecuteScalarAsync(ct);
                        Sweep(TimeSpan.FromMinutes(10));
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                Listening = false;
                log.LogWarning(ex, "Room LISTEN connection lost; reconnecting in {Delay}", delay);
                try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { break; }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
        Listening = false;
        notices.Writer.TryComplete();
        try { await worker; } catch (OperationCanceledException) { }
    }

    /// <summary>True while the LISTEN connection is up (health checks and tests wait for it).</summary>
    public bool Listening { get; private set; }

    private async Task ProcessNoticesAsync(CancellationToken ct)
    {
        await foreach (var (sessionId, seq) in notices.Reader.ReadAllAsync(ct))
        {
            if (Loaded(sessionId) is not { } room || room.State.Seq >= seq) continue; // our own append, already applied
            lock (room)
            {
                if (room.Appending > 0) { room.HeldNotice = Math.Max(room.HeldNotice, seq); continue; } // see Appending
            }
            Interlocked.Increment(ref NoticeCatchUps);
            try { await CatchUpAsync(sessionId, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Catching up room {SessionId} failed", sessionId);
            }
        }
    }

    internal void Sweep(TimeSpan idle)
    {
        var cutoff = DateTimeOffset.UtcNow - idle;
        foreach (var (id, lazy) in rooms)
        {
            if (Loaded(lazy) is not { } room) continue;
            bool unused;
            lock (room.Subscribers) unused = room.Subscribers.Count == 0;
            if (unused && room.LastUsed < cutoff) rooms.TryRemove(id, out _);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0) dispose();
        }
    }
}
