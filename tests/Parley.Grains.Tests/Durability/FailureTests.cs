using System.Collections.Concurrent;
using Parley.Abstractions;
using Orleans.TestingHost;
using Parley.Hosting;

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
        // A settle period longer than the test: the totals count the prepared changes when they are read.
        var cluster = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 3, flushPeriod: "00:00:20");
        try
        {
            var totals = cluster.Client.GetGrain<IFeedbackGrain>(0);
            var before = await totals.GetTotalsAsync();
            var turns = await OneTurnEachAsync(cluster, 60);

            // First wave: every conversation votes up; a third of the conversations live on the silo about to stop.
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

    [Fact]
    public async Task Feedback_totals_equal_the_acknowledged_ratings_after_a_silo_is_killed_during_a_rating_burst()
    {
        // A settle period longer than the test: nothing is counted on a timer, every prepared change on the killed silo's
        // shards must be counted from storage when the totals are read. (With buffered deltas, a third would be lost.)
        var cluster = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 3, flushPeriod: "00:05:00",
            client: (client, configuration) => client.AddParleyFailover(configuration));
        try
        {
            var totals = cluster.Client.GetGrain<IFeedbackGrain>(0);
            var before = await totals.GetTotalsAsync();
            var turns = await OneTurnEachAsync(cluster, 60);
            var acknowledged = new ConcurrentDictionary<int, Rating>();

            // Votes are idempotent by value: a failed vote is repeated until it is acknowledged.
            async Task VoteAsync(int i, Rating rating)
            {
                var (c, turn) = turns[i];
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        acknowledged[i] = (await c.Grain.RateAsync(c.UserId, turn, rating)).Rating;
                        return;
                    }
                    catch (Exception ex) when (ex is OrleansException or TimeoutException or ServiceUnavailableException && attempt < 40)
                    {
                        await Task.Delay(500);
                    }
                }
            }

            // First wave, acknowledged before the kill: a third of the conversations (and some shards) live on the victim.
            await Task.WhenAll(turns.Select((_, i) => VoteAsync(i, Rating.Up)));

            // Second wave, with the kill in the middle of it: votes in flight on the victim are retried elsewhere.
            var secondWave = Task.WhenAll(turns.Select((_, i) => VoteAsync(i, i % 3 == 0 ? Rating.Down : i % 3 == 1 ? Rating.None : Rating.Up)));
            await Task.Delay(50);
            await cluster.KillSiloAsync(cluster.Silos[2]);
            await secondWave;
            await cluster.WaitForLivenessToStabilizeAsync(didKill: true);

            // The stored ratings (the source of truth) are the acknowledged ones, and the totals count exactly those.
            foreach (var (i, rating) in acknowledged)
            {
                Assert.Equal(rating, (await turns[i].c.TranscriptAsync()).Turns[0].Rating);
            }

            var after = await totals.GetTotalsAsync();
            Assert.Equal(60, acknowledged.Count);
            Assert.Equal(acknowledged.Values.Count(r => r == Rating.Up), after.Overall.Up - before.Overall.Up);
            Assert.Equal(acknowledged.Values.Count(r => r == Rating.Down), after.Overall.Down - before.Overall.Down);
        }
        finally
        {
            await ClusterFixture.StopAsync(cluster);
        }
    }

    // Conversations placed round-robin on the cluster's silos, each with one answered turn to rate.
    private static async Task<(TestConversation c, TurnId Id)[]> OneTurnEachAsync(InProcessTestCluster cluster, int count)
    {
        var conversations = new List<TestConversation>();
        for (var i = 0; i < count; i++)
        {
            conversations.Add(await TestConversation.StartOnAsync(cluster.Client, cluster.Silos[i % cluster.Silos.Count].SiloAddress));
        }

        return await Task.WhenAll(conversations.Select(async c => (c, (await c.SendAsync("Hi there, a quick question.")).Turn.Id)));
    }
}
