using Microsoft.Extensions.Options;
using Parley.Abstractions;
using Microsoft.Extensions.Logging;
using Parley.Grains.Hosting;
using Parley.Grains.Storage;

namespace Parley.Grains.Feedback;

/// <summary>Stored totals of batches from silos of the previous version (before the shards); added to the shards' totals.</summary>
[GenerateSerializer, Alias("parley.FeedbackTotalsState")]
public sealed class FeedbackTotalsState
{
    [Id(0)] public ThumbCounts Overall { get; set; } = new();
    [Id(1)] public Dictionary<string, ThumbCounts> ByDecision { get; set; } = [];
    [Id(2)] public Dictionary<string, ThumbCounts> ByEndReason { get; set; } = [];
    [Id(3)] public long WrittenCount { get; set; }
    [Id(4)] public List<WrittenFeedback> RecentWritten { get; set; } = [];
    [Id(5)] public List<Guid> RecentBatches { get; set; } = [];
}

/// <summary>
/// The cluster-wide feedback grain (key 0): the totals are the sum of the <see cref="FeedbackShardGrain"/>s' (each settled
/// first, so every acknowledged rating is counted) and of its own stored totals, which hold what silos of the previous
/// version flushed in batches.
/// </summary>
public sealed class FeedbackGrain(IOptions<FeedbackOptions> options, ILogger<FeedbackGrain> logger) : Grain, IFeedbackGrain, IFeedbackSink
{
    private const int RememberedBatches = 256;

    private GuardedState<FeedbackTotalsState>? _state;

    private GuardedState<FeedbackTotalsState> Totals => _state ??= new(GrainContext, "totals", ParleyStorage.Feedback, logger);

    public async Task<FeedbackTotals> GetTotalsAsync()
    {
        await Totals.LoadAsync();
        var s = Totals.State;
        var shards = await Task.WhenAll(Enumerable.Range(0, FeedbackShardGrain.Count).Select(i => GrainFactory.GetGrain<IFeedbackShardGrain>(i).GetTotalsAsync()));
        var overall = new ThumbCounts { Up = s.Overall.Up, Down = s.Overall.Down };
        var byDecision = s.ByDecision.ToDictionary(kv => kv.Key, kv => kv.Value with { });
        var byEndReason = s.ByEndReason.ToDictionary(kv => kv.Key, kv => kv.Value with { });
        foreach (var shard in shards)
        {
            overall.Up += shard.Overall.Up;
            overall.Down += shard.Overall.Down;
            foreach (var (k, v) in shard.ByDecision)
            {
                FeedbackBatch.AddTo(byDecision, k, v.Up, v.Down);
            }

            foreach (var (k, v) in shard.ByEndReason)
            {
                FeedbackBatch.AddTo(byEndReason, k, v.Up, v.Down);
            }
        }

        return new FeedbackTotals
        {
            Overall = overall,
            ByDecision = byDecision,
            ByEndReason = byEndReason,
            WrittenCount = s.WrittenCount + shards.Sum(x => x.WrittenCount),
            RecentWritten = s.RecentWritten.Concat(shards.SelectMany(x => x.RecentWritten))
                .OrderByDescending(w => w.At).Take(options.Value.RecentWrittenLimit).ToList(),
        };
    }

    public async Task ApplyAsync(FeedbackBatch batch)
    {
        await Totals.LoadAsync();
        var s = Totals.State;
        if (s.RecentBatches.Contains(batch.Id))
        {
            return;
        }

        foreach (var (k, v) in batch.ByDecision)
        {
            FeedbackBatch.AddTo(s.ByDecision, k, v.Up, v.Down);
            s.Overall.Up += v.Up;
            s.Overall.Down += v.Down;
        }

        foreach (var (k, v) in batch.ByEndReason)
        {
            FeedbackBatch.AddTo(s.ByEndReason, k, v.Up, v.Down);
        }

        s.WrittenCount += batch.Written.Count;
        s.RecentWritten.AddRange(batch.Written);
        var limit = options.Value.RecentWrittenLimit;
        if (s.RecentWritten.Count > limit)
        {
            s.RecentWritten.RemoveRange(0, s.RecentWritten.Count - limit);
        }

        s.RecentBatches.Add(batch.Id);
        if (s.RecentBatches.Count > RememberedBatches)
        {
            s.RecentBatches.RemoveAt(0);
        }

        // On failure the totals are reloaded by the next call (GuardedState) and the aggregator retries the batch.
        await Totals.WriteAsync();
    }
}
