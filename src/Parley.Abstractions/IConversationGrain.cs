namespace Parley.Abstractions;

/// <summary>
/// One conversation (keyed by a conversation id chosen by the caller, e.g. a GUID string). Every call carries the
/// caller's user id; only the owner given to <see cref="StartAsync"/> may use the conversation.
/// </summary>
/// <example>
/// <code>
/// var conversation = client.GetGrain&lt;IConversationGrain&gt;(Guid.NewGuid().ToString("N"));
/// await conversation.StartAsync("alice");
/// var result = await conversation.SendAsync("alice", Guid.NewGuid().ToString(), "Hello!");
/// Console.WriteLine($"{result.Turn.Decision}: {result.Turn.Reply}");
/// </code>
/// </example>
[Alias("parley.IConversationGrain")]
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the conversation for <paramref name="userId"/>, or returns its status when it already exists and belongs to them
    /// (so a retried start is safe). <paramref name="locale"/> (e.g. <c>en-GB</c>) selects the crisis resources; null keeps the
    /// default. The conversation is in the owner's <see cref="IUserConversationsGrain"/> list when this returns, titled
    /// <paramref name="title"/> or, when that is empty, by its first message.
    /// </summary>
    /// <exception cref="ConversationAccessDeniedException">It exists and belongs to someone else.</exception>
    /// <exception cref="ServiceUnavailableException">Storage failed; retry with the same conversation id.</exception>
    [Alias("Start")]
    Task<ConversationStatus> StartAsync(string userId, string? locale = null, string? title = null);

    /// <summary>
    /// Appends a user message and the assistant's reply to the current branch. Retrying with the same
    /// <paramref name="clientMessageId"/> returns the first result and appends nothing.
    /// The exchange is durable when this returns.
    /// </summary>
    /// <exception cref="ConversationEndedException">The current branch has ended; nothing was stored.</exception>
    /// <exception cref="InvalidRequestException">Empty, whitespace-only or oversized text, or a missing message id.</exception>
    /// <exception cref="ServiceUnavailableException">Storage or the chat model failed; nothing was stored.</exception>
    [Alias("Send")]
    Task<SendResult> SendAsync(string userId, string clientMessageId, string text);

    /// <summary>
    /// Like <see cref="SendAsync"/>, and meanwhile tells <paramref name="observer"/> the decision as soon as it is taken and
    /// the reply as it is produced (token by token with a streaming chat model). The call still returns only once the
    /// exchange is durable; until then the streamed text is not stored and may be discarded (for example on a storage failure).
    /// </summary>
    [Alias("SendStreaming")]
    Task<SendResult> SendStreamingAsync(string userId, string clientMessageId, string text, IReplyObserver observer);

    /// <summary>
    /// Edits and resubmits an earlier user turn: forks a new branch that shares the turns before <paramref name="turnId"/>,
    /// makes it the current branch and sends <paramref name="newText"/> on it. Old branches stay readable.
    /// </summary>
    [Alias("Edit")]
    Task<SendResult> EditAsync(string userId, TurnId turnId, string clientMessageId, string newText);

    /// <summary>
    /// The user declines the end request the assistant asked them to confirm ("No, let's continue"): the current branch
    /// no longer awaits a confirmation, so a later "yes" does not end it. No turn is stored and nothing is said on the
    /// user's behalf. Does nothing when no confirmation is pending; refused with <c>conversation_ended</c> on an ended branch.
    /// </summary>
    [Alias("DeclineEnd")]
    Task<ConversationStatus> DeclineEndAsync(string userId);

    /// <summary>
    /// The user confirms the end request the assistant asked them to confirm ("Yes, end the conversation") as an action:
    /// the current branch ends (<c>user_requested</c>) at the exchange that asked, and no turn is stored or said on the
    /// user's behalf. <c>invalid_request</c> when no confirmation is pending; <c>conversation_ended</c> on an ended branch.
    /// </summary>
    [Alias("ConfirmEnd")]
    Task<ConversationStatus> ConfirmEndAsync(string userId);

    /// <summary>Reads the conversation's status.</summary>
    [Alias("GetStatus")]
    Task<ConversationStatus> GetStatusAsync(string userId);

    /// <summary>Lists all branches.</summary>
    [Alias("GetBranches")]
    Task<IReadOnlyList<BranchView>> GetBranchesAsync(string userId);

    /// <summary>Makes <paramref name="branchId"/> the current branch.</summary>
    [Alias("SwitchBranch")]
    Task<ConversationStatus> SwitchBranchAsync(string userId, int branchId);

    /// <summary>
    /// Reads up to <paramref name="take"/> (at most 100) exchanges of a branch path starting at depth <paramref name="skip"/>.
    /// <paramref name="branchId"/> null reads the current branch.
    /// </summary>
    [Alias("GetTranscript")]
    Task<TranscriptPage> GetTranscriptAsync(string userId, int? branchId, int skip, int take);

    /// <summary>Rates an assistant turn (<see cref="Rating.None"/> withdraws the vote). Returns the updated turn.</summary>
    [Alias("Rate")]
    Task<TurnView> RateAsync(string userId, TurnId turnId, Rating rating);

    /// <summary>Leaves written feedback on a turn, or on the conversation (for example its ending) when <paramref name="turnId"/> is null.</summary>
    [Alias("LeaveFeedback")]
    Task LeaveFeedbackAsync(string userId, TurnId? turnId, string text);
}

/// <summary>
/// Receives a reply while it is produced (see <see cref="IConversationGrain.SendStreamingAsync"/>). Create one with
/// <c>IGrainFactory.CreateObjectReference&lt;IReplyObserver&gt;(observer)</c>. Calls arrive in order: the decision, then the chunks.
/// </summary>
[Alias("parley.IReplyObserver")]
public interface IReplyObserver : IGrainObserver
{
    /// <summary>The policy's decision on the exchange <paramref name="turn"/> will be stored as, sent before any reply text.</summary>
    [Alias("OnDecision")]
    Task OnDecisionAsync(TurnId turn, Decision decision, EndReason? endReason);

    /// <summary>The next piece of the reply.</summary>
    [Alias("OnChunk")]
    Task OnChunkAsync(string text);
}

/// <summary>The cluster-wide feedback totals (one grain, key 0). Read by operators.</summary>
[Alias("parley.IFeedbackGrain")]
public interface IFeedbackGrain : IGrainWithIntegerKey
{
    /// <summary>The current totals: every rating acknowledged before the call is counted, exactly once.</summary>
    [Alias("GetTotals")]
    Task<FeedbackTotals> GetTotalsAsync();
}
