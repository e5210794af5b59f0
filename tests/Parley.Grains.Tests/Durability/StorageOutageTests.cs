using Parley.Abstractions;

namespace Parley.Grains.Tests.Durability;

[Trait("Category", "storage")]
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Sends_fail_clearly_while_storage_is_down_and_nothing_acknowledged_is_lost()
    {
        // Its own emulator, on disk, so that stopping and restarting it keeps the data (a real outage, not a wipe).
        await using var azurite = await Azurite.StartAsync(onDisk: true);
        var cluster = await DurableCluster.StartAsync(azurite.ConnectionString, 2);
        try
        {
            var c = await TestConversation.StartAsync(cluster.Client);
            var acknowledged = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                await c.Grain.SendAsync(c.UserId, $"before-{i}", $"Before the outage {i}");
                acknowledged.Add($"before-{i}");
            }

            await azurite.StopAsync();
            var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => c.Grain.SendAsync(c.UserId, "during", "During the outage"));
            Assert.Equal(ErrorCodes.StorageUnavailable, error.Code);

            await azurite.RestartAsync();
            // The failed send can be retried with the same id once storage is back; so can new ones.
            await c.Grain.SendAsync(c.UserId, "during", "During the outage");
            acknowledged.Add("during");
            await c.Grain.SendAsync(c.UserId, "after", "After the outage");
            acknowledged.Add("after");

            var transcript = await c.TranscriptAsync();
            Assert.Equal(acknowledged, transcript.Turns.Select(t => t.ClientMessageId));
        }
        finally
        {
            await ClusterFixture.StopAsync(cluster);
        }
    }
}
