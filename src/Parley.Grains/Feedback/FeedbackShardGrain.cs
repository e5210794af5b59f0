using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Abstractions;
using Parley.Grains.Conversations;
using Parley.Grains.Hosting;
using Parley.Grains.Storage;

namespace Parley.Grains.Feedback;

/// <summary>
/// One of <see cref="FeedbackShardGrain.Count"/> shards of the cluster-wide feedback totals (key 0..Count-1; a conversation's
/// ratings always go to the same shard). Rating changes reach it as durable intents before they are stored, so no
/// acknowledged rating can be lost from the totals with a silo, and none can be counted twice.
/// </summary>
[Alias("parley.IFeedbackShardGrain")]
public interface IFeedbackShardGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Durably records the intent to change a rating, before the change is stored in its turn chunk. False when the
    /// intent's version was already used or given up (the caller reads the chunk again and starts over).
    /// </summary>
    [Alias("Prepare")]
    Task<bool> PrepareAsync(RatingIntent intent);

    /// <summary>Durably counts a piece of written feedback.</summary>
    [Alias("RecordWritten")]
    Task RecordWrittenAsync(WrittenFeedback feedback);

    /// <summary>This shard's totals, after counting every prepared rating change whose chunk has stored it.</summary>
    [Alias("GetTotals")]
    Task<FeedbackShardState> GetTotalsAsync();
}

/// <summary>A rating change, prepared with the totals under the exchange's next rating version before it is stored.</summary>
[GenerateSerializer, Immutable, Alias("parley.RatingIntent")]
public sealed record RatingIntent
{
    /// <summary>The turn chunk grain's key.</summary>
    [Id(0)] public string Chunk { get; init; } = "";
    [Id(1)] public int Depth { get; init; }
    [Id(2)] public int Version { get; init; }
    [Id(3)] public RatingDelta Delta { get; init; } = new();
    [Id(4)] public DateTimeOffset PreparedAt { get; init; }

    public bool SameChange(RatingIntent other) => Chunk == other.Chunk && Depth == other.Depth && Version == other.Version && Delta == other.Delta;
}

/// <summary>A shard's stored totals and the rating changes prepared but not yet known to be stored.</summary>
[GenerateSerializer, Alias("parley.FeedbackShardState")]
public sealed class FeedbackShardState
{
    [Id(0)] public ThumbCounts Overall { get; set; } = new();
    [Id(1)] public Dictionary<string, ThumbCounts> ByDecision { get; set; } = [];
    [Id(2)] public Dictionary<string, ThumbCounts> ByEndReason { get; set; } = [];
    [Id(3)] public long WrittenCount { get; set; }
    [Id(4)] public List<WrittenFeedback> RecentWritten { get; set; } = [];
    [Id(5)] public List<RatingIntent> Pending { get; set; } = [];
}

/// <inheritdoc cref="IFeedbackShardGrain" />
/// <remarks>
/// The protocol (see docs/architecture.md, "Feedback totals"): the conversation grain reads the exchange, prepares the
/// change here under the exchange's next rating version (a durable write), then stores the rating in the chunk under that
/// version (the commit point). The shard counts an intent once its chunk reports the version stored; an intent whose
/// chunk never stored it is given up, and the chunk fences the version so it can never be stored later. Intents of one
/// exchange are resolved in order (a new one is accepted only after the older ones are resolved), which makes the
/// chunk's answer exact. Settled every <see cref="FeedbackOptions.FlushPeriod"/> and whenever the totals are read.
/// </remarks>
public sealed class FeedbackShardGrain(IOptions<FeedbackOptions> options, ILogger<FeedbackShardGrain> logger) : Grain, IFeedbackShardGrain
{
    /// <summary>The number of shards: a stored invariant (a conversation's shard depends on it), not a setting.</summary>
    public const int Count = 8;

    /// <summary>Pending intents above which a prepare settles the shard first (the stored state stays bounded).</summary>
    private const int MaxPending = 256;

    private GuardedState<FeedbackShardState>? _state;

    private GuardedState<FeedbackShardState> Shard => _state ??= new(GrainContext, "shard", ParleyStorage.Feedback, logger);

