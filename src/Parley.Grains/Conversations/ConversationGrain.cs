using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Abstractions;
using Parley.Grains.Classification;
using Parley.Grains.Feedback;
using Parley.Grains.Hosting;
using Parley.Grains.Listings;
using Parley.Grains.Operations;
using Parley.Grains.Storage;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Parley.Moderation.Replies;

namespace Parley.Grains.Conversations;

/// <summary>
/// One conversation. It keeps a small header (owner, branches, policy state per branch, recent message ids) in its own
/// state and the exchanges in <see cref="TurnChunkGrain"/>s, so a send writes one chunk and the header: a bounded amount
/// however long the conversation is. The header write is the commit point: an exchange the header does not count does not exist.
/// </summary>
public sealed class ConversationGrain(
    ConversationPolicy policy,
    IMessageClassifier classifier,
    ReplyComposer replies,
    IOptions<ConversationOptions> options,
    IOptions<DirectoryOptions> directory,
    ActivityCounters activity,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain
{
    private readonly ConversationOptions _options = options.Value;

    // Recent exchanges of one branch path (chat history and classifier context); rebuilt from the chunks when needed.
    private (int Branch, int Length, List<StoredExchange> Exchanges)? _recent;

    private GuardedState<ConversationHeader>? _headerState;

    private GuardedState<ConversationHeader> Header => _headerState ??= new(GrainContext, "header", ParleyStorage.Conversations, logger);

    private string Id => this.GetPrimaryKeyString();

    private ConversationHeader State => Header.State;

    public async Task<ConversationStatus> StartAsync(string userId, string? locale = null, string? title = null)
    {
        RequireUser(userId);
        var validLocale = InputRules.Locale(locale);
        var validTitle = InputRules.Title(title) ?? "";
        await ReloadIfStaleAsync();
        if (State.Exists)
        {
            RequireOwner(userId);
        }
        else
        {
            var now = DateTimeOffset.UtcNow;
            State.OwnerId = userId;
            State.CreatedAt = now;
            State.Locale = validLocale;
            State.CurrentBranch = 0;
            State.Branches = [new BranchRecord { Id = 0, CreatedAt = now }];
            await CommitAsync();
        }

        // Listed after the header commits, on every start (idempotent): if listing fails the caller gets storage_unavailable
        // and its retry of the start lists the conversation, so a started conversation is never missing from the list.
        await GrainFactory.GetGrain<IConversationListing>(State.OwnerId)
            .AddAsync(new ConversationSummary { ConversationId = Id, Title = validTitle, CreatedAt = State.CreatedAt });
        return Status();
    }

    public Task<SendResult> SendAsync(string userId, string clientMessageId, string text) =>
        SendCoreAsync(userId, clientMessageId, text, null);

    public Task<SendResult> SendStreamingAsync(string userId, string clientMessageId, string text, IReplyObserver observer) =>
        SendCoreAsync(userId, clientMessageId, text, new ReplyStream(observer, logger));

    private async Task<SendResult> SendCoreAsync(string userId, string clientMessageId, string text, ReplyStream? stream)
    {
        await AuthorizeAsync(userId);
        (clientMessageId, text) = ValidateMessage(clientMessageId, text);
        if (await FindDuplicateAsync(clientMessageId) is { } duplicate)
        {
            if (stream is not null)
            {
                await stream.DecisionAsync(duplicate.Turn.Id, duplicate.Turn.Decision, duplicate.Turn.EndReason);
                await stream.ChunkAsync(duplicate.Turn.Reply);
            }

            return duplicate;
        }

        var branch = Branch(State.CurrentBranch);
        if (branch.End is { } end)
        {
            ParleyMetrics.RejectedSends.Add(1);
            throw new ConversationEndedException(Id, branch.Id, end.Reason)
            {
                ImminentRisk = await SignalsRiskAsync(branch, text),
                Locale = State.Locale ?? "",
            };
        }

        return await AppendAsync(branch, newBranch: false, clientMessageId, text, stream);
    }

    public async Task<SendResult> EditAsync(string userId, TurnId turnId, string clientMessageId, string newText)
    {
        await AuthorizeAsync(userId);
        (clientMessageId, newText) = ValidateMessage(clientMessageId, newText);
        if (await FindDuplicateAsync(clientMessageId) is { } duplicate)
        {
            return duplicate;
        }

        var source = Branch(turnId.Branch, ErrorCodes.UnknownTurn);
        if (turnId.Depth < source.ForkDepth || turnId.Depth >= source.Length)
        {
            throw new InvalidRequestException(ErrorCodes.UnknownTurn, $"Turn {turnId} does not exist in this conversation.");
        }

        if (State.Branches.Count >= _options.MaxBranches)
        {
            throw new InvalidRequestException(ErrorCodes.LimitReached, $"A conversation can have at most {_options.MaxBranches} branches.");
        }

        // The new branch starts from the policy state after the exchange before the edited one: state is per path.
        var before = turnId.Depth == 0 ? null : (await ReadPathAsync(source, turnId.Depth - 1, turnId.Depth))[0];
        var fork = new BranchRecord
        {
            Id = State.Branches.Count,
            ParentId = source.Id,
            ForkDepth = turnId.Depth,
            Length = turnId.Depth,
            Policy = before?.PolicyAfter ?? PolicyState.Initial,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        return await AppendAsync(fork, newBranch: true, clientMessageId, newText);
    }

    public async Task<ConversationStatus> DeclineEndAsync(string userId)
    {
        await AuthorizeAsync(userId);
        var branch = Branch(State.CurrentBranch);
        if (branch.End is { } end)
        {
            throw new ConversationEndedException(Id, branch.Id, end.Reason);
        }

        if (branch.Policy.AwaitingEndConfirmation)
        {
            branch.Policy = branch.Policy with { AwaitingEndConfirmation = false };
            await CommitAsync();
        }

        return Status();
    }

    public async Task<ConversationStatus> ConfirmEndAsync(string userId)
    {
        await AuthorizeAsync(userId);
        var branch = Branch(State.CurrentBranch);
        if (branch.End is { } end)
        {
            throw new ConversationEndedException(Id, branch.Id, end.Reason);
        }

        if (!branch.Policy.AwaitingEndConfirmation || branch.Length == 0)
        {
            throw new InvalidRequestException(ErrorCodes.InvalidRequest, "No end request is waiting for a confirmation on this branch.");
        }

        var previous = branch.Policy;
        branch.Policy = previous with { AwaitingEndConfirmation = false };
        if (previous.RiskTurnsLeft > 0 || previous.RiskCueTurnsLeft > 0)
        {
            // As the policy does for a typed "yes": a branch that showed a self-harm cue is not ended; the request is dropped.
            await CommitAsync(); // a failed write discards the in-memory state (GuardedState)
            return Status();
        }

        // The branch ends at the exchange that asked for the confirmation; nothing is said on the user's behalf.
        var asked = (await ReadPathAsync(branch, branch.Length - 1, branch.Length))[0];
        branch.End = new EndRecord
        {
            Reason = EndReason.UserRequested,
            EndedAt = asked.Id,
            LeadingTurns = [asked.Id],
            Evidence = [asked.Evidence],
            PolicyVersion = policy.Version,
            EndedOn = DateTimeOffset.UtcNow,
        };
        await CommitAsync();
        await AuditAsync(branch.Id, branch.End);
        ParleyMetrics.Endings.Add(1, new KeyValuePair<string, object?>("reason", EndReason.UserRequested.Name()));
        activity.RecordEnding(EndReason.UserRequested);
        logger.LogInformation("Conversation {ConversationId} branch ended: {Reason}", Id, EndReason.UserRequested.Name());
        return Status();
    }

    public async Task<ConversationStatus> GetStatusAsync(string userId)
    {
        await AuthorizeAsync(userId);
        return Status();
    }

    public async Task<IReadOnlyList<BranchView>> GetBranchesAsync(string userId)
    {
        await AuthorizeAsync(userId);
        return State.Branches.Select(View).ToList();
    }

    public async Task<ConversationStatus> SwitchBranchAsync(string userId, int branchId)
    {
        await AuthorizeAsync(userId);
        var branch = Branch(branchId);
        if (State.CurrentBranch != branch.Id)
        {
            State.CurrentBranch = branch.Id;
            await CommitAsync();
        }

        return Status();
    }

    public async Task<TranscriptPage> GetTranscriptAsync(string userId, int? branchId, int skip, int take)
    {
        await AuthorizeAsync(userId);
        if (skip < 0 || take < 1 || take > 100)
        {
            throw new InvalidRequestException(ErrorCodes.InvalidRequest, "skip must be ≥ 0 and take between 1 and 100.");
        }

        var branch = Branch(branchId ?? State.CurrentBranch);
        var from = Math.Min(skip, branch.Length);
        var to = (int)Math.Min((long)from + take, branch.Length);
        var exchanges = await ReadPathAsync(branch, from, to);
        return new TranscriptPage { BranchId = branch.Id, Offset = from, Total = branch.Length, Turns = exchanges.Select(e => e.AsView()).ToList() };
    }

    public async Task<TurnView> RateAsync(string userId, TurnId turnId, Rating rating)
    {
        await AuthorizeAsync(userId);
        if (!Enum.IsDefined(rating))
        {
            throw new InvalidRequestException(ErrorCodes.InvalidRequest, "Unknown rating.");
        }

        RequireTurn(turnId);
        var chunk = Chunk(turnId);
        var shard = FeedbackShardGrain.For(GrainFactory, Id);
        for (var attempt = 1; ; attempt++)
        {
            var e = (await chunk.GetAsync(turnId.Depth, turnId.Depth + 1)).FirstOrDefault()
                ?? throw new InvalidRequestException(ErrorCodes.UnknownTurn, $"Turn {turnId} does not exist in this conversation.");
            if (e.Rating == rating)
            {
                return e.AsView(); // nothing changes (a repeated or retried vote): its change, if any, is already with the totals
            }

            // The totals hear of the change (durably) before it is stored, under the version it will be stored with; the
            // chunk's write is the commit point. See FeedbackShardGrain for why this counts every stored change once.
            var version = e.NextRatingVersion;
            var intent = new RatingIntent
            {
                Chunk = chunk.GetPrimaryKeyString(),
                Depth = turnId.Depth,
                Version = version,
                Delta = RatingDelta.Between(e.Rating, rating, e.Decision, e.EndReason),
                PreparedAt = DateTimeOffset.UtcNow,
            };
            if (await shard.PrepareAsync(intent) && await chunk.RateAtAsync(turnId.Depth, rating, version) is { } change)
            {
                ParleyMetrics.Ratings.Add(1, new KeyValuePair<string, object?>("rating", rating.Name()));
                return change.Exchange.AsView();
            }

            // The version was taken meanwhile (an earlier attempt of this vote, from an activation that died, was stored
            // or given up): read the exchange again.
            if (attempt == 3)
            {
                throw new ServiceUnavailableException(ErrorCodes.StorageUnavailable, "The rating could not be stored; retry it.");
            }
        }
    }

    public async Task LeaveFeedbackAsync(string userId, TurnId? turnId, string text)
    {
        await AuthorizeAsync(userId);
        text = InputRules.Feedback(text);

        WrittenFeedback feedback;
        if (turnId is { } id)
        {
            RequireTurn(id);
            var e = await Chunk(id).SetFeedbackAsync(id.Depth, text);
            feedback = new WrittenFeedback { ConversationId = Id, TurnId = id, Decision = e.Decision, EndReason = e.EndReason, Text = text, At = DateTimeOffset.UtcNow };
        }
        else
        {
            if (State.ConversationFeedback.Count >= _options.MaxConversationFeedback)
            {
                throw new InvalidRequestException(ErrorCodes.LimitReached, $"A conversation keeps at most {_options.MaxConversationFeedback} written feedback entries.");
            }

            var current = Branch(State.CurrentBranch);
            feedback = new WrittenFeedback
            {
                ConversationId = Id,
                Decision = current.End is null ? null : Decision.End,
                EndReason = current.End?.Reason,
                Text = text,
                At = DateTimeOffset.UtcNow,
            };
            State.ConversationFeedback.Add(feedback);
            await CommitAsync();
        }

        await ReportWrittenAsync(feedback);
        ParleyMetrics.WrittenFeedback.Add(1);
    }

    // Classify, decide, reply, store the exchange, then commit the header. Nothing is visible until the header commits.
    private async Task<SendResult> AppendAsync(BranchRecord branch, bool newBranch, string clientMessageId, string text, ReplyStream? stream = null)
    {
        var history = await RecentAsync(branch);
        var context = ClassifierContext(history);
        var evidence = await ClassifyAsync(text, context);
        var outcome = policy.Decide(branch.Policy, EvidenceMapping.ToClassification(evidence));
        var (decision, endReason) = (outcome.Decision, outcome.EndReason);
        if (stream is not null)
        {
            await stream.DecisionAsync(new TurnId(branch.Id, branch.Length), decision, endReason);
        }

        string reply;
        try
        {
            using var timeout = new CancellationTokenSource(_options.ChatTimeout);
            reply = await replies.ComposeAsync(outcome, text,
                history.TakeLast(_options.ChatHistoryExchanges).Select(e => new HistoryExchange(e.UserText, e.Reply)).ToList(),
                State.Locale, stream is null ? null : stream.ChunkAsync, timeout.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Chat model failed for conversation {ConversationId}", Id);
            throw new ServiceUnavailableException(ErrorCodes.AssistantUnavailable, "The assistant could not reply right now; nothing was stored. Retry with the same message id.");
        }

        var exchange = new StoredExchange
        {
            Id = new TurnId(branch.Id, branch.Length),
            ClientMessageId = clientMessageId,
            UserText = text,
            SentAt = DateTimeOffset.UtcNow,
            Decision = decision,
            Reply = reply,
            Evidence = evidence,
            PolicyVersion = policy.Version,
            EndReason = endReason,
            PolicyAfter = outcome.State,
            Violation = outcome.Violation,
        };

        await Chunk(exchange.Id).PutAsync(exchange);

        // Commit: the header now counts the exchange. On failure the header is discarded and reloaded by the next call.
        branch.Length++;
        branch.Policy = exchange.PolicyAfter;
        if (endReason is { } reason)
        {
            branch.End = EndRecordFor(reason, history, exchange, outcome.Rationale);
        }

        if (newBranch)
        {
            State.Branches.Add(branch);
        }

        State.CurrentBranch = branch.Id;
        State.RecentSends.Add(new RecentSend(clientMessageId, exchange.Id));
        if (State.RecentSends.Count > _options.IdempotencyWindow)
        {
            State.RecentSends.RemoveAt(0);
        }

        await CommitAsync();

        if (branch.End is { } ended)
        {
            await AuditAsync(branch.Id, ended);
        }

        if (exchange.Id.Depth == 0 && !newBranch)
        {
            await TitleFromFirstMessageAsync(text);
        }

        history.Add(exchange);
        _recent = (branch.Id, branch.Length, history.Count > _options.ChatHistoryExchanges ? history[^_options.ChatHistoryExchanges..] : history);
        Record(decision, endReason);
        return new SendResult { Turn = exchange.AsView(), BranchId = branch.Id, BranchEnded = branch.End is not null };
    }

    // The exchange is committed: a conversation without a title is titled by its first message. Best effort, so a failure
    // here never turns an acknowledged message into an error (the title stays empty; the list still shows the conversation).
    private async Task TitleFromFirstMessageAsync(string text)
    {
        try
        {
            await GrainFactory.GetGrain<IConversationListing>(State.OwnerId).SetTitleIfUntitledAsync(Id, InputRules.TitleFrom(text));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Titling conversation {ConversationId} from its first message failed; it stays untitled", Id);
        }
    }

    // The ending is already committed with the branch (the source of truth); the cluster-wide audit log is best effort.
    // Recorded in this conversation's shard of the log, so endings elsewhere in the cluster do not queue with this one.
    private async Task AuditAsync(int branchId, EndRecord end)
    {
        try
        {
            await EndingAuditShards.For(GrainFactory, EndingAuditShards.ClusterLog, directory.Value.AuditShards, Id)
                .RecordAsync(new EndingAuditEntry { ConversationId = Id, OwnerId = State.OwnerId, BranchId = branchId, End = end });
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Recording the ending of conversation {ConversationId} branch {BranchId} in the audit log failed", Id, branchId);
        }
    }

    /// <summary>
    /// Whether a message sent to an ended branch signals imminent risk (read like any message, with the branch's recent
    /// messages as context). The branch stays ended; the refusal then carries crisis resources.
    /// </summary>
    private async Task<bool> SignalsRiskAsync(BranchRecord branch, string text) =>
        EvidenceMapping.ToClassification(await ClassifyAsync(text, ClassifierContext(await RecentAsync(branch)))) is { } c
        && policy.SignalsRisk(c);

    // The user messages the classifier reads with a new one: the branch's latest, oldest first.
    private List<string> ClassifierContext(List<StoredExchange> history) =>
        history.TakeLast(_options.ClassifierContextMessages).Select(e => e.UserText).ToList();

    private async Task<ClassifierEvidence> ClassifyAsync(string text, List<string> context)
    {
        try
        {
            return await GrainFactory.GetGrain<IClassifierGrain>(0).ClassifyAsync(text, context).WaitAsync(_options.ClassifierTimeout);
        }
        catch (Exception ex)
        {
            // A busy or failed classifier pool must not let the message through unread: the fast rule stage runs here,
            // with its strike categories held below the thresholds (a failure never adds a strike), so a crisis cue still
            // gets support and a clear end request is still taken.
            var why = ex is TimeoutException ? "timeout" : "error";
            logger.LogWarning(ex, "Classification failed ({Why}) for conversation {ConversationId}; using the rule stage alone", why, Id);
            ParleyMetrics.ClassifierFailures.Add(1);
            try
            {
                return EvidenceMapping.ToEvidence(classifier.ClassifyFallback(text, context), "fallback-" + why);
            }
            catch (Exception fallbackError)
            {
                logger.LogWarning(fallbackError, "The rule-stage fallback failed too for conversation {ConversationId}; continuing", Id);
                return ClassifierEvidence.Unavailable(why);
            }
        }
    }

    private static EndRecord EndRecordFor(EndReason reason, List<StoredExchange> history, StoredExchange last, string rationale)
    {
        // The turns that led here: for a policy end, the struck turns (redirects and warnings) of the same kind; for a
        // user request, the confirm_end question that was confirmed.
        var leading = reason == EndReason.UserRequested
            ? history.TakeLast(1).Where(e => e.Decision == Decision.ConfirmEnd)
            : history.Where(e => e.Violation == last.Violation && e.Decision is Decision.Redirect or Decision.Warn);
        var turns = leading.Append(last).ToList();
        return new EndRecord
        {
            Reason = reason,
            EndedAt = last.Id,
            LeadingTurns = turns.Select(e => e.Id).ToList(),
            Evidence = turns.Select(e => e.Evidence).ToList(),
            PolicyVersion = last.PolicyVersion,
            EndedOn = last.SentAt,
            Rationale = rationale,
        };
    }

    private void Record(Decision decision, EndReason? endReason)
    {
        ParleyMetrics.Decisions.Add(1, new KeyValuePair<string, object?>("decision", decision.Name()));
        activity.Record(decision, endReason);
        if (decision == Decision.CrisisSupport)
        {
            ParleyMetrics.CrisisReplies.Add(1);
        }

        if (endReason is { } reason)
        {
            ParleyMetrics.Endings.Add(1, new KeyValuePair<string, object?>("reason", reason.Name()));
            logger.LogInformation("Conversation {ConversationId} branch ended: {Reason}", Id, reason.Name());
        }
    }

    // The last ChatHistoryExchanges exchanges of the branch path, oldest first.
    private async Task<List<StoredExchange>> RecentAsync(BranchRecord branch)
    {
        if (_recent is { } r && r.Branch == branch.Id && r.Length == branch.Length)
        {
            return [.. r.Exchanges];
        }

        var from = Math.Max(0, branch.Length - _options.ChatHistoryExchanges);
        return await ReadPathAsync(branch, from, branch.Length);
    }

    // Reads depths [from, to) of a branch path: each depth lives in the nearest ancestor branch that owns it.
    private async Task<List<StoredExchange>> ReadPathAsync(BranchRecord branch, int from, int to)
    {
        var reads = new List<Task<IReadOnlyList<StoredExchange>>>();
        var hi = to;
        for (BranchRecord? b = branch; b is not null && hi > from; b = b.ParentId is { } p ? Branch(p) : null)
        {
            var lo = Math.Max(from, b.ForkDepth);
            for (var d = lo; d < hi; d = (d / TurnChunkGrain.TurnsPerChunk + 1) * TurnChunkGrain.TurnsPerChunk)
            {
                var end = Math.Min(hi, (d / TurnChunkGrain.TurnsPerChunk + 1) * TurnChunkGrain.TurnsPerChunk);
                reads.Add(Chunk(new TurnId(b.Id, d)).GetAsync(d, end));
            }

            hi = Math.Min(hi, lo);
        }

        var result = (await Task.WhenAll(reads)).SelectMany(x => x).OrderBy(e => e.Id.Depth).ToList();
        if (result.Count != to - from)
        {
            throw new InvalidOperationException($"Conversation {Id} branch {branch.Id}: expected {to - from} exchanges at [{from}, {to}), found {result.Count}.");
        }

        return result;
    }

    private async Task<SendResult?> FindDuplicateAsync(string clientMessageId)
    {
        var sent = State.RecentSends.FindLast(s => s.ClientMessageId == clientMessageId);
        if (sent is null)
        {
            return null;
        }

        var exchange = (await Chunk(sent.Turn).GetAsync(sent.Turn.Depth, sent.Turn.Depth + 1)).Single();
        var branch = Branch(sent.Turn.Branch);
        return new SendResult { Turn = exchange.AsView(), BranchId = branch.Id, Duplicate = true, BranchEnded = branch.End is not null };
    }

    private Task CommitAsync() => Header.WriteAsync();

    // The header is loaded by the first call, and again after a failed read or write (GuardedState's policy).
    private async Task ReloadIfStaleAsync()
    {
        if (await Header.LoadAsync())
        {
            _recent = null;
        }
    }

    private async Task AuthorizeAsync(string userId)
    {
        RequireUser(userId);
        await ReloadIfStaleAsync();
        if (!State.Exists)
        {
            throw new ConversationNotFoundException(Id);
        }

        RequireOwner(userId);
    }

    private static void RequireUser(string userId)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            throw new InvalidRequestException(ErrorCodes.InvalidRequest, "A user id is required.");
        }
    }

    private void RequireOwner(string userId)
    {
        if (!string.Equals(State.OwnerId, userId, StringComparison.Ordinal))
        {
            throw new ConversationAccessDeniedException(Id);
        }
    }

    // The limits and the cleaning are InputRules', shared with the HTTP API and the web page.
    private static (string ClientMessageId, string Text) ValidateMessage(string clientMessageId, string text) =>
        (InputRules.ClientMessageId(clientMessageId), InputRules.Message(text));

    private void RequireTurn(TurnId id)
    {
        var b = Branch(id.Branch, ErrorCodes.UnknownTurn);
        if (id.Depth < b.ForkDepth || id.Depth >= b.Length)
        {
            throw new InvalidRequestException(ErrorCodes.UnknownTurn, $"Turn {id} does not exist in this conversation.");
        }
    }

    private BranchRecord Branch(int id, string code = ErrorCodes.UnknownBranch) =>
        id >= 0 && id < State.Branches.Count
            ? State.Branches[id]
            : throw new InvalidRequestException(code, code == ErrorCodes.UnknownBranch
                ? $"Branch {id} does not exist in this conversation."
                : $"Turn on branch {id} does not exist in this conversation.");

    private ITurnChunkGrain Chunk(TurnId id) =>
        GrainFactory.GetGrain<ITurnChunkGrain>(TurnChunkGrain.KeyFor(Id, id.Branch, id.Depth / TurnChunkGrain.TurnsPerChunk));

    // The written feedback is already stored with the conversation (the source of truth); the totals count it durably.
    // Best effort: a failure is logged, not the caller's problem (written feedback carries no id, so a retried call
    // would be stored twice; see docs/architecture.md, "Feedback totals").
    private async Task ReportWrittenAsync(WrittenFeedback feedback)
    {
        try
        {
            await FeedbackShardGrain.For(GrainFactory, Id).RecordWrittenAsync(feedback);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Written feedback for conversation {ConversationId} could not reach the totals; the stored feedback stands", Id);
        }
    }

    private BranchView View(BranchRecord b) => new()
    {
        Id = b.Id,
        ParentId = b.ParentId,
        ForkDepth = b.ForkDepth,
        Length = b.Length,
        IsCurrent = b.Id == State.CurrentBranch,
        End = b.End,
        CreatedAt = b.CreatedAt,
        AwaitingEndConfirmation = b.End is null && b.Policy.AwaitingEndConfirmation,
    };

    private ConversationStatus Status() => new()
    {
        ConversationId = Id,
        OwnerId = State.OwnerId,
        CreatedAt = State.CreatedAt,
        CurrentBranch = View(Branch(State.CurrentBranch)),
        BranchCount = State.Branches.Count,
        Locale = State.Locale ?? "",
    };
}
