using Parley.Abstractions;

namespace Parley.Grains.Feedback;

/// <summary>
/// The write side of the cluster-wide feedback grain (key 0) for batches of deltas. Silos of this version send none (their
/// ratings go to the <see cref="IFeedbackShardGrain"/>s); it stays for the per-silo pre-aggregators of the previous
/// version during a rolling upgrade.
/// </summary>
[Alias("parley.IFeedbackSink")]
public interface IFeedbackSink : IGrainWithIntegerKey
{
    /// <summary>Applies a batch once (a retried batch with the same id is ignored).</summary>
    [Alias("Apply")]
    Task ApplyAsync(FeedbackBatch batch);
}

/// <summary>The change one vote makes to the totals: -1, 0 or +1 on up and down, filed under a decision and end reason.</summary>
[GenerateSerializer, Immutable, Alias("parley.RatingDelta")]
public sealed record RatingDelta
{
    [Id(0)] public int Up { get; init; }
    [Id(1)] public int Down { get; init; }
    [Id(2)] public Decision Decision { get; init; }
    [Id(3)] public EndReason? EndReason { get; init; }

    /// <summary>The delta of changing a vote from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static RatingDelta Between(Rating from, Rating to, Decision decision, EndReason? endReason) => new()
    {
        Up = (to == Rating.Up ? 1 : 0) - (from == Rating.Up ? 1 : 0),
        Down = (to == Rating.Down ? 1 : 0) - (from == Rating.Down ? 1 : 0),
        Decision = decision,
        EndReason = endReason,
    };
}

/// <summary>Net deltas buffered by one silo of the previous version.</summary>
[GenerateSerializer, Alias("parley.FeedbackBatch")]
public sealed class FeedbackBatch
{
    [Id(0)] public Guid Id { get; set; } = Guid.NewGuid();
    [Id(1)] public Dictionary<string, ThumbCounts> ByDecision { get; set; } = [];
    [Id(2)] public Dictionary<string, ThumbCounts> ByEndReason { get; set; } = [];
    [Id(3)] public List<WrittenFeedback> Written { get; set; } = [];

    public bool IsEmpty => ByDecision.Count == 0 && ByEndReason.Count == 0 && Written.Count == 0;

    public void Add(RatingDelta d)
    {
        AddTo(ByDecision, d.Decision.Name(), d.Up, d.Down);
        if (d.EndReason is { } reason)
        {
            AddTo(ByEndReason, reason.Name(), d.Up, d.Down);
        }
    }

    public static void AddTo(IDictionary<string, ThumbCounts> map, string key, long up, long down)
    {
        if (!map.TryGetValue(key, out var counts))
        {
            map[key] = counts = new ThumbCounts();
        }

        counts.Up += up;
        counts.Down += down;
    }
}
