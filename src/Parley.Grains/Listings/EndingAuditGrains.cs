using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Abstractions;
using Parley.Grains.Hosting;
using Parley.Grains.Storage;

namespace Parley.Grains.Listings;

/// <summary>
/// Silo-internal: records an ending in the audit log (the same grain as <see cref="IEndingAuditGrain"/>). Conversations
/// record into their shard directly (<see cref="EndingAuditShards.For"/>); this entry point forwards to the same shard and
/// is kept for callers that know only the log (silos of the previous version during a rolling upgrade, tests).
/// </summary>
[Alias("parley.IEndingAuditLog")]
public interface IEndingAuditLog : IGrainWithIntegerKey
{
    /// <summary>Records an ending. A repeated record (same conversation and branch) is ignored.</summary>
    [Alias("Record")]
    Task RecordAsync(EndingAuditEntry entry);
}

/// <summary>
/// Silo-internal: one shard of an audit log of endings (key <c>"{log}/{index}"</c>, see <see cref="EndingAuditShards"/>).
/// A conversation's endings always go to the same shard.
/// </summary>
[Alias("parley.IEndingAuditShardGrain")]
public interface IEndingAuditShardGrain : IGrainWithStringKey
{
    /// <summary>Records an ending; returns once a write that includes it has landed. A repeated record (same conversation and branch) is ignored.</summary>
    [Alias("Record")]
    Task RecordAsync(EndingAuditEntry entry);

    /// <summary>This shard's most recent endings, newest recorded first (at most <paramref name="take"/>).</summary>
    [Alias("GetRecent")]
    Task<IReadOnlyList<EndingAuditEntry>> GetRecentAsync(int take);
}

/// <summary>The whole audit log as the previous version stored it (state of <see cref="EndingAuditGrain"/>), oldest first; now only read.</summary>
[GenerateSerializer, Alias("parley.EndingAuditState")]
public sealed class EndingAuditState
{
    [Id(0)] public List<EndingAuditEntry> Entries { get; set; } = [];
    // Id 1 was a running total that nothing read: not reused.
}

/// <summary>One page of an audit shard's ring: up to <see cref="EndingAuditShardGrain.EntriesPerPage"/> entries, oldest first.</summary>
[GenerateSerializer, Alias("parley.EndingAuditPage")]
public sealed class EndingAuditPage
{
    /// <summary>The page's place in the shard's order of pages (the newest page has the highest); 0: never written.</summary>
    [Id(0)] public long Sequence { get; set; }

    [Id(1)] public List<EndingAuditEntry> Entries { get; set; } = [];

    public EndingAuditPage Copy() => new() { Sequence = Sequence, Entries = [.. Entries] };
}

/// <summary>Where an audit log's shards are and how much each keeps.</summary>
public static class EndingAuditShards
{
    /// <summary>The cluster's audit log (the key of <see cref="IEndingAuditGrain"/> operators read); other keys are separate logs (tests).</summary>
    public const long ClusterLog = 0;

    /// <summary>The shard of <paramref name="conversationId"/> in <paramref name="log"/> (a stable hash of the id, the same in every process).</summary>
    public static IEndingAuditShardGrain For(IGrainFactory grains, long log, int shards, string conversationId) =>
        Shard(grains, log, (int)(ShardHash.Of(conversationId) % (uint)shards));

    /// <summary>Shard <paramref name="index"/> of <paramref name="log"/>.</summary>
    public static IEndingAuditShardGrain Shard(IGrainFactory grains, long log, int index) =>
        grains.GetGrain<IEndingAuditShardGrain>(string.Create(CultureInfo.InvariantCulture, $"{log}/{index}"));

    /// <summary>How many entries shard <paramref name="index"/> keeps: the shares of all shards add up to <see cref="DirectoryOptions.MaxAuditEntries"/>.</summary>
    public static int Share(DirectoryOptions options, int index) =>
        options.MaxAuditEntries / options.AuditShards + (index < options.MaxAuditEntries % options.AuditShards ? 1 : 0);

