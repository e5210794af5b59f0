using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using Parley.Abstractions;
using Parley.Grains.Hosting;
using Parley.Grains.Listings;

namespace Parley.Grains.Tests;

/// <summary>
/// The audit log of endings is sharded by conversation; read back it must still be one log: every recorded ending once,
/// newest first, at most MaxAuditEntries (each shard its share), and the whole log stored by the previous version merged in.
/// Each test uses its own log (a random key), so endings of the other tests in this cluster do not interfere.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "cluster")]
public sealed class EndingAuditTests(ClusterFixture fixture)
{
    private static readonly DirectoryOptions Defaults = new();
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static EndingAuditEntry Entry(string conversationId, int second, int branch = 0, EndReason reason = EndReason.PersistentAbuse) => new()
    {
        ConversationId = conversationId,
        OwnerId = "u",
        BranchId = branch,
        End = new EndRecord { Reason = reason, EndedOn = Start.AddSeconds(second) },
    };

    private IEndingAuditShardGrain ShardOf(long log, string conversationId) =>
        EndingAuditShards.For(fixture.Client, log, Defaults.AuditShards, conversationId);

    private Task DeactivateAsync(IAddressable grain) => grain.Cast<IGrainManagementExtension>().DeactivateOnIdle().AsTask();

    [Fact]
    public async Task Concurrent_endings_of_many_conversations_are_spread_over_the_shards_and_read_back_once_each_newest_first()
    {
        var log = Random.Shared.NextInt64(1, long.MaxValue);
        var entries = Enumerable.Range(0, 60).Select(i => Entry($"c{i}", i)).Append(Entry("c0", 60, branch: 1)).ToList();

        // Recorded out of order, half through the log's own entry point (what silos of the previous version call).
        var forwarder = fixture.Client.GetGrain<IEndingAuditLog>(log);
        await Task.WhenAll(entries.OrderBy(_ => Random.Shared.Next()).Select((e, i) => i % 2 == 0 ? forwarder.RecordAsync(e) : ShardOf(log, e.ConversationId).RecordAsync(e)));

        // Repeats are ignored, even with a different record: the first one stays.
        await Task.WhenAll(entries.Take(10).Select(e => ShardOf(log, e.ConversationId).RecordAsync(e with { End = e.End with { Reason = EndReason.UserRequested } })));

        var shards = Enumerable.Range(0, Defaults.AuditShards).Select(i => EndingAuditShards.Shard(fixture.Client, log, i)).ToList();
        var audit = fixture.Client.GetGrain<IEndingAuditGrain>(log);
        await Task.WhenAll(shards.Select(DeactivateAsync).Append(DeactivateAsync(audit)));

        var perShard = await Task.WhenAll(shards.Select(s => s.GetRecentAsync(1000)));
        Assert.All(perShard, s => Assert.NotEmpty(s));   // really spread out
        Assert.Equal(entries.Count, perShard.Sum(s => s.Count));

        var stored = await audit.GetRecentAsync(1000);
        Assert.Equal(entries.OrderByDescending(e => e.End.EndedOn).Select(e => (e.ConversationId, e.BranchId)), stored.Select(e => (e.ConversationId, e.BranchId)));
        Assert.All(stored, e => Assert.Equal(EndReason.PersistentAbuse, e.End.Reason));
        Assert.Equal(entries.Count, stored.Count);
    }

