using Parley.Abstractions;

namespace Parley.Grains.Conversations;

/// <summary>
/// The conversation header: everything about a conversation except its turns. Its size depends on the number of
/// branches and the bounded idempotency window, never on the number of turns, so each send writes a bounded amount.
/// </summary>
[GenerateSerializer, Alias("parley.ConversationHeader")]
public sealed class ConversationHeader
{
    [Id(0)] public string OwnerId { get; set; } = "";
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public string? Locale { get; set; }
    [Id(3)] public int CurrentBranch { get; set; }
    [Id(4)] public List<BranchRecord> Branches { get; set; } = [];
    [Id(5)] public List<RecentSend> RecentSends { get; set; } = [];
    [Id(6)] public List<WrittenFeedback> ConversationFeedback { get; set; } = [];

    public bool Exists => OwnerId.Length > 0;
}

/// <summary>One branch: it shares the first <see cref="ForkDepth"/> exchanges of its parent's path and owns the rest.</summary>
[GenerateSerializer, Alias("parley.BranchRecord")]
public sealed class BranchRecord
{
    [Id(0)] public int Id { get; set; }
    [Id(1)] public int? ParentId { get; set; }
    [Id(2)] public int ForkDepth { get; set; }
    [Id(3)] public int Length { get; set; }
    [Id(4)] public PolicyState Policy { get; set; }
    [Id(5)] public EndRecord? End { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A remembered client message id and the exchange it created.</summary>
[GenerateSerializer, Alias("parley.RecentSend")]
public sealed record RecentSend([property: Id(0)] string ClientMessageId, [property: Id(1)] TurnId Turn);

/// <summary>
/// One stored exchange: the exchange as clients see it (<see cref="TurnView"/>) plus what only the grains need, the policy
/// state after it and what it counted as. Stored as flat JSON: the members keep the names and ids they always had.
/// </summary>
[GenerateSerializer, Immutable, Alias("parley.StoredExchange")]
public sealed record StoredExchange : TurnView
{
    [Id(11)] public PolicyState PolicyAfter { get; init; }
    [Id(12)] public Violation Violation { get; init; }

    /// <summary>
    /// The version of the rating's last change made through a rating intent (0: never); each change gets a new one, and
    /// the feedback totals count the change filed under it exactly once (see <c>FeedbackShardGrain</c>).
    /// </summary>
    [Id(13)] public int RatingVersion { get; init; }

    /// <summary>The highest rating version given up by the totals (a change prepared but never stored); it can no longer be stored.</summary>
    [Id(14)] public int RatingFence { get; init; }

    /// <summary>The version the next rating change will be stored under.</summary>
    public int NextRatingVersion => Math.Max(RatingVersion, RatingFence) + 1;
}

/// <summary>The state of one turn chunk: the exchanges of one branch at depths [index × size, (index + 1) × size).</summary>
[GenerateSerializer, Alias("parley.TurnChunkState")]
public sealed class TurnChunkState
{
    [Id(0)] public Dictionary<int, StoredExchange> Exchanges { get; set; } = [];
}
