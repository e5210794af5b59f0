using Orleans.Concurrency;
using Parley.Abstractions;
using Microsoft.Extensions.Logging;
using Parley.Grains.Hosting;
using Parley.Grains.Storage;

namespace Parley.Grains.Conversations;

/// <summary>
/// Holds a bounded run of one branch's exchanges. Only the conversation grain calls it (after its ownership checks),
/// so its key, <c>"{conversationId}/{branchId}/{chunkIndex}"</c>, is never exposed to users.
/// </summary>
[Alias("parley.ITurnChunkGrain")]
public interface ITurnChunkGrain : IGrainWithStringKey
{
    /// <summary>Stores (or replaces) one exchange; durable when it returns.</summary>
    [Alias("Put")]
    Task PutAsync(StoredExchange exchange);

    /// <summary>The exchanges at depths [from, to) that exist, in depth order.</summary>
    [ReadOnly, Alias("Get")]
    Task<IReadOnlyList<StoredExchange>> GetAsync(int fromDepth, int toDepth);

    /// <summary>Sets the rating of one exchange; returns the previous rating and the updated exchange.</summary>
    /// <remarks>Kept for conversation grains of the previous version during a rolling upgrade; leaves the rating version alone.</remarks>
    [Alias("Rate")]
    Task<RatingChange> RateAsync(int depth, Rating rating);

    /// <summary>
    /// Stores a rating change under <paramref name="version"/>, which must be the exchange's
    /// <see cref="StoredExchange.NextRatingVersion"/> (its intent was prepared with the feedback totals under it). Returns
    /// the previous rating and the updated exchange, or null when the version is no longer the next one (the totals gave
    /// the intent up, or another change came first): nothing is stored then, and the caller starts over.
    /// </summary>
    [Alias("RateAt")]
    Task<RatingChange?> RateAtAsync(int depth, Rating rating, int version);

    /// <summary>
    /// For the feedback totals: was the rating change prepared under <paramref name="version"/> stored? True: stored.
    /// Otherwise, with <paramref name="giveUp"/>, the version is fenced (a durable write) so it can never be stored, and
    /// the answer is false; without it, null (not stored yet; it may still be).
    /// </summary>
    [Alias("ResolveRating")]
    Task<bool?> ResolveRatingAsync(int depth, int version, bool giveUp);

    /// <summary>Sets the written feedback of one exchange; returns the updated exchange.</summary>
    [Alias("SetFeedback")]
    Task<StoredExchange> SetFeedbackAsync(int depth, string text);
}

/// <summary>The result of <see cref="ITurnChunkGrain.RateAsync"/>.</summary>
[GenerateSerializer, Alias("parley.RatingChange")]
public sealed record RatingChange([property: Id(0)] Rating Previous, [property: Id(1)] StoredExchange Exchange);

/// <inheritdoc cref="ITurnChunkGrain" />
public sealed class TurnChunkGrain(ILogger<TurnChunkGrain> logger) : Grain, ITurnChunkGrain
{
    private GuardedState<TurnChunkState>? _state;

    private GuardedState<TurnChunkState> Chunk => _state ??= new(GrainContext, "chunk", ParleyStorage.Turns, logger);

    /// <summary>
    /// Exchanges per chunk: depth d of branch b lives in chunk <c>d / 8</c>. A stored invariant, not a setting: every stored
    /// conversation's chunk keys depend on it, so it never changes (a different size would need a migration of all chunks).
    /// </summary>
    public const int TurnsPerChunk = 8;

    public static string KeyFor(string conversationId, int branchId, int chunkIndex) => $"{conversationId}/{branchId}/{chunkIndex}";

    public Task PutAsync(StoredExchange exchange) =>
        MutateAsync(exchange.Id.Depth, _ => exchange);

    public async Task<IReadOnlyList<StoredExchange>> GetAsync(int fromDepth, int toDepth)
    {
        await Chunk.LoadAsync();
        var list = new List<StoredExchange>(Math.Max(0, toDepth - fromDepth));
        for (var d = fromDepth; d < toDepth; d++)
        {
            if (Chunk.State.Exchanges.TryGetValue(d, out var e))
            {
                list.Add(e);
            }
        }

        return list;
    }

    public async Task<RatingChange> RateAsync(int depth, Rating rating)
    {
        await Chunk.LoadAsync();
        var previous = Existing(depth).Rating;
        var updated = await MutateAsync(depth, _ => Existing(depth) with { Rating = rating });
        return new RatingChange(previous, updated);
    }

    public async Task<RatingChange?> RateAtAsync(int depth, Rating rating, int version)
    {
        await Chunk.LoadAsync();
        var previous = Existing(depth);
        if (previous.NextRatingVersion != version)
        {
            return null;
        }

        var updated = await MutateAsync(depth, _ => previous with { Rating = rating, RatingVersion = version });
        return new RatingChange(previous.Rating, updated);
    }

    public async Task<bool?> ResolveRatingAsync(int depth, int version, bool giveUp)
    {
        await Chunk.LoadAsync();
        if (!Chunk.State.Exchanges.TryGetValue(depth, out var e))
        {
            // Only if the chunk's storage lost it (memory storage on a dead silo): nothing can be stored there now.
            return giveUp ? false : null;
        }

        if (e.RatingVersion >= version)
        {
            // A later version is prepared only after this one was resolved by the totals, so this one was stored.
            return true;
        }

        if (!giveUp)
        {
            return null;
        }

        if (e.RatingFence < version)
        {
            await MutateAsync(depth, _ => e with { RatingFence = version });
        }

        return false;
    }

    public Task<StoredExchange> SetFeedbackAsync(int depth, string text) =>
        MutateAsync(depth, _ => Existing(depth) with { Feedback = text });

    private StoredExchange Existing(int depth) =>
        Chunk.State.Exchanges.TryGetValue(depth, out var e)
            ? e
            : throw new InvalidRequestException(ErrorCodes.UnknownTurn, $"No exchange at depth {depth}.");

    // Applies a change and writes it; on a storage failure the chunk is discarded and reloaded by the next call.
    private async Task<StoredExchange> MutateAsync(int depth, Func<StoredExchange?, StoredExchange> change)
    {
        await Chunk.LoadAsync();
        Chunk.State.Exchanges.TryGetValue(depth, out var before);
        var after = change(before);
        Chunk.State.Exchanges[depth] = after;
        await Chunk.WriteAsync();
        return after;
    }
}
