namespace Parley.Abstractions;

/// <summary>
/// The list of one user's conversations (keyed by user id), used by front ends to show "my conversations". The
/// conversations keep it up to date themselves: <see cref="IConversationGrain.StartAsync"/> lists a new conversation and
/// its first message titles it when it has no title, whoever the caller (the HTTP API or a front end using this contract).
/// It keeps at most a bounded number of entries (the most recently created; <c>Parley:Directory:MaxConversationsPerUser</c>,
/// default 200); an evicted conversation still exists and stays reachable by its id.
/// </summary>
[Alias("parley.IUserConversationsGrain")]
public interface IUserConversationsGrain : IGrainWithStringKey
{
    /// <summary>The conversations, newest first; soft-deleted ones are left out.</summary>
    [Alias("List")]
    Task<IReadOnlyList<ConversationSummary>> ListAsync();

    /// <summary>Renames a listed conversation (<c>conversation_not_found</c> when it is not listed or deleted).</summary>
    [Alias("Rename")]
    Task<ConversationSummary> RenameAsync(string conversationId, string title);

    /// <summary>
    /// Soft-deletes a listed conversation: it leaves the list (and <see cref="ListAsync"/>) but its entry and the
    /// conversation's stored turns are kept. Idempotent; <c>conversation_not_found</c> when it was never listed.
    /// </summary>
    [Alias("Delete")]
    Task DeleteAsync(string conversationId);

    /// <summary>Records whether the conversation's current branch has ended, shown in the list (ignored when not listed; no write when unchanged).</summary>
    [Alias("SetEnded")]
    Task SetEndedAsync(string conversationId, bool ended);
}

/// <summary>One entry of a user's conversation list.</summary>
[GenerateSerializer, Immutable, Alias("parley.ConversationSummary")]
public sealed record ConversationSummary
{
    /// <summary>The conversation id.</summary>
    [Id(0)] public string ConversationId { get; init; } = "";

    /// <summary>A short title (by default the start of the first message); may be empty.</summary>
    [Id(1)] public string Title { get; init; } = "";

    /// <summary>When the conversation was created.</summary>
    [Id(2)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether the conversation's current branch has ended (as last reported to the list).</summary>
    [Id(3)] public bool Ended { get; init; }

    /// <summary>When the user deleted it from the list (soft delete), or null; deleted entries are not listed.</summary>
    [Id(4)] public DateTimeOffset? DeletedAt { get; init; }
}

/// <summary>
/// The cluster-wide audit log of endings (key 0), read by operators. Every conversation records its endings in one of the
/// log's shards (silo-internal, not part of this contract); this grain merges the shards. It keeps the most recent endings
/// only (bounded, default 1000, <c>Parley:Directory:MaxAuditEntries</c>, shared out between the shards); the full record
/// also stays with each ended branch (<see cref="BranchView.End"/>).
/// </summary>
[Alias("parley.IEndingAuditGrain")]
public interface IEndingAuditGrain : IGrainWithIntegerKey
{
    /// <summary>The most recent endings, newest first by <see cref="EndRecord.EndedOn"/> (at most <paramref name="take"/>, clamped to 1..MaxAuditEntries).</summary>
    [Alias("GetRecent")]
    Task<IReadOnlyList<EndingAuditEntry>> GetRecentAsync(int take);
}

/// <summary>One audit entry: which conversation and branch ended, whose it is, and the end record.</summary>
[GenerateSerializer, Immutable, Alias("parley.EndingAuditEntry")]
public sealed record EndingAuditEntry
{
    /// <summary>The conversation.</summary>
    [Id(0)] public string ConversationId { get; init; } = "";

    /// <summary>The owner's user id.</summary>
    [Id(1)] public string OwnerId { get; init; } = "";

    /// <summary>The ended branch.</summary>
    [Id(2)] public int BranchId { get; init; }

    /// <summary>Why and how it ended: reason, leading turns, classifier evidence, policy version and the policy's rationale.</summary>
    [Id(3)] public EndRecord End { get; init; } = new();
}
