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
        Task.FromResult<IReadOnlyList<ConversationSummary>>(state.State.Conversations.AsEnumerable().Reverse().ToList());
}

/// <summary>Stored audit log.</summary>
[GenerateSerializer, Alias("parley.EndingAuditState")]
public sealed class EndingAuditState
{
    [Id(0)] public List<EndingAuditEntry> Entries { get; set; } = [];
    [Id(1)] public long TotalRecorded { get; set; }
}

/// <summary>The cluster-wide audit log of endings (key 0), bounded to <see cref="DirectoryOptions.MaxAuditEntries"/> entries.</summary>
public sealed class EndingAuditGrain(
    [PersistentState("endings", ParleyStorage.Audit)] IPersistentState<EndingAuditState> state,
    IOptions<DirectoryOptions> options) : Grain, IEndingAuditGrain
{
    public async Task RecordAsync(EndingAuditEntry entry)
    {
        var entries = state.State.Entries;
        if (entries.Exists(e => e.ConversationId == entry.ConversationId && e.BranchId == entry.BranchId))
        {
            return;
        }

        entries.Add(entry);
        if (entries.Count > options.Value.MaxAuditEntries)
        {
            entries.RemoveRange(0, entries.Count - options.Value.MaxAuditEntries);
        }

        state.State.TotalRecorded++;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<EndingAuditEntry>> GetRecentAsync(int take)
    {
        take = Math.Clamp(take, 1, options.Value.MaxAuditEntries);
        return Task.FromResult<IReadOnlyList<EndingAuditEntry>>(state.State.Entries.AsEnumerable().Reverse().Take(take).ToList());
    }
}
