using Parley.Abstractions;

namespace Parley.Grains.Operations;

/// <summary>
/// This silo's decisions and endings per minute over the last <see cref="WindowMinutes"/> minutes, for the operators'
/// summary (one per silo; the conversation grains record into it next to the <c>Parley</c> meter's counters, which only a
/// metrics backend can sum across silos). A lock per record: a few dictionary updates, nothing on the send path waits on I/O.
/// </summary>
public sealed class ActivityCounters(TimeProvider time)
{
    /// <summary>How many minutes are kept (and shown).</summary>
    public const int WindowMinutes = 60;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, Bucket> _minutes = [];

    /// <summary>Records a user turn's decision, and its ending if it ended the branch.</summary>
    public void Record(Decision decision, EndReason? ending)
    {
        lock (_lock)
        {
            var bucket = Current();
            Increment(bucket.Decisions, decision.Name());
            if (ending is { } reason)
            {
                Increment(bucket.Endings, reason.Name());
            }
        }
    }

    /// <summary>Records an ending that has no decision of its own (a confirmed end request).</summary>
    public void RecordEnding(EndReason reason)
    {
        lock (_lock)
        {
            Increment(Current().Endings, reason.Name());
        }
    }

    /// <summary>The minutes of the window that had any activity, oldest first.</summary>
    public List<MinuteActivity> Snapshot()
    {
        lock (_lock)
        {
            Expire(MinuteOf(time.GetUtcNow()));
            return _minutes.Select(m => new MinuteActivity
            {
                Minute = DateTimeOffset.FromUnixTimeSeconds(m.Key * 60),
                Decisions = new Dictionary<string, long>(m.Value.Decisions),
                Endings = new Dictionary<string, long>(m.Value.Endings),
            }).ToList();
        }
    }

    internal static long MinuteOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    private Bucket Current()
    {
        var minute = MinuteOf(time.GetUtcNow());
        if (!_minutes.TryGetValue(minute, out var bucket))
        {
            Expire(minute);
            _minutes[minute] = bucket = new Bucket();
        }

        return bucket;
    }

    private void Expire(long currentMinute)
    {
        while (_minutes.Count > 0 && _minutes.First().Key <= currentMinute - WindowMinutes)
        {
            _minutes.Remove(_minutes.First().Key);
        }
    }

    private static void Increment(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private sealed class Bucket
    {
        public Dictionary<string, long> Decisions { get; } = [];

        public Dictionary<string, long> Endings { get; } = [];
    }
}
