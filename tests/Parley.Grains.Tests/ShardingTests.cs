using Parley.Grains.Hosting;
using Parley.Grains.Listings;
using Parley.Grains.Storage;

namespace Parley.Grains.Tests;

/// <summary>Shard keys are stored data: the hash behind them must never change, and the audit shards' shares must add up.</summary>
public sealed class ShardingTests
{
    [Theory, Trait("Category", "unit")]
    [InlineData("", 0x811C9DC5u)]   // FNV-1a's offset basis
    [InlineData("a", 0xE40C292Cu)]
    [InlineData("abc", 0x1A47E90Bu)]
    [InlineData("foobar", 0xBF9CF968u)]
    public void The_shard_hash_is_32_bit_FNV_1a(string text, uint expected) => Assert.Equal(expected, ShardHash.Of(text));

    [Theory, Trait("Category", "unit")]
    [InlineData(1000, 8)]
    [InlineData(1000, 7)]
    [InlineData(10, 10)]
    [InlineData(1, 1)]
    public void The_audit_shards_shares_add_up_to_MaxAuditEntries_and_differ_by_at_most_one(int max, int shards)
    {
        var options = new DirectoryOptions { MaxAuditEntries = max, AuditShards = shards };
        var shares = Enumerable.Range(0, shards).Select(i => EndingAuditShards.Share(options, i)).ToList();
        Assert.Equal(max, shares.Sum());
        Assert.InRange(shares.Max() - shares.Min(), 0, 1);
        Assert.All(shares, s => Assert.True(s >= 1));
    }
}
