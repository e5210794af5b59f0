using System.Collections.Concurrent;
using Parley.Abstractions;

namespace Parley.Grains.Tests.Durability;

[Collection(DurableCollection.Name)]
[Trait("Category", "storage")]
public sealed class FailureTests(AzuriteFixture storage)
{
    [Fact]
    public async Task Acknowledged_turns_survive_a_silo_crash_exactly_once_and_conversations_continue_elsewhere()
    {
        var cluster = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 3);
        try
        {
            // Placed round-robin on the three silos, so a hundred of them live on the silo that will be killed.
            var conversations = new List<TestConversation>();
            for (var i = 0; i < 300; i++)
            {
                conversations.Add(await TestConversation.StartOnAsync(cluster.Client, cluster.Silos[i % 3].SiloAddress));
            }

            var victim = cluster.Silos[2];
            var management = cluster.Client.GetGrain<IManagementGrain>(0);
            var onVictim = 0;
            foreach (var c in conversations)
            {
                if (await management.GetActivationAddress(c.Grain) == victim.SiloAddress)
                {
                    onVictim++;
                }
            }

            Assert.True(onVictim >= 50, $"only {onVictim} conversations on the silo to be killed");
            var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<string>>();
            var killed = 0;

            async Task DriveAsync(TestConversation c, int from, int to)
            {
                for (var i = from; i < to; i++)
                {
                    var messageId = $"m{i}";
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            // Retry timed-out or failed sends with the same message id: a retry must never duplicate a turn.
                            await c.Grain.SendAsync(c.UserId, messageId, $"Message {i}: tell me about sourdough.");
                            acknowledged.GetOrAdd(c.Grain.GetPrimaryKeyString(), _ => []).Add(messageId);
                            break;
                        }
                        catch (Exception) when (attempt < 20)
                        {
                            await Task.Delay(500);
                        }
                    }
                }
            }

            var driving = Task.WhenAll(conversations.Select(c => DriveAsync(c, 0, 6)));
            await Task.Delay(300);
            await cluster.KillSiloAsync(victim);
            Interlocked.Increment(ref killed);
            await driving;
            await cluster.WaitForLivenessToStabilizeAsync(didKill: true);

            // Every conversation, including those that lived on the killed silo, continues on the others.
            await Task.WhenAll(conversations.Select(c => DriveAsync(c, 6, 8)));

            foreach (var c in conversations)
            {
                var transcript = await c.TranscriptAsync();
                var ids = transcript.Turns.Select(t => t.ClientMessageId).ToList();
                Assert.Equal(ids.Distinct().Count(), ids.Count);
                Assert.Equal(Enumerable.Range(0, 8).Select(i => $"m{i}"), ids);
                Assert.Equal(acknowledged[c.Grain.GetPrimaryKeyString()].OrderBy(x => x), ids.OrderBy(x => x));
            }

            Assert.Equal(1, killed);
        }
        finally
        {
            await ClusterFixture.StopAsync(cluster);
        }
    }

    [Fact]
    public async Task Many_concurrent_sends_to_one_conversation_keep_an_ordered_history_without_conflicts()
    {
        var cluster = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 2);
        try
        {
            var c = await TestConversation.StartAsync(cluster.Client);
            var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
                c.Grain.SendAsync(c.UserId, $"concurrent-{i}", $"Concurrent question {i}")));
            Assert.All(results, r => Assert.False(r.Duplicate));
            Assert.Equal(Enumerable.Range(0, 60), results.Select(r => r.Turn.Id.Depth).Order());

            var transcript = await c.TranscriptAsync();
            Assert.Equal(60, transcript.Total);
            Assert.Equal(Enumerable.Range(0, 60), transcript.Turns.Select(t => t.Id.Depth));
            Assert.Equal(60, transcript.Turns.Select(t => t.ClientMessageId).Distinct().Count());
        }
        finally
        {
            await ClusterFixture.StopAsync(cluster);
        }
    }

    [Fact]
    public async Task Feedback_totals_are_exact_after_a_graceful_silo_shutdown_during_a_rating_burst()
    {
        // A flush period longer than the test's first wave: the stopped silo's buffered deltas can only reach the totals
        // through the flush its graceful shutdown does.
        var cluster = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 3, flushPeriod: "00:00:20");
        try
        {
            var totals = cluster.Client.GetGrain<IFeedbackGrain>(0);
            var before = await totals.GetTotalsAsync();
            var conversations = new List<TestConversation>();
            for (var i = 0; i < 60; i++)
            {
                conversations.Add(await TestConversation.StartOnAsync(cluster.Client, cluster.Silos[i % 3].SiloAddress));
            }

            var turns = await Task.WhenAll(conversations.Select(async c => (c, (await c.SendAsync("Hi there, a quick question.")).Turn.Id)));

            // First wave: every conversation votes up; a third of the deltas sit in the buffer of the silo about to stop.
            await Task.WhenAll(turns.Select(t => t.c.Grain.RateAsync(t.c.UserId, t.Id, Rating.Up)));
            await cluster.StopSiloAsync(cluster.Silos[2]);

            // Second wave on the remaining silos (the stopped silo's conversations come back from storage elsewhere).
            await Task.WhenAll(turns.Select((t, i) => t.c.Grain.RateAsync(t.c.UserId, t.Id, i % 3 == 0 ? Rating.Down : Rating.Up)));

            var expectedDown = turns.Where((_, i) => i % 3 == 0).Count();
            var expectedUp = turns.Length - expectedDown;
            var after = await RestartTests.WaitForTotalsAsync(cluster.Client, t =>
                t.Overall.Up - before.Overall.Up == expectedUp && t.Overall.Down - before.Overall.Down == expectedDown, TimeSpan.FromSeconds(60));
            Assert.Equal(expectedUp, after.Overall.Up - before.Overall.Up);
            Assert.Equal(expectedDown, after.Overall.Down - before.Overall.Down);
        }
        finally
        {
            await ClusterFixture.StopAsync(cluster);
        }
    }
}
