using Microsoft.Extensions.Options;
using Parley.Abstractions;
using Parley.Grains.Hosting;

namespace Parley.Grains.Listings;

/// <summary>Stored list of one user's conversations.</summary>
[GenerateSerializer, Alias("parley.UserConversationsState")]
public sealed class UserConversationsState
{
    [Id(0)] public List<ConversationSummary> Conversations { get; set; } = [];
}

/// <summary>One user's conversation list: bounded to <see cref="DirectoryOptions.MaxConversationsPerUser"/> entries, oldest evicted.</summary>
public sealed class UserConversationsGrain(
    [PersistentState("conversations", ParleyStorage.Directory)] IPersistentState<UserConversationsState> state,
    IOptions<DirectoryOptions> options) : Grain, IUserConversationsGrain
{
    public async Task AddAsync(ConversationSummary summary)
    {
        var list = state.State.Conversations;
        if (list.Exists(c => c.ConversationId == summary.ConversationId))
        {
            return;
        }

        list.Add(summary);
        var evicted = list.Count > options.Value.MaxConversationsPerUser ? list[0] : null;
        if (evicted is not null)
        {
            list.RemoveAt(0);
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            list.Remove(summary);
            if (evicted is not null)
            {
                list.Insert(0, evicted);
            }

            throw new ServiceUnavailableException(ErrorCodes.StorageUnavailable, $"Storage is unavailable: {ex.Message}");
        }
    }

    public async Task SetTitleIfUntitledAsync(string conversationId, string title)
    {
        var list = state.State.Conversations;
        var i = list.FindIndex(c => c.ConversationId == conversationId);
        if (i < 0 || list[i].Title.Length > 0 || title.Length == 0)
        {
            return;
        }

        var previous = list[i];
        list[i] = previous with { Title = title };
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            list[i] = previous;
            throw new ServiceUnavailableException(ErrorCodes.StorageUnavailable, $"Storage is unavailable: {ex.Message}");
        }
    }

    public Task<IReadOnlyList<ConversationSummary>> ListAsync() =>
        Task.FromResult<IReadOnlyList<ConversationSummary>>(state.State.Conversations.Where(c => c.DeletedAt is null).Reverse().ToList());

    public async Task<ConversationSummary> RenameAsync(string conversationId, string title)
    {
        var i = Listed(conversationId, includeDeleted: false);
        return await ReplaceAsync(i, state.State.Conversations[i] with { Title = title });
    }

    public async Task DeleteAsync(string conversationId)
    {
        var i = Listed(conversationId, includeDeleted: true);
        if (state.State.Conversations[i].DeletedAt is null)
        {
            await ReplaceAsync(i, state.State.Conversations[i] with { DeletedAt = DateTimeOffset.UtcNow });
        }
    }

    public async Task SetEndedAsync(string conversationId, bool ended)
    {
        var i = state.State.Conversations.FindIndex(c => c.ConversationId == conversationId);
        if (i >= 0 && state.State.Conversations[i].Ended != ended)
        {
            await ReplaceAsync(i, state.State.Conversations[i] with { Ended = ended });
        }
    }

    private int Listed(string conversationId, bool includeDeleted)
    {
        var i = state.State.Conversations.FindIndex(c => c.ConversationId == conversationId && (includeDeleted || c.DeletedAt is null));
        return i >= 0 ? i : throw new ConversationNotFoundException(conversationId);
    }

    private async Task<ConversationSummary> ReplaceAsync(int index, ConversationSummary updated)
    {
        var list = state.State.Conversations;
        var previous = list[index];
        list[index] = updated;
        try
        {
            await state.WriteStateAsync();
            return updated;
        }
        catch (Exception ex)
        {
            list[index] = previous;
            throw new ServiceUnavailableException(ErrorCodes.StorageUnavailable, $"Storage is unavailable: {ex.Message}");
        }
    }
}

/// <summary>Stored audit log.</summary>
[GenerateSerializer, Alias("parley.EndingAuditState")]
public sealed class EndingAuditState
{
    [Id(0)] public List<EndingAuditEntry> Entries { get; set; } = [];
    [Id(1)] public long TotalRecorded { get; set; }
}

/// <summary>
/// The cluster-wide audit log of endings (key 0), bounded to <see cref="DirectoryOptions.MaxAuditEntries"/> entries.
/// Every ending in the cluster is recorded here and each write stores the whole log, so writes are coalesced: the grain is
/// reentrant, one write is in flight at a time, and the endings recorded meanwhile share the next write. Each caller
/// returns once a write that includes its entry has landed. (One write per ending made this grain the send path's
/// bottleneck under load: see docs/performance.md.)
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class EndingAuditGrain(
    [PersistentState("endings", ParleyStorage.Audit)] IPersistentState<EndingAuditState> state,
    IOptions<DirectoryOptions> options) : Grain, IEndingAuditGrain
{
    // The working log; each write stores a snapshot of it, so entries recorded during a write cannot disturb that write.
    private EndingAuditState? _log;
    private long _version;        // bumped by every change to the log
    private long _written;        // the highest version a completed write included
    private Task<long>? _writing; // the write in flight; its result is the version it included

    private EndingAuditState Log => _log ??= new EndingAuditState { Entries = [.. state.State.Entries], TotalRecorded = state.State.TotalRecorded };

    public async Task RecordAsync(EndingAuditEntry entry)
    {
        var entries = Log.Entries;
        if (entries.Exists(e => e.ConversationId == entry.ConversationId && e.BranchId == entry.BranchId))
        {
            return;
        }

        entries.Add(entry);
        if (entries.Count > options.Value.MaxAuditEntries)
        {
            entries.RemoveRange(0, entries.Count - options.Value.MaxAuditEntries);
        }

        Log.TotalRecorded++;
        var mine = ++_version;
        while (_written < mine)
        {
            if (_writing is not { IsCompleted: false })
            {
                _writing = WriteAsync(_version, new EndingAuditState { Entries = [.. entries], TotalRecorded = Log.TotalRecorded });
            }

            // A failed write fails every caller waiting on it (best effort: the branch's end record is the source of
            // truth); the entries stay in the log and go out with the next write.
            _written = Math.Max(_written, await _writing);
        }
    }

    public Task<IReadOnlyList<EndingAuditEntry>> GetRecentAsync(int take)
    {
        take = Math.Clamp(take, 1, options.Value.MaxAuditEntries);
        return Task.FromResult<IReadOnlyList<EndingAuditEntry>>(Log.Entries.AsEnumerable().Reverse().Take(take).ToList());
    }

    private async Task<long> WriteAsync(long version, EndingAuditState snapshot)
    {
        state.State = snapshot;
        await state.WriteStateAsync();
        return version;
    }
}
