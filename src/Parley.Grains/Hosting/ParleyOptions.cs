namespace Parley.Grains.Hosting;

/// <summary>Conversation limits and tuning (configuration section <c>Parley:Conversation</c>; input limits are <see cref="Parley.Abstractions.InputRules"/>).</summary>
public sealed class ConversationOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Conversation";

    /// <summary>Exchanges per turn-chunk grain: bounds the bytes written per turn whatever the conversation's length.</summary>
    public int TurnsPerChunk { get; set; } = 8;

    /// <summary>How many recent client message ids each conversation remembers for idempotent retries.</summary>
    public int IdempotencyWindow { get; set; } = 64;

    /// <summary>Most branches one conversation may have.</summary>
    public int MaxBranches { get; set; } = 500;

    /// <summary>Most conversation-level written feedback entries one conversation keeps.</summary>
    public int MaxConversationFeedback { get; set; } = 20;

    /// <summary>How many previous user messages are given to the classifier as context.</summary>
    public int ClassifierContextMessages { get; set; } = 5;

    /// <summary>How many previous exchanges are given to the chat model as history.</summary>
    public int ChatHistoryExchanges { get; set; } = 10;

    /// <summary>
    /// How long a classification may take (including its wait in the classifier pool's queue on a busy silo) before the
    /// conversation falls back to the rule stage alone. Generous on purpose: a late decision beats one made on less evidence.
    /// Keep it well below Orleans' response timeout (30 s by default).
    /// </summary>
    public TimeSpan ClassifierTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the chat model may take to reply.</summary>
    public TimeSpan ChatTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Feedback aggregation tuning (configuration section <c>Parley:Feedback</c>).</summary>
public sealed class FeedbackOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Feedback";

    /// <summary>How often each silo's pre-aggregator flushes its buffered deltas to the cluster-wide totals.</summary>
    public TimeSpan FlushPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many recent written feedback entries the totals keep.</summary>
    public int RecentWrittenLimit { get; set; } = 100;
}

/// <summary>Bounds of the per-user conversation lists and the audit log (configuration section <c>Parley:Directory</c>).</summary>
public sealed class DirectoryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Directory";

    /// <summary>Most conversations one user's list keeps (the oldest are dropped from the list, not deleted).</summary>
    public int MaxConversationsPerUser { get; set; } = 200;

    /// <summary>Most endings the cluster-wide audit log keeps (the most recent).</summary>
    public int MaxAuditEntries { get; set; } = 1000;
}

/// <summary>Names of the grain storage providers Parley uses.</summary>
public static class ParleyStorage
{
    /// <summary>Conversation headers (small: owner, branches, policy state, recent message ids).</summary>
    public const string Conversations = "conversations";

    /// <summary>Turn chunks (a bounded number of exchanges each).</summary>
    public const string Turns = "turns";

    /// <summary>Cluster-wide feedback totals.</summary>
    public const string Feedback = "feedback";

    /// <summary>Per-user conversation lists.</summary>
    public const string Directory = "directory";

    /// <summary>The audit log of endings.</summary>
    public const string Audit = "audit";

    /// <summary>All of them.</summary>
    public static readonly string[] All = [Conversations, Turns, Feedback, Directory, Audit];
}
