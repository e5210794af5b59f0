namespace Parley.Abstractions;

/// <summary>What the classifier said about one user message: the evidence stored with its decision.</summary>
[GenerateSerializer, Immutable, Alias("parley.ClassifierEvidence")]
public sealed record ClassifierEvidence
{
    /// <summary>Category scores in [0, 1], by stable category name (e.g. <c>harassment</c>); zero scores are omitted.</summary>
    [Id(0)] public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();

    /// <summary>Whom the message was aimed at.</summary>
    [Id(1)] public Target Target { get; init; }

    /// <summary>The message signalled imminent risk to the user or to someone else.</summary>
    [Id(2)] public bool ImminentRisk { get; init; }

    /// <summary>The message was a clear "yes" (used to confirm an end request).</summary>
    [Id(3)] public bool Affirmative { get; init; }

    /// <summary>Classification failed or timed out; the policy then continued the conversation.</summary>
    [Id(4)] public bool Failed { get; init; }

    /// <summary>The classifier that produced this evidence.</summary>
    [Id(5)] public string ClassifierVersion { get; init; } = "";

    /// <summary>The message withdrew, questioned or refused an ending ("no", "wait", "why?", "don't end it").</summary>
    [Id(6)] public bool Declines { get; init; }

    /// <summary>The message hesitated over an ending without refusing it ("hmm, wait", "let me think").</summary>
    [Id(7)] public bool Hesitates { get; init; }

    /// <summary>Evidence for a classification that failed or timed out.</summary>
    public static ClassifierEvidence Unavailable(string why) => new() { Failed = true, ClassifierVersion = why };
}

/// <summary>One exchange of a conversation: a user turn, the decision taken on it, and the assistant's reply.</summary>
[GenerateSerializer, Immutable, Alias("parley.TurnView")]
public record TurnView
{
    /// <summary>This exchange as a plain <see cref="TurnView"/> (without the members a derived type adds).</summary>
    public TurnView AsView() => GetType() == typeof(TurnView) ? this : new TurnView(this);

    /// <summary>The exchange's id.</summary>
    [Id(0)] public TurnId Id { get; init; }

    /// <summary>The client message id the user turn was sent with.</summary>
    [Id(1)] public string ClientMessageId { get; init; } = "";

    /// <summary>The user's message.</summary>
    [Id(2)] public string UserText { get; init; } = "";

    /// <summary>When the user message was accepted.</summary>
    [Id(3)] public DateTimeOffset SentAt { get; init; }

    /// <summary>The policy decision on the user turn.</summary>
    [Id(4)] public Decision Decision { get; init; }

    /// <summary>The assistant's reply.</summary>
    [Id(5)] public string Reply { get; init; } = "";

    /// <summary>The classifier evidence behind the decision.</summary>
    [Id(6)] public ClassifierEvidence Evidence { get; init; } = new();

    /// <summary>The version of the policy that took the decision.</summary>
    [Id(7)] public string PolicyVersion { get; init; } = "";

    /// <summary>The user's current vote on the assistant reply.</summary>
    [Id(8)] public Rating Rating { get; init; }

    /// <summary>The user's latest written feedback on this turn, if any.</summary>
    [Id(9)] public string? Feedback { get; init; }

    /// <summary>The end reason when <see cref="Decision"/> is <see cref="Decision.End"/>.</summary>
    [Id(10)] public EndReason? EndReason { get; init; }
}

/// <summary>The audit record of an ended branch: every ending is explained (reason, leading turns, evidence, rationale) and auditable.</summary>
[GenerateSerializer, Immutable, Alias("parley.EndRecord")]
public sealed record EndRecord
{
    /// <summary>Why the branch ended.</summary>
    [Id(0)] public EndReason Reason { get; init; }

    /// <summary>The exchange whose user turn got the <c>end</c> decision.</summary>
    [Id(1)] public TurnId EndedAt { get; init; }

    /// <summary>The turns that led to the end (the redirects, the warning and the final turn), oldest first.</summary>
    [Id(2)] public IReadOnlyList<TurnId> LeadingTurns { get; init; } = [];

    /// <summary>The classifier evidence of <see cref="LeadingTurns"/>, in the same order.</summary>
    [Id(3)] public IReadOnlyList<ClassifierEvidence> Evidence { get; init; } = [];

    /// <summary>The policy version that ended the branch.</summary>
    [Id(4)] public string PolicyVersion { get; init; } = "";

    /// <summary>When the branch ended.</summary>
    [Id(5)] public DateTimeOffset EndedOn { get; init; }

    /// <summary>The policy's short explanation of the ending, e.g. "third abuse strike after a warning" (empty in records stored before it was kept).</summary>
    [Id(6)] public string Rationale { get; init; } = "";
}

/// <summary>One branch of a conversation: a path from the root to a leaf.</summary>
[GenerateSerializer, Immutable, Alias("parley.BranchView")]
public sealed record BranchView
{
    /// <summary>The branch id (0 is the original branch).</summary>
    [Id(0)] public int Id { get; init; }

    /// <summary>The branch this one was forked from, or null for the original branch.</summary>
    [Id(1)] public int? ParentId { get; init; }

    /// <summary>How many exchanges this branch shares with its parent (the depth of the edited turn).</summary>
    [Id(2)] public int ForkDepth { get; init; }

