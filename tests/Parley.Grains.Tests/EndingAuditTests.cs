using Parley.Abstractions;
using Parley.Grains.Listings;

namespace Parley.Grains.Tests;

/// <summary>The audit log of endings coalesces its writes; every recorded ending must still reach storage.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "cluster")]
public sealed class EndingAuditTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Concurrent_endings_are_all_stored_once_each_and_read_back_after_reactivation()
    {
        var key = Random.Shared.NextInt64(1, long.MaxValue);
        var log = fixture.Client.GetGrain<IEndingAuditLog>(key);   // the silo-internal side the conversations use
        var audit = fixture.Client.GetGrain<IEndingAuditGrain>(key);
        var entries = Enumerable.Range(0, 40).Select(i => new EndingAuditEntry
        {
            ConversationId = $"c{i}",
            OwnerId = "u",
            BranchId = 0,
            End = new EndRecord { Reason = EndReason.PersistentAbuse },
        }).ToList();

        await Task.WhenAll(entries.Select(log.RecordAsync));
        await Task.WhenAll(entries.Take(10).Select(log.RecordAsync));   // repeats are ignored
        await audit.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();

        var stored = await audit.GetRecentAsync(1000);
        Assert.Equal(entries.Select(e => e.ConversationId).Order(), stored.Select(e => e.ConversationId).Order());
    }
}
