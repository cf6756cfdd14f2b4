using System.Collections.Concurrent;
using System.Runtime;

namespace RoomBaseline;

/// <summary>Per-room counters held in memory; advancing one tells every subscribed circuit of that room.</summary>
public sealed class RoomBus
{
    private sealed class Room
    {
        public long Seq;
        public readonly List<Action<long>> Subscribers = [];
    }

    private readonly ConcurrentDictionary<int, Room> rooms = new();

    public int Subscribers => rooms.Values.Sum(r => { lock (r.Subscribers) return r.Subscribers.Count; });

    public long Current(int roomId)
    {
        var room = rooms.GetOrAdd(roomId, _ => new Room());
        lock (room.Subscribers) return room.Seq;
    }

    public IDisposable Subscribe(int roomId, Action<long> onChange)
    {
        var room = rooms.GetOrAdd(roomId, _ => new Room());
        lock (room.Subscribers) room.Subscribers.Add(onChange);
        return new Subscription(() => { lock (room.Subscribers) room.Subscribers.Remove(onChange); });
    }

    public void Advance(int roomId)
    {
        var room = rooms.GetOrAdd(roomId, _ => new Room());
        long seq;
        Action<long>[] subscribers;
        lock (room.Subscribers)
        {
            seq = ++room.Seq;
            subscribers = [.. room.Subscribers];
        }
        foreach (var s in subscribers) s(seq);
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

/// <summary>The same figures as the app's /diagnostics/memory, so the harness reads both alike.</summary>
public static class Memory
{
    public static object Read(int subscribers, bool compact)
    {
        var gcTotal = FullCollection(compact);
        var info = GC.GetGCMemoryInfo();
        return new
        {
            gcTotalBytes = gcTotal,
            gcHeapSizeBytes = info.HeapSizeBytes,
            gcCommittedBytes = info.TotalCommittedBytes,
            workingSetBytes = Environment.WorkingSet,
            serverGc = GCSettings.IsServerGC,
            circuits = subscribers, // every interactive room page subscribes once: one per circuit
        };
    }

    /// <summary>As the app's (MentorCircles.Web.Hosting.DiagnosticsSetup): a blocking full collection, compacting and giving memory back to the OS when asked.</summary>
    public static long FullCollection(bool compact)
    {
        if (!compact) return GC.GetTotalMemory(forceFullCollection: true);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