    /// <summary>Number of exchanges on the branch path, inherited ones included.</summary>
    [Id(3)] public int Length { get; init; }

    /// <summary>Whether this is the conversation's current branch.</summary>
    [Id(4)] public bool IsCurrent { get; init; }

    /// <summary>The audit record when the branch has ended; null while it is live.</summary>
    [Id(5)] public EndRecord? End { get; init; }

    /// <summary>When the branch was created.</summary>
    [Id(6)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The assistant asked the user to confirm an end request in the last exchange and it is still pending.</summary>
    [Id(7)] public bool AwaitingEndConfirmation { get; init; }

    /// <summary>True when the branch has ended and refuses new messages.</summary>
    public bool Ended => End is not null;
}

/// <summary>A conversation's status.</summary>
[GenerateSerializer, Immutable, Alias("parley.ConversationStatus")]
public sealed record ConversationStatus
{
    /// <summary>The conversation id.</summary>
    [Id(0)] public string ConversationId { get; init; } = "";

    /// <summary>The owner's user id.</summary>
    [Id(1)] public string OwnerId { get; init; } = "";

    /// <summary>When the conversation was started.</summary>
    [Id(2)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The current branch.</summary>
    [Id(3)] public BranchView CurrentBranch { get; init; } = new();

    /// <summary>How many branches the conversation has.</summary>
    [Id(4)] public int BranchCount { get; init; }

    /// <summary>The conversation's locale (selects the crisis resources), e.g. <c>en-US</c>.</summary>
    [Id(5)] public string Locale { get; init; } = "";
}

/// <summary>The result of sending (or editing and resubmitting) a message.</summary>
[GenerateSerializer, Immutable, Alias("parley.SendResult")]
public sealed record SendResult
{
    /// <summary>The stored exchange: the user turn, the decision and the assistant reply.</summary>
    [Id(0)] public TurnView Turn { get; init; } = new();

    /// <summary>The branch the exchange was appended to.</summary>
    [Id(1)] public int BranchId { get; init; }

    /// <summary>True when this send was a retry of an earlier one with the same client message id: nothing was appended.</summary>
    [Id(2)] public bool Duplicate { get; init; }

    /// <summary>True when the branch is ended after this exchange.</summary>
    [Id(3)] public bool BranchEnded { get; init; }
}

/// <summary>A page of a branch's transcript.</summary>
[GenerateSerializer, Immutable, Alias("parley.TranscriptPage")]
public sealed record TranscriptPage
{
    /// <summary>The branch read.</summary>
    [Id(0)] public int BranchId { get; init; }

    /// <summary>The depth of the first exchange on this page.</summary>
    [Id(1)] public int Offset { get; init; }

    /// <summary>The exchanges, oldest first.</summary>
    [Id(2)] public IReadOnlyList<TurnView> Turns { get; init; } = [];

    /// <summary>Total number of exchanges on the branch path.</summary>
    [Id(3)] public int Total { get; init; }
}

/// <summary>Thumbs counts.</summary>
[GenerateSerializer, Alias("parley.ThumbCounts")]
public sealed record ThumbCounts
{
    /// <summary>Thumbs-up votes.</summary>
    [Id(0)] public long Up { get; set; }

    /// <summary>Thumbs-down votes.</summary>
    [Id(1)] public long Down { get; set; }
}

/// <summary>A piece of written feedback.</summary>
[GenerateSerializer, Immutable, Alias("parley.WrittenFeedback")]
public sealed record WrittenFeedback
{
    /// <summary>The conversation it is about.</summary>
    [Id(0)] public string ConversationId { get; init; } = "";

    /// <summary>The turn it is about, or null when it is about the conversation (for example its ending).</summary>
    [Id(1)] public TurnId? TurnId { get; init; }

    /// <summary>The decision of that turn, if any.</summary>
    [Id(2)] public Decision? Decision { get; init; }

    /// <summary>The end reason concerned, if the feedback is about an ending.</summary>
    [Id(3)] public EndReason? EndReason { get; init; }

    /// <summary>The text.</summary>
    [Id(4)] public string Text { get; init; } = "";

    /// <summary>When it was given.</summary>
    [Id(5)] public DateTimeOffset At { get; init; }
}

/// <summary>Cluster-wide feedback totals.</summary>
[GenerateSerializer, Immutable, Alias("parley.FeedbackTotals")]
public sealed record FeedbackTotals
{
    /// <summary>All votes.</summary>
    [Id(0)] public ThumbCounts Overall { get; init; } = new();

    /// <summary>Votes by the decision of the rated turn (wire names, e.g. <c>end</c>).</summary>
    [Id(1)] public IReadOnlyDictionary<string, ThumbCounts> ByDecision { get; init; } = new Dictionary<string, ThumbCounts>();

    /// <summary>Votes on ending turns by end reason (wire names, e.g. <c>persistent_abuse</c>).</summary>
    [Id(2)] public IReadOnlyDictionary<string, ThumbCounts> ByEndReason { get; init; } = new Dictionary<string, ThumbCounts>();

    /// <summary>How many pieces of written feedback were given.</summary>
    [Id(3)] public long WrittenCount { get; init; }

    /// <summary>The most recent written feedback, newest first (bounded).</summary>
    [Id(4)] public IReadOnlyList<WrittenFeedback> RecentWritten { get; init; } = [];
}