    /// <summary>The index of a shard from its key.</summary>
    public static int IndexOf(string shardKey) => int.Parse(shardKey.AsSpan(shardKey.LastIndexOf('/') + 1), CultureInfo.InvariantCulture);
}

/// <summary>
/// One shard of the audit log of endings. Its entries live in a ring of small pages (<see cref="EntriesPerPage"/> each,
/// every page its own stored state), so an ending writes one page, not the shard, and never more than about a send's
/// own writes. When the newest page is full, the next ending starts a new page in the slot of the oldest page, which
/// evicts that page's entries; there are enough slots that the full pages behind the newest still hold the shard's share
/// of <see cref="DirectoryOptions.MaxAuditEntries"/>, which is what a read returns at most. Writes are coalesced: the grain
/// is reentrant, one write (of the pages changed since the last one) is in flight at a time, and the endings recorded
/// meanwhile share the next; each caller returns once a write that includes its entry has landed. A failed write fails
/// every caller waiting on it and, as for every stateful grain (<see cref="GuardedState{T}"/>), the working copy is
/// discarded and the pages are reloaded from storage by the next call. Reads return the working copy (it may include
/// entries whose write is still in flight).
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class EndingAuditShardGrain(IOptions<DirectoryOptions> options, ILogger<EndingAuditShardGrain> logger)
    : Grain, IEndingAuditShardGrain
{
    /// <summary>Entries per stored page: what one ending writes at most (about 13 KB of JSON at ~0.8 KB per entry).</summary>
    public const int EntriesPerPage = 16;

    private GuardedState<EndingAuditPage>[]? _stored;

    // The working copy of the pages (by slot): what is stored plus the entries recorded since. Each write stores copies of
    // the pages it includes, so entries recorded during a write cannot disturb it. Null until loaded and after a failed write.
    private List<EndingAuditPage>? _pages;
    private int _pagesLoad;              // the total loads of the stored pages the working copy was built from
    private int _newest;                 // the slot of the newest page
    private readonly HashSet<int> _changed = []; // slots changed since the write that last included them began
    private long _version;               // bumped by every change
    private long _written;               // the highest version a completed write included
    private Task<long>? _writing;        // the write in flight; its result is the version it included

    private int? _capacity;

    /// <summary>This shard's share of MaxAuditEntries: the most a read returns.</summary>
    private int Capacity => _capacity ??= EndingAuditShards.Share(options.Value, EndingAuditShards.IndexOf(this.GetPrimaryKeyString()));

    private GuardedState<EndingAuditPage>[] Stored => _stored ??=
        [.. Enumerable.Range(0, PagesFor(Capacity)).Select(slot => new GuardedState<EndingAuditPage>(GrainContext, $"page{slot}", ParleyStorage.Audit, logger))];

    /// <summary>The pages of a shard that keeps <paramref name="share"/> entries: the full pages behind the newest hold them all.</summary>
    public static int PagesFor(int share) => (share + EntriesPerPage - 1) / EntriesPerPage + 1;

    public async Task RecordAsync(EndingAuditEntry entry)
    {
        var pages = await PagesAsync();
        if (pages.Exists(p => p.Entries.Exists(e => e.ConversationId == entry.ConversationId && e.BranchId == entry.BranchId)))
        {
            return;
        }

        if (pages[_newest].Entries.Count >= EntriesPerPage)
        {
            // A new page in the oldest page's slot (or one never written): the oldest entries go, a whole page at a time.
            var slot = pages.IndexOf(pages.MinBy(p => p.Sequence)!);
            pages[slot] = new EndingAuditPage { Sequence = pages[_newest].Sequence + 1 };
            _newest = slot;
        }

        var page = pages[_newest];
        page.Sequence = Math.Max(page.Sequence, 1);
        page.Entries.Add(entry);
        _changed.Add(_newest);
        var mine = ++_version;
        while (_written < mine)
        {
            if (!ReferenceEquals(pages, _pages))
            {
                // A write failed after this entry was added: the working copy it was in has been discarded.
                throw new ServiceUnavailableException(ErrorCodes.StorageUnavailable, GuardedState<EndingAuditPage>.UnavailableMessage);
            }

            if (_writing is not { IsCompleted: false })
            {
                var changed = _changed.Select(slot => (slot, pages[slot].Copy())).OrderBy(c => c.Item2.Sequence).ToList();
                _changed.Clear();
                _writing = WriteAsync(_version, changed);
            }

            _written = Math.Max(_written, await _writing);
        }
    }

    public async Task<IReadOnlyList<EndingAuditEntry>> GetRecentAsync(int take) =>
        (await PagesAsync()).Where(p => p.Sequence > 0).OrderByDescending(p => p.Sequence)
            .SelectMany(p => Enumerable.Reverse(p.Entries))
            .Take(Math.Clamp(take, 0, Capacity))
            .ToList();

    private async Task<List<EndingAuditPage>> PagesAsync()
    {
        await Task.WhenAll(Stored.Select(s => s.LoadAsync()));
        var loads = Stored.Sum(s => s.Loads);
        if (_pages is null || _pagesLoad != loads)
        {
            _pages = [.. Stored.Select(s => s.State.Copy())];
            _pagesLoad = loads;
            _newest = _pages.IndexOf(_pages.MaxBy(p => p.Sequence)!);
            _changed.Clear();
        }

        return _pages;
    }

    // Older pages first: a page is never stored before the entries of the pages before it.
    private async Task<long> WriteAsync(long version, List<(int Slot, EndingAuditPage Page)> changed)
    {
        try
        {
            foreach (var (slot, page) in changed)
            {
                Stored[slot].State.Sequence = page.Sequence;
                Stored[slot].State.Entries = page.Entries;
                await Stored[slot].WriteAsync();
            }
        }
        catch
        {
            _pages = null;
            throw;
        }

        return version;
    }
}

