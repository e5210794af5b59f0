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
