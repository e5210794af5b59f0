using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Parley.Grains.Conversations;

namespace Parley.Grains.Hosting;

/// <summary>Conversation limits and tuning (configuration section <c>Parley:Conversation</c>; input limits are <see cref="Parley.Abstractions.InputRules"/>).</summary>
public sealed class ConversationOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Conversation";

    /// <summary>
    /// Exchanges per turn-chunk grain. Not a setting: chunk keys are derived from it, so another value would lose every stored
    /// conversation. It is <see cref="TurnChunkGrain.TurnsPerChunk"/>; the key is still read only so that a configuration
    /// that sets it to anything else refuses to start instead of being silently ignored.
    /// </summary>
    public int TurnsPerChunk { get; set; } = TurnChunkGrain.TurnsPerChunk;

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
    /// 0 means the rule stage alone (the classifier pool is never waited for). With <see cref="ChatTimeout"/> it must fit in
    /// Orleans' response timeout (checked at start-up).
    /// </summary>
    public TimeSpan ClassifierTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the chat model may take to reply. With <see cref="ClassifierTimeout"/> and <see cref="StorageAllowance"/> it
    /// must fit in Orleans' <c>ResponseTimeout</c> (30 s by default), or a slow reply would be answered as a timeout yet commit.
    /// </summary>
    public TimeSpan ChatTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>What a send needs besides classifying and replying (reading history, writing the chunk and the header).</summary>
    public static readonly TimeSpan StorageAllowance = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Checks <see cref="ConversationOptions"/> when the silo starts (<c>ValidateOnStart</c>): the chunk size invariant, positive
/// limits, and that a send's own time limits fit inside Orleans' response timeout.
/// </summary>
public sealed class ConversationOptionsValidator(IOptions<SiloMessagingOptions> messaging) : IValidateOptions<ConversationOptions>
{
    public ValidateOptionsResult Validate(string? name, ConversationOptions o)
    {
        var failures = new List<string>();
        if (o.TurnsPerChunk != TurnChunkGrain.TurnsPerChunk)
        {
            failures.Add($"{ConversationOptions.Section}:TurnsPerChunk is fixed at {TurnChunkGrain.TurnsPerChunk} (stored chunk keys depend on it), not {o.TurnsPerChunk}.");
        }

        if (o.IdempotencyWindow < 1 || o.MaxBranches < 1 || o.MaxConversationFeedback < 0 || o.ClassifierContextMessages < 0 || o.ChatHistoryExchanges < 0)
        {
            failures.Add($"{ConversationOptions.Section}: IdempotencyWindow and MaxBranches must be at least 1, the other counts at least 0.");
        }

        if (o.ClassifierTimeout < TimeSpan.Zero || o.ChatTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{ConversationOptions.Section}: ClassifierTimeout must not be negative (0: the rule stage alone) and ChatTimeout must be positive.");
        }

        var response = messaging.Value.ResponseTimeout;
        var needed = o.ClassifierTimeout + o.ChatTimeout + ConversationOptions.StorageAllowance;
        if (needed > response)
        {
            failures.Add($"{ConversationOptions.Section}: ClassifierTimeout ({o.ClassifierTimeout}) + ChatTimeout ({o.ChatTimeout}) + {ConversationOptions.StorageAllowance} for storage " +
                $"exceeds Orleans' ResponseTimeout ({response}): a slow reply would time out for the caller and still commit.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Feedback aggregation tuning (configuration section <c>Parley:Feedback</c>).</summary>
public sealed class FeedbackOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Feedback";

    /// <summary>How often each feedback shard settles the rating changes prepared with it (counts those stored since).</summary>
    public TimeSpan FlushPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A prepared rating change that its turn chunk has still not stored after this long is given up (its version is
    /// fenced, so it can never be stored later). Longer than any call's response timeout.
    /// </summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many recent written feedback entries the totals keep.</summary>
    public int RecentWrittenLimit { get; set; } = 100;
}

/// <summary>The operators' summary (configuration section <c>Parley:Operator</c>).</summary>
public sealed class OperatorOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Operator";

    /// <summary>How often each silo reports its decision and ending counts per minute to the summary grain.</summary>
    public TimeSpan ReportPeriod { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Bounds of the per-user conversation lists and the audit log (configuration section <c>Parley:Directory</c>).</summary>
public sealed class DirectoryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Directory";

    /// <summary>Most conversations one user's list keeps (the oldest are dropped from the list, not deleted).</summary>
    public int MaxConversationsPerUser { get; set; } = 200;

    /// <summary>Most endings the cluster-wide audit log keeps (the most recent), shared out between its shards.</summary>
    public int MaxAuditEntries { get; set; } = 1000;

    /// <summary>
    /// How many shards hold the audit log (a conversation's endings go to the shard of a stable hash of its id; each keeps
    /// about <see cref="MaxAuditEntries"/> / <see cref="AuditShards"/> entries, and an ending writes one small page of its
    /// shard). Endings of different shards never wait for each other; an operator's read asks every shard. Changing it maps
    /// conversations to other shards: reads still merge shards 0 to <see cref="AuditShards"/> - 1 only, so lowering it
    /// hides the entries of the shards above until newer endings replace them.
    /// </summary>
    public int AuditShards { get; set; } = 8;
}

/// <summary>Checks <see cref="DirectoryOptions"/> when the silo starts: positive bounds, and every audit shard keeps at least one entry.</summary>
public sealed class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
    /// <summary>Most audit shards: an operator's read calls each of them.</summary>
    public const int MaxAuditShards = 256;

    public ValidateOptionsResult Validate(string? name, DirectoryOptions o)
    {
        var failures = new List<string>();
        if (o.MaxConversationsPerUser < 1 || o.MaxAuditEntries < 1)
        {
            failures.Add($"{DirectoryOptions.Section}: MaxConversationsPerUser and MaxAuditEntries must be at least 1.");
        }

        if (o.AuditShards < 1 || o.AuditShards > MaxAuditShards || o.AuditShards > o.MaxAuditEntries)
        {
            failures.Add($"{DirectoryOptions.Section}:AuditShards must be between 1 and {MaxAuditShards} and at most MaxAuditEntries ({o.MaxAuditEntries}), not {o.AuditShards}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
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