/// <summary>
/// An audit log of endings as operators read it (key 0: the cluster's, <see cref="EndingAuditShards.ClusterLog"/>): the
/// merge of its <see cref="DirectoryOptions.AuditShards"/> shards, newest ending first, plus the whole log that the
/// previous version stored in this grain's own state, which is read (once per activation) and never written again.
/// Holds no log of its own, so it is on no ending's path.
/// </summary>
[Orleans.Concurrency.Reentrant]
public sealed class EndingAuditGrain(IOptions<DirectoryOptions> options, ILogger<EndingAuditGrain> logger)
    : Grain, IEndingAuditGrain, IEndingAuditLog
{
    private GuardedState<EndingAuditState>? _state;

    private GuardedState<EndingAuditState> Previous => _state ??= new(GrainContext, "endings", ParleyStorage.Audit, logger);

    public Task RecordAsync(EndingAuditEntry entry) =>
        EndingAuditShards.For(GrainFactory, this.GetPrimaryKeyLong(), options.Value.AuditShards, entry.ConversationId).RecordAsync(entry);

    public async Task<IReadOnlyList<EndingAuditEntry>> GetRecentAsync(int take)
    {
        var o = options.Value;
        take = Math.Clamp(take, 1, o.MaxAuditEntries);
        var log = this.GetPrimaryKeyLong();
        var shards = Task.WhenAll(Enumerable.Range(0, o.AuditShards).Select(i => EndingAuditShards.Shard(GrainFactory, log, i).GetRecentAsync(take)));
        await Previous.LoadAsync();
        var previous = Previous.State.Entries.AsEnumerable().Reverse();

        // Newest ending first across shards (a stable sort: ties keep each shard's own order, the previous log last). The same
        // ending can be in two places only if it was recorded again after an upgrade or a change of AuditShards: shown once.
        return (await shards).SelectMany(s => s).Concat(previous)
            .OrderByDescending(e => e.End.EndedOn)
            .DistinctBy(e => (e.ConversationId, e.BranchId))
            .Take(take)
            .ToList();
    }
}
