using Microsoft.Extensions.DependencyInjection;
using Parley.Abstractions;
using Parley.Hosting;

namespace Parley.Grains.Tests.Durability;

[Collection(DurableCollection.Name)]
[Trait("Category", "storage")]
public sealed class StrandedCallTests(AzuriteFixture storage)
{
    [Fact]
    public async Task A_send_in_flight_on_a_killed_silo_is_given_up_as_unavailable_and_its_retry_stores_it_once()
    {
        using var model = new ChatCompletionsServer { Reply = ["Here is a sourdough tip."] };
        var cluster = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 3,
            settings: new Dictionary<string, string?>
            {
                ["Parley:ChatModel:Endpoint"] = model.Endpoint + "v1",
                ["Parley:ChatModel:Model"] = "test-model",
            },
            client: (client, configuration) => client.AddParleyFailover(configuration));
        try
        {
            var guard = cluster.Client.ServiceProvider.GetRequiredService<StrandedCallGuard>();
            var victim = cluster.Silos[2];
            var c = await TestConversation.StartOnAsync(cluster.Client, victim.SiloAddress);
            Assert.Equal(victim.SiloAddress, await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(c.Grain));

            // The model hangs, so the send is in flight on the victim (waiting for its reply) when the victim is killed.
            var hold = new TaskCompletionSource();
            model.Hold = hold;
            var send = c.Grain.SendAsync(c.UserId, "m1", "How do I keep a sourdough starter alive?");
            await model.Arrived.WaitAsync();
            await cluster.KillSiloAsync(victim);
            model.Hold = null;
            hold.SetResult();

            // Without the guard this call would end only at the 10 s response timeout, with a TimeoutException.
            var stranded = await Assert.ThrowsAsync<SiloUnavailableException>(() => send);
            Assert.Contains("A silo was lost", stranded.Message);
            Assert.True(guard.GivenUp >= 1);

            // The retry with the same id is stored once, on a surviving silo.
            SendResult? result = null;
            for (var attempt = 0; result is null; attempt++)
            {
                try
                {
                    result = await c.Grain.SendAsync(c.UserId, "m1", "How do I keep a sourdough starter alive?");
                }
                catch (Exception ex) when (ex is OrleansException or TimeoutException && attempt < 30)
                {
                    await Task.Delay(500);
                }
            }

            Assert.Equal("Here is a sourdough tip.", result.Turn.Reply);
            var transcript = await c.TranscriptAsync();
            Assert.Equal(["m1"], transcript.Turns.Select(t => t.ClientMessageId));
            Assert.NotEqual(victim.SiloAddress, await cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(c.Grain));
        }
        finally
        {
            await ClusterFixture.StopAsync(cluster);
        }
    }
}
