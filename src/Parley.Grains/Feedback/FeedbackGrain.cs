using Microsoft.Extensions.Options;
using Parley.Abstractions;
using Microsoft.Extensions.Logging;
using Parley.Grains.Hosting;
using Parley.Grains.Storage;

namespace Parley.Grains.Feedback;

/// <summary>Stored cluster-wide totals.</summary>
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

/// <summary>The one cluster-wide feedback grain (key 0). It only sees one batch per silo per flush period.</summary>
public sealed class FeedbackGrain(IOptions<FeedbackOptions> options, ILogger<FeedbackGrain> logger) : Grain, IFeedbackGrain, IFeedbackSink
{
    private const int RememberedBatches = 256;

    private GuardedState<FeedbackTotalsState>? _state;

    private GuardedState<FeedbackTotalsState> Totals => _state ??= new(GrainContext, "totals", ParleyStorage.Feedback, logger);

    public async Task<FeedbackTotals> GetTotalsAsync()
    {
        await Totals.LoadAsync();
        var s = Totals.State;
        return new FeedbackTotals
        {
            Overall = new ThumbCounts { Up = s.Overall.Up, Down = s.Overall.Down },
            ByDecision = s.ByDecision.ToDictionary(kv => kv.Key, kv => kv.Value with { }),
            ByEndReason = s.ByEndReason.ToDictionary(kv => kv.Key, kv => kv.Value with { }),
            WrittenCount = s.WrittenCount,
            RecentWritten = s.RecentWritten.AsEnumerable().Reverse().ToList(),
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
