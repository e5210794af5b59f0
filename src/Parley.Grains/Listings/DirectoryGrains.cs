using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Abstractions;
using Parley.Grains.Hosting;
using Parley.Grains.Storage;

namespace Parley.Grains.Listings;

/// <summary>
/// Silo-internal upkeep of a user's conversation list (the same grain as <see cref="IUserConversationsGrain"/>): only the
/// conversation grain calls it, so front ends cannot list conversations that do not exist or retitle others'.
/// </summary>
[Alias("parley.IConversationListing")]
public interface IConversationListing : IGrainWithStringKey
{
    /// <summary>Adds (or keeps) a conversation in the list. Idempotent.</summary>
    [Alias("Add")]
    Task AddAsync(ConversationSummary summary);

    /// <summary>Sets the title of a listed conversation that has none yet (ignored when it is not listed or already titled).</summary>
    [Alias("SetTitleIfUntitled")]
    Task SetTitleIfUntitledAsync(string conversationId, string title);
}

/// <summary>Silo-internal: how conversations record their endings in the audit log (the same grain as <see cref="IEndingAuditGrain"/>).</summary>
[Alias("parley.IEndingAuditLog")]
public interface IEndingAuditLog : IGrainWithIntegerKey
{
    /// <summary>Records an ending. A repeated record (same conversation and branch) is ignored.</summary>
    [Alias("Record")]
    Task RecordAsync(EndingAuditEntry entry);
}

/// <summary>Stored list of one user's conversations.</summary>
[GenerateSerializer, Alias("parley.UserConversationsState")]
public sealed class UserConversationsState
{
    [Id(0)] public List<ConversationSummary> Conversations { get; set; } = [];
}

/// <summary>One user's conversation list: bounded to <see cref="DirectoryOptions.MaxConversationsPerUser"/> entries, oldest evicted.</summary>
public sealed class UserConversationsGrain(IOptions<DirectoryOptions> options, ILogger<UserConversationsGrain> logger)
    : Grain, IUserConversationsGrain, IConversationListing
{
    private GuardedState<UserConversationsState>? _state;

    private GuardedState<UserConversationsState> Stored => _state ??= new(GrainContext, "conversations", ParleyStorage.Directory, logger);

    public async Task AddAsync(ConversationSummary summary)
    {
        await Stored.LoadAsync();
        var list = Stored.State.Conversations;
        if (list.Exists(c => c.ConversationId == summary.ConversationId))
        {
            return;
        }

        list.Add(summary);
        if (list.Count > options.Value.MaxConversationsPerUser)
        {
            list.RemoveAt(0);
        }

        await Stored.WriteAsync();
    }

    public async Task SetTitleIfUntitledAsync(string conversationId, string title)
    {
        await Stored.LoadAsync();
        var list = Stored.State.Conversations;
        var i = list.FindIndex(c => c.ConversationId == conversationId);
        if (i < 0 || list[i].Title.Length > 0 || title.Length == 0)
        {
            return;
        }

        list[i] = list[i] with { Title = title };
        await Stored.WriteAsync();
    }

    public async Task<IReadOnlyList<ConversationSummary>> ListAsync()
    {
        await Stored.LoadAsync();
        return Stored.State.Conversations.Where(c => c.DeletedAt is null).Reverse().ToList();
    }

    public async Task<ConversationSummary> RenameAsync(string conversationId, string title)
    {
        var i = await ListedAsync(conversationId, includeDeleted: false);
        return await ReplaceAsync(i, Stored.State.Conversations[i] with { Title = title });
    }

    public async Task DeleteAsync(string conversationId)
    {
        var i = await ListedAsync(conversationId, includeDeleted: true);
        if (Stored.State.Conversations[i].DeletedAt is null)
        {
            await ReplaceAsync(i, Stored.State.Conversations[i] with { DeletedAt = DateTimeOffset.UtcNow });
        }
    }

    public async Task SetEndedAsync(string conversationId, bool ended)
    {
        await Stored.LoadAsync();
        var i = Stored.State.Conversations.FindIndex(c => c.ConversationId == conversationId);
        if (i >= 0 && Stored.State.Conversations[i].Ended != ended)
        {
            await ReplaceAsync(i, Stored.State.Conversations[i] with { Ended = ended });
        }
    }

    private async Task<int> ListedAsync(string conversationId, bool includeDeleted)
    {
        await Stored.LoadAsync();
        var i = Stored.State.Conversations.FindIndex(c => c.ConversationId == conversationId && (includeDeleted || c.DeletedAt is null));
        return i >= 0 ? i : throw new ConversationNotFoundException(conversationId);
    }

    private async Task<ConversationSummary> ReplaceAsync(int index, ConversationSummary updated)
    {
        Stored.State.Conversations[index] = updated;
        await Stored.WriteAsync();
        return updated;
    }
}