    [Fact]
    public async Task The_log_keeps_MaxAuditEntries_the_newest_of_each_shard_and_clamps_take()
    {
        var log = Random.Shared.NextInt64(1, long.MaxValue);
        var entries = Enumerable.Range(0, 1500).Select(i => Entry($"b{i:0000}", i)).ToList();
        var later = Enumerable.Range(1500, 40).Select(i => Entry($"b{i:0000}", i)).ToList();
        string ShardKey(EndingAuditEntry e) => ShardOf(log, e.ConversationId).GetPrimaryKeyString();
        Assert.Equal(Defaults.AuditShards, entries.Select(ShardKey).Distinct().Count());

        // Each shard keeps the newest of its own endings, up to its share; the shares add up to MaxAuditEntries.
        List<string> Expected(IEnumerable<EndingAuditEntry> recorded) =>
            [.. recorded.GroupBy(ShardKey).SelectMany(shard => shard.TakeLast(EndingAuditShards.Share(Defaults, EndingAuditShards.IndexOf(shard.Key))))
                .OrderByDescending(e => e.End.EndedOn).Select(e => e.ConversationId)];

        // Shards in parallel, each shard's endings in order, so "the oldest recorded" is "the oldest ended".
        Task RecordAsync(IEnumerable<EndingAuditEntry> recorded) => Task.WhenAll(recorded.GroupBy(ShardKey).Select(async shard =>
        {
            foreach (var e in shard)
            {
                await ShardOf(log, e.ConversationId).RecordAsync(e);
            }
        }));

        await RecordAsync(entries);

        // Read back from storage: each shard's ring of pages has wrapped around (it was given more than its share).
        await Task.WhenAll(Enumerable.Range(0, Defaults.AuditShards).Select(i => DeactivateAsync(EndingAuditShards.Shard(fixture.Client, log, i))));
        var audit = fixture.Client.GetGrain<IEndingAuditGrain>(log);
        Assert.Equal(Defaults.MaxAuditEntries, Expected(entries).Count);
        Assert.Equal(Expected(entries), (await audit.GetRecentAsync(5000)).Select(e => e.ConversationId));
        Assert.Equal(["b1499"], (await audit.GetRecentAsync(0)).Select(e => e.ConversationId));

        // The most recent hundred are exact: no shard holds more than its share of them.
        Assert.Equal(entries.TakeLast(100).Reverse().Select(e => e.ConversationId), (await audit.GetRecentAsync(100)).Select(e => e.ConversationId));

        // Endings recorded after the reload continue each shard's newest page.
        await RecordAsync(later);
        Assert.Equal(Expected(entries.Concat(later)), (await audit.GetRecentAsync(5000)).Select(e => e.ConversationId));

        // What is stored: each shard's entries in pages of at most EntriesPerPage (what one ending writes), no more pages
        // than its share needs plus the newest, and nothing twice.
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(ParleyStorage.Audit);
        for (var i = 0; i < Defaults.AuditShards; i++)
        {
            var shard = EndingAuditShards.Shard(fixture.Client, log, i);
            var share = EndingAuditShards.Share(Defaults, i);
            var recent = await shard.GetRecentAsync(int.MaxValue);
            Assert.Equal(share, recent.Count);
            Assert.Equal(recent.OrderByDescending(e => e.End.EndedOn), recent);   // newest recorded first (recorded in order)
            var pages = new List<EndingAuditPage>();
            for (var slot = 0; slot < 20; slot++)
            {
                var page = new GrainState<EndingAuditPage>(new EndingAuditPage());
                await storage.ReadStateAsync($"page{slot}", shard.GetGrainId(), page);
                pages.Add(page.State ?? new EndingAuditPage());
            }

            Assert.All(pages, p => Assert.InRange(p.Entries.Count, 0, EndingAuditShardGrain.EntriesPerPage));
            var stored = pages.SelectMany(p => p.Entries).Select(e => e.ConversationId).ToList();
            Assert.InRange(stored.Count, share, EndingAuditShardGrain.PagesFor(share) * EndingAuditShardGrain.EntriesPerPage);
            Assert.Equal(stored.Count, stored.Distinct().Count());
        }
    }

    [Fact]
    public async Task The_whole_log_stored_by_the_previous_version_is_merged_into_reads_after_the_newer_endings()
    {
        var log = Random.Shared.NextInt64(1, long.MaxValue);
        var audit = fixture.Client.GetGrain<IEndingAuditGrain>(log);

        // The previous version kept the whole log (oldest first) in the state of the log grain itself.
        var previous = new EndingAuditState { Entries = [Entry("old0", 0), Entry("old1", 1), Entry("old2", 2)] };
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(ParleyStorage.Audit);
        await storage.WriteStateAsync("endings", audit.GetGrainId(), new GrainState<EndingAuditState>(previous));

        // Endings since the upgrade, one of them an ending recorded again (a retry) that the old log already has.
        foreach (var e in new[] { Entry("new0", 10), Entry("old1", 1), Entry("new1", 11) })
        {
            await ShardOf(log, e.ConversationId).RecordAsync(e);
        }

        Assert.Equal(["new1", "new0", "old2", "old1", "old0"], (await audit.GetRecentAsync(1000)).Select(e => e.ConversationId));
        Assert.Equal(["new1", "new0"], (await audit.GetRecentAsync(2)).Select(e => e.ConversationId));
    }
}
