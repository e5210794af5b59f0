using System.Text.Json.Serialization;
using Parley.Abstractions;

namespace Parley.Api;

/// <summary>
/// What the HTTP API returns, built from the grain contract's views. End users get the decision, the end reason and the
/// reply; the classifier's evidence (scores, target, rationale) and the policy version are for operators only, since
/// showing scores to users teaches them how to evade the classifier. Null members are omitted from the JSON.
/// </summary>
internal static class ApiViews
{
    public static TurnResponse Turn(TurnView t, bool audit) => new(t.Id, t.ClientMessageId, t.UserText, t.SentAt, t.Decision, t.EndReason,
        t.Reply, t.Rating, t.Feedback, audit ? t.Evidence : null, audit ? t.PolicyVersion : null);

    public static SendResponse Send(SendResult r, bool audit) => new(Turn(r.Turn, audit), r.BranchId, r.Duplicate, r.BranchEnded);

    public static TranscriptResponse Transcript(TranscriptPage p, bool audit) =>
        new(p.BranchId, p.Offset, p.Turns.Select(t => Turn(t, audit)).ToList(), p.Total);

    public static EndResponse? End(EndRecord? e, bool audit) => e is null
        ? null
        : new(e.Reason, e.EndedAt, e.LeadingTurns, e.EndedOn, audit ? e.Evidence : null, audit ? e.PolicyVersion : null);

    public static BranchResponse Branch(BranchView b, bool audit) =>
        new(b.Id, b.ParentId, b.ForkDepth, b.Length, b.IsCurrent, b.Ended, End(b.End, audit), b.CreatedAt, b.AwaitingEndConfirmation);

    public static StatusResponse Status(ConversationStatus s, bool audit) =>
        new(s.ConversationId, s.OwnerId, s.CreatedAt, Branch(s.CurrentBranch, audit), s.BranchCount, s.Locale);
}

/// <summary>One exchange: the user's message, the decision on it, the end reason (when it ended the branch) and the reply.</summary>
/// <param name="Id">The exchange's id, <c>"branch.depth"</c>.</param>
/// <param name="ClientMessageId">The client message id the user turn was sent with.</param>
/// <param name="UserText">The user's message (as stored, after cleaning).</param>
/// <param name="SentAt">When the message was accepted.</param>
/// <param name="Decision">The decision on the message.</param>
/// <param name="EndReason">Why the branch ended, when the decision is <c>end</c>.</param>
/// <param name="Reply">The assistant's reply.</param>
/// <param name="Rating">The user's vote on the reply.</param>
/// <param name="Feedback">The user's latest written feedback on the turn.</param>
/// <param name="Evidence">Operators only: the classifier evidence behind the decision.</param>
/// <param name="PolicyVersion">Operators only: the policy version that decided.</param>
public sealed record TurnResponse(TurnId Id, string ClientMessageId, string UserText, DateTimeOffset SentAt, Decision Decision,
    EndReason? EndReason, string Reply, Rating Rating, string? Feedback,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ClassifierEvidence? Evidence,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PolicyVersion);

/// <summary>The result of a send or an edit.</summary>
public sealed record SendResponse(TurnResponse Turn, int BranchId, bool Duplicate, bool BranchEnded);

/// <summary>A page of a branch, oldest first.</summary>
public sealed record TranscriptResponse(int BranchId, int Offset, IReadOnlyList<TurnResponse> Turns, int Total);

/// <summary>Why and where a branch ended.</summary>
/// <param name="Reason">Why the branch ended.</param>
/// <param name="EndedAt">The exchange that got the <c>end</c> decision.</param>
/// <param name="LeadingTurns">The exchanges that led to the end, oldest first.</param>
/// <param name="EndedOn">When the branch ended.</param>
/// <param name="Evidence">Operators only: the classifier evidence of <paramref name="LeadingTurns"/>.</param>
/// <param name="PolicyVersion">Operators only: the policy version that ended the branch.</param>
public sealed record EndResponse(EndReason Reason, TurnId EndedAt, IReadOnlyList<TurnId> LeadingTurns, DateTimeOffset EndedOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ClassifierEvidence>? Evidence,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PolicyVersion);

/// <summary>One branch of a conversation.</summary>
/// <param name="Id">The branch id (0 is the original branch).</param>
/// <param name="ParentId">The branch it was forked from, or null.</param>
/// <param name="ForkDepth">How many exchanges it shares with its parent.</param>
/// <param name="Length">Exchanges on the branch path, inherited ones included.</param>
/// <param name="IsCurrent">Whether it is the conversation's current branch.</param>
/// <param name="Ended">Whether it has ended.</param>
/// <param name="End">The end record when it has ended.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="AwaitingEndConfirmation">The last reply asked the user to confirm an end request, not yet answered or declined.</param>
public sealed record BranchResponse(int Id, int? ParentId, int ForkDepth, int Length, bool IsCurrent, bool Ended, EndResponse? End, DateTimeOffset CreatedAt,
    bool AwaitingEndConfirmation);

/// <summary>A conversation's status.</summary>
public sealed record StatusResponse(string ConversationId, string OwnerId, DateTimeOffset CreatedAt, BranchResponse CurrentBranch, int BranchCount, string Locale);