/// <summary>Stored audit log.</summary>
[GenerateSerializer, Alias("parley.EndingAuditState")]
public sealed class EndingAuditState
{
    [Id(0)] public List<EndingAuditEntry> Entries { get; set; } = [];
    // Id 1 was a running total that nothing read: not reused.
}

/// <summary>
/// The cluster-wide audit log of endings (key 0), bounded to <see cref="DirectoryOptions.MaxAuditEntries"/> entries.
/// Every ending in the cluster is recorded here and each write stores the whole log, so writes are coalesced: the grain is
/// reentrant, one write is in flight at a time, and the endings recorded meanwhile share the next write. Each caller
/// returns once a write that includes its entry has landed. (One write per ending made this grain the send path's
/// bottleneck under load: see docs/performance.md.) A failed write fails every caller waiting on it and, as for every
/// stateful grain (<see cref="GuardedState{T}"/>), the working log is discarded and reloaded from storage by the next call.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class EndingAuditGrain(IOptions<DirectoryOptions> options, ILogger<EndingAuditGrain> logger)
    : Grain, IEndingAuditGrain, IEndingAuditLog
{
    private GuardedState<EndingAuditState>? _state;

    // The working log: the stored entries plus those recorded since. Each write stores a snapshot of it, so entries recorded
    // during a write cannot disturb that write. Null until loaded, and again after a failed write.
    private List<EndingAuditEntry>? _log;
    private int _logLoad;         // the load of the stored state the working log was built from
    private long _version;        // bumped by every change to the log
    private long _written;        // the highest version a completed write included
    private Task<long>? _writing; // the write in flight; its result is the version it included

    private GuardedState<EndingAuditState> Stored => _state ??= new(GrainContext, "endings", ParleyStorage.Audit, logger);

    public async Task RecordAsync(EndingAuditEntry entry)
    {
        var entries = await LogAsync();
        if (entries.Exists(e => e.ConversationId == entry.ConversationId && e.BranchId == entry.BranchId))
        {
            return;
        }

        entries.Add(entry);
        if (entries.Count > options.Value.MaxAuditEntries)
        {
            entries.RemoveRange(0, entries.Count - options.Value.MaxAuditEntries);
        }

        var mine = ++_version;
        while (_written < mine)
        {
            if (!ReferenceEquals(entries, _log))
            {
                // A write failed after this entry was added: the log it was in has been discarded.
                throw new ServiceUnavailableException(ErrorCodes.StorageUnavailable, GuardedState<EndingAuditState>.UnavailableMessage);
            }

            if (_writing is not { IsCompleted: false })
            {
                _writing = WriteAsync(_version, [.. entries]);
            }

            _written = Math.Max(_written, await _writing);
        }
    }

    public async Task<IReadOnlyList<EndingAuditEntry>> GetRecentAsync(int take)
    {
        take = Math.Clamp(take, 1, options.Value.MaxAuditEntries);
        return (await LogAsync()).AsEnumerable().Reverse().Take(take).ToList();
    }

    private async Task<List<EndingAuditEntry>> LogAsync()
    {
        await Stored.LoadAsync();
        if (_log is null || _logLoad != Stored.Loads)
        {
            _log = [.. Stored.State.Entries];
            _logLoad = Stored.Loads;
        }

        return _log;
    }

    private async Task<long> WriteAsync(long version, List<EndingAuditEntry> snapshot)
    {
        Stored.State.Entries = snapshot;
        try
        {
            await Stored.WriteAsync();
        }
        catch
        {
            _log = null;
            throw;
        }

        return version;
    }
}