    /// <summary>The shard of a conversation (a stable hash of its id, the same in every process).</summary>
    public static IFeedbackShardGrain For(IGrainFactory grains, string conversationId) =>
        grains.GetGrain<IFeedbackShardGrain>(ShardHash.Of(conversationId) % Count);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var period = options.Value.FlushPeriod;
        this.RegisterGrainTimer(_ => SettleOnTimerAsync(), new GrainTimerCreationOptions(period, period));
        return Task.CompletedTask;
    }

    public async Task<bool> PrepareAsync(RatingIntent intent)
    {
        await Shard.LoadAsync();
        if (Shard.State.Pending.Count >= MaxPending)
        {
            await SettleAsync(); // keeps the stored state bounded between timer ticks
        }

        var s = Shard.State;
        var earlier = s.Pending.Where(p => p.Chunk == intent.Chunk && p.Depth == intent.Depth).ToList();
        if (earlier.Any(p => p.SameChange(intent)))
        {
            return true; // a retry of a prepare that landed
        }

        // Older intents of this exchange are resolved first (given up if they were never stored), so that the chunk's
        // version tells exactly which intents it stored.
        var stale = false;
        foreach (var p in earlier)
        {
            await ResolveAsync(p, giveUp: true);
            stale |= p.Version >= intent.Version;
        }

        if (!stale)
        {
            s.Pending.Add(intent);
        }

        if (!stale || earlier.Count > 0)
        {
            await Shard.WriteAsync();
        }

        return !stale;
    }

    public async Task RecordWrittenAsync(WrittenFeedback feedback)
    {
        await Shard.LoadAsync();
        var s = Shard.State;
        s.WrittenCount++;
        s.RecentWritten.Add(feedback);
        var limit = options.Value.RecentWrittenLimit;
        if (s.RecentWritten.Count > limit)
        {
            s.RecentWritten.RemoveRange(0, s.RecentWritten.Count - limit);
        }

        await Shard.WriteAsync();
    }

    public async Task<FeedbackShardState> GetTotalsAsync()
    {
        await SettleAsync();
        var s = Shard.State;
        return new FeedbackShardState
        {
            Overall = s.Overall with { },
            ByDecision = s.ByDecision.ToDictionary(kv => kv.Key, kv => kv.Value with { }),
            ByEndReason = s.ByEndReason.ToDictionary(kv => kv.Key, kv => kv.Value with { }),
            WrittenCount = s.WrittenCount,
            RecentWritten = [.. s.RecentWritten],
            Pending = [.. s.Pending],
        };
    }

    private async Task SettleOnTimerAsync()
    {
        try
        {
            await SettleAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Settling prepared rating changes failed; they stay prepared and are settled later");
        }
    }

    // Counts every prepared change its chunk has stored; gives up those older than AbandonAfter that it never stored.
    private async Task SettleAsync()
    {
        await Shard.LoadAsync();
        var pending = Shard.State.Pending.ToList();
        if (pending.Count == 0)
        {
            return;
        }

        // The chunks are asked in parallel (this grain is not reentrant, so the answers are applied one at a time).
        var now = DateTimeOffset.UtcNow;
        var answers = await Task.WhenAll(pending.Select(p => AskAsync(p, giveUp: now - p.PreparedAt > options.Value.AbandonAfter)));
        var settled = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            settled += Apply(pending[i], answers[i]) ? 1 : 0;
        }

        if (settled > 0)
        {
            await Shard.WriteAsync();
        }
    }

    private async Task ResolveAsync(RatingIntent p, bool giveUp) => Apply(p, await AskAsync(p, giveUp));

    private Task<bool?> AskAsync(RatingIntent p, bool giveUp) =>
        GrainFactory.GetGrain<ITurnChunkGrain>(p.Chunk).ResolveRatingAsync(p.Depth, p.Version, giveUp);

    // Applies a chunk's answer: stored → counted; given up → dropped; null → still pending. True when settled (the caller
    // writes the state).
    private bool Apply(RatingIntent p, bool? stored)
    {
        if (stored is null)
        {
            return false;
        }

        var s = Shard.State;
        if (stored == true)
        {
            var d = p.Delta;
            FeedbackBatch.AddTo(s.ByDecision, d.Decision.Name(), d.Up, d.Down);
            if (d.EndReason is { } reason)
            {
                FeedbackBatch.AddTo(s.ByEndReason, reason.Name(), d.Up, d.Down);
            }

            s.Overall.Up += d.Up;
            s.Overall.Down += d.Down;
        }

        s.Pending.Remove(p);
        return true;
    }
}
