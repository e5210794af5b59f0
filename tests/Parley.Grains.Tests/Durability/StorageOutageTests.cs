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
            var idle = await TestConversation.StartAsync(cluster.Client);
            await idle.SendAsync("Said before the outage");
            await idle.Grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
            var acknowledged = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                await c.Grain.SendAsync(c.UserId, $"before-{i}", $"Before the outage {i}");
                acknowledged.Add($"before-{i}");
            }

            await azurite.StopAsync();
            // This send fails at its first storage write (the chunk); a header failing after its chunk was written, and a
            // write whose outcome is unknown, are injected one at a time in Storage/StorageFaultTests.
            var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => c.Grain.SendAsync(c.UserId, "during", "During the outage"));
            Assert.Equal(ErrorCodes.StorageUnavailable, error.Code);

            // A conversation that has to be activated (read) during the outage answers the same code, not an activation error.
            var activation = await Assert.ThrowsAsync<ServiceUnavailableException>(() => idle.Grain.GetStatusAsync(idle.UserId));
            Assert.Equal(ErrorCodes.StorageUnavailable, activation.Code);

            await azurite.RestartAsync();
            // The failed send can be retried with the same id once storage is back; so can new ones.
            await c.Grain.SendAsync(c.UserId, "during", "During the outage");
            acknowledged.Add("during");
            await c.Grain.SendAsync(c.UserId, "after", "After the outage");
            acknowledged.Add("after");

            var transcript = await c.TranscriptAsync();
            Assert.Equal(acknowledged, transcript.Turns.Select(t => t.ClientMessageId));
            Assert.Equal(1, (await idle.Grain.GetStatusAsync(idle.UserId)).CurrentBranch.Length);
        }
        finally
        {
            await ClusterFixture.StopAsync(cluster);
        }
    }
}
