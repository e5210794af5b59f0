using Orleans.Concurrency;
using Parley.Abstractions;
using Parley.Grains.Hosting;

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
    [Alias("Rate")]
    Task<RatingChange> RateAsync(int depth, Rating rating);

    /// <summary>Sets the written feedback of one exchange; returns the updated exchange.</summary>
    [Alias("SetFeedback")]
    Task<StoredExchange> SetFeedbackAsync(int depth, string text);
}

/// <summary>The result of <see cref="ITurnChunkGrain.RateAsync"/>.</summary>
[GenerateSerializer, Alias("parley.RatingChange")]
public sealed record RatingChange([property: Id(0)] Rating Previous, [property: Id(1)] StoredExchange Exchange);

/// <inheritdoc cref="ITurnChunkGrain" />
public sealed class TurnChunkGrain(
    [PersistentState("chunk", ParleyStorage.Turns)] IPersistentState<TurnChunkState> chunk) : Grain, ITurnChunkGrain
{
    private readonly GuardedState<TurnChunkState> _chunk = new(chunk);

    public static string KeyFor(string conversationId, int branchId, int chunkIndex) => $"{conversationId}/{branchId}/{chunkIndex}";

    public Task PutAsync(StoredExchange exchange) =>
        MutateAsync(exchange.Id.Depth, _ => exchange);

    public async Task<IReadOnlyList<StoredExchange>> GetAsync(int fromDepth, int toDepth)
    {
        await _chunk.EnsureFreshAsync();
        var list = new List<StoredExchange>(Math.Max(0, toDepth - fromDepth));
        for (var d = fromDepth; d < toDepth; d++)
        {
            if (_chunk.State.Exchanges.TryGetValue(d, out var e))
            {
                list.Add(e);
            }
        }

        return list;
    }

    public async Task<RatingChange> RateAsync(int depth, Rating rating)
    {
        await _chunk.EnsureFreshAsync();
        var previous = Existing(depth).Rating;
        var updated = await MutateAsync(depth, _ => Copy(Existing(depth), x => x.Rating = rating));
        return new RatingChange(previous, updated);
    }

    public Task<StoredExchange> SetFeedbackAsync(int depth, string text) =>
        MutateAsync(depth, _ => Copy(Existing(depth), x => x.Feedback = text));

    private StoredExchange Existing(int depth) =>
        _chunk.State.Exchanges.TryGetValue(depth, out var e)
            ? e
            : throw new InvalidRequestException(ErrorCodes.UnknownTurn, $"No exchange at depth {depth}.");

    // Applies a change and writes it; on a storage failure the change is undone so memory never runs ahead of storage.
    private async Task<StoredExchange> MutateAsync(int depth, Func<StoredExchange?, StoredExchange> change)
    {
        await _chunk.EnsureFreshAsync();
        _chunk.State.Exchanges.TryGetValue(depth, out var before);
        var after = change(before);
        _chunk.State.Exchanges[depth] = after;
        await _chunk.WriteAsync(() =>
        {
            if (before is null)
            {
                _chunk.State.Exchanges.Remove(depth);
            }
            else
            {
                _chunk.State.Exchanges[depth] = before;
            }
        });
        return after;
    }

    private static StoredExchange Copy(StoredExchange e, Action<StoredExchange> edit)
    {
        var copy = new StoredExchange
        {
            Id = e.Id, ClientMessageId = e.ClientMessageId, UserText = e.UserText, SentAt = e.SentAt, Decision = e.Decision,
            Reply = e.Reply, Evidence = e.Evidence, PolicyVersion = e.PolicyVersion, Rating = e.Rating, Feedback = e.Feedback,
            EndReason = e.EndReason, PolicyAfter = e.PolicyAfter, Violation = e.Violation,
        };
        edit(copy);
        return copy;
    }
}
