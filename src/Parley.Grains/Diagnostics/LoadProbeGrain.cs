using Parley.Abstractions;
using Parley.Grains.Conversations;
using Parley.Grains.Hosting;
using Parley.Moderation.Replies;

namespace Parley.Grains.Diagnostics;

/// <summary>
/// The load generator's baselines, measured in the same run on the same cluster as the real sends (<c>parley load</c>).
/// <see cref="PingAsync"/> is a bare grain round trip with a send's arguments. <see cref="WriteAsync"/> does the storage
/// writes of a send and nothing else: it puts an exchange of the same shape into a real <see cref="TurnChunkGrain"/> and then
/// writes a real <see cref="ConversationHeader"/> to the conversations store, so it is the storage-bound limit of the send path
/// (no classification, policy, reply composition or history reads). Keys should not collide with conversation ids
/// (the load generator uses <c>load-probe-...</c>); probe state is written to the configured stores like any other grain's.
/// </summary>
[Alias("parley.ILoadProbeGrain")]
public interface ILoadProbeGrain : IGrainWithStringKey
{
    /// <summary>Returns at once (no state, no other grain).</summary>
    [Alias("Ping")]
    Task<int> PingAsync(string userId, string clientMessageId, string text);

    /// <summary>Writes one exchange to a turn chunk and then the header, as a send does. Returns the new length.</summary>
    [Alias("Write")]
    Task<int> WriteAsync(string userId, string clientMessageId, string text);
}

/// <inheritdoc cref="ILoadProbeGrain" />
public sealed class LoadProbeGrain(
    [PersistentState("header", ParleyStorage.Conversations)] IPersistentState<ConversationHeader> header,
    Microsoft.Extensions.Options.IOptions<ConversationOptions> options) : Grain, ILoadProbeGrain
{
    // Built-in replies are a fixed text of this length; the probe stores one of the same size.
    private static readonly string Reply = BuiltInChatClient.Label + new string('.', 260);

    public Task<int> PingAsync(string userId, string clientMessageId, string text) => Task.FromResult(text.Length);

    public async Task<int> WriteAsync(string userId, string clientMessageId, string text)
    {
        var state = header.State;
        if (!state.Exists)
        {
            state.OwnerId = userId;
            state.CreatedAt = DateTimeOffset.UtcNow;
            state.Branches = [new BranchRecord { Id = 0, CreatedAt = state.CreatedAt }];
        }

        var branch = state.Branches[0];
        var id = new TurnId(0, branch.Length);
        var exchange = new StoredExchange
        {
            Id = id,
            ClientMessageId = clientMessageId,
            UserText = text,
            SentAt = DateTimeOffset.UtcNow,
            Decision = Decision.Respond,
            Reply = Reply,
            Evidence = new ClassifierEvidence { ClassifierVersion = "load-probe" },
            PolicyVersion = "load-probe",
        };
        var chunk = TurnChunkGrain.KeyFor(this.GetPrimaryKeyString(), 0, id.Depth / options.Value.TurnsPerChunk);
        await GrainFactory.GetGrain<ITurnChunkGrain>(chunk).PutAsync(exchange);

        branch.Length++;
        state.RecentSends.Add(new RecentSend(clientMessageId, id));
        if (state.RecentSends.Count > options.Value.IdempotencyWindow)
        {
            state.RecentSends.RemoveAt(0);
        }

        await header.WriteStateAsync();
        return branch.Length;
    }
}
