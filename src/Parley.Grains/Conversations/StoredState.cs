using Parley.Abstractions;
using Parley.Moderation.Policy;


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
    [Id(4)] public StoredPolicyState Policy { get; set; } = new();
    [Id(5)] public EndRecord? End { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A remembered client message id and the exchange it created.</summary>
[GenerateSerializer, Alias("parley.RecentSend")]
public sealed record RecentSend([property: Id(0)] string ClientMessageId, [property: Id(1)] TurnId Turn);

/// <summary>The stored form of <see cref="PolicyState"/> (Parley.Moderation has no Orleans dependency).</summary>
[GenerateSerializer, Alias("parley.StoredPolicyState")]
public sealed record StoredPolicyState
{
    [Id(0)] public int AbuseStrikes { get; init; }
    [Id(1)] public int HarmStrikes { get; init; }
    [Id(2)] public int CleanStreak { get; init; }
    [Id(3)] public int RiskTurnsLeft { get; init; }
    [Id(4)] public bool AwaitingEndConfirmation { get; init; }
    [Id(5)] public int RiskCueTurnsLeft { get; init; }

    public PolicyState ToState() => new()
    {
        AbuseStrikes = AbuseStrikes,
        HarmStrikes = HarmStrikes,
        CleanStreak = CleanStreak,
        RiskTurnsLeft = RiskTurnsLeft,
        AwaitingEndConfirmation = AwaitingEndConfirmation,
        RiskCueTurnsLeft = RiskCueTurnsLeft,
    };

    public static StoredPolicyState From(PolicyState s) => new()
    {
        AbuseStrikes = s.AbuseStrikes,
        HarmStrikes = s.HarmStrikes,
        CleanStreak = s.CleanStreak,
        RiskTurnsLeft = s.RiskTurnsLeft,
        AwaitingEndConfirmation = s.AwaitingEndConfirmation,
        RiskCueTurnsLeft = s.RiskCueTurnsLeft,
    };
}

/// <summary>One stored exchange: the user turn, its decision and evidence, the reply, the rating, and the policy state after it.</summary>
[GenerateSerializer, Alias("parley.StoredExchange")]
public sealed class StoredExchange
{
    [Id(0)] public TurnId Id { get; set; }
    [Id(1)] public string ClientMessageId { get; set; } = "";
    [Id(2)] public string UserText { get; set; } = "";
    [Id(3)] public DateTimeOffset SentAt { get; set; }
    [Id(4)] public Decision Decision { get; set; }
    [Id(5)] public string Reply { get; set; } = "";
    [Id(6)] public ClassifierEvidence Evidence { get; set; } = new();
    [Id(7)] public string PolicyVersion { get; set; } = "";
    [Id(8)] public Rating Rating { get; set; }
    [Id(9)] public string? Feedback { get; set; }
    [Id(10)] public EndReason? EndReason { get; set; }
    [Id(11)] public StoredPolicyState PolicyAfter { get; set; } = new();
    // Parley.Moderation.Policy.Violation as a number (plain enums from a non-Orleans assembly are kept as ints).
    [Id(12)] public int Violation { get; set; }

    public TurnView ToView() => new()
    {
        Id = Id,
        ClientMessageId = ClientMessageId,
        UserText = UserText,
        SentAt = SentAt,
        Decision = Decision,
        Reply = Reply,
        Evidence = Evidence,
        PolicyVersion = PolicyVersion,
        Rating = Rating,
        Feedback = Feedback,
        EndReason = EndReason,
    };
}

/// <summary>The state of one turn chunk: the exchanges of one branch at depths [index × size, (index + 1) × size).</summary>
[GenerateSerializer, Alias("parley.TurnChunkState")]
public sealed class TurnChunkState
{
    [Id(0)] public Dictionary<int, StoredExchange> Exchanges { get; set; } = [];
}
