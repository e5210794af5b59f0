using Parley.Abstractions;
using Parley.Grains.Conversations;
using Parley.Grains.Feedback;

namespace Parley.Grains.Tests;

[Collection(ClusterCollection.Name)]
[Trait("Category", "cluster")]
public sealed class FeedbackTests(ClusterFixture fixture)
{
    private readonly IClusterClient _client = fixture.Client;

    [Fact]
    public async Task Totals_are_exact_after_many_ratings_and_vote_changes_across_both_silos()
    {
        var totals = _client.GetGrain<IFeedbackGrain>(0);
        var before = await totals.GetTotalsAsync();

        // Forty conversations placed alternately on the two silos, so both silos prepare rating changes with the shards.
        var conversations = new List<TestConversation>();
        for (var i = 0; i < 40; i++)
        {
            conversations.Add(await TestConversation.StartOnAsync(_client, fixture.Cluster.Silos[i % 2].SiloAddress));
        }

        await Task.WhenAll(conversations.Select(async (c, i) =>
        {
            var turn = (await c.SendAsync("Hello, what's a good name for a cat?")).Turn.Id;
            await c.Grain.RateAsync(c.UserId, turn, Rating.Up);
            if (i % 2 == 0)
            {
                await c.Grain.RateAsync(c.UserId, turn, Rating.Down); // changed vote
            }

            if (i % 4 == 0)
            {
                await c.Grain.RateAsync(c.UserId, turn, Rating.None); // withdrawn
            }

            if (i % 5 == 0)
            {
                await c.Grain.LeaveFeedbackAsync(c.UserId, turn, $"Feedback {i}");
            }
        }));

        // The conversations really are on both silos.
        var management = _client.GetGrain<IManagementGrain>(0);
        var hosts = new HashSet<SiloAddress>();
        foreach (var c in conversations)
        {
            if (await management.GetActivationAddress(c.Grain) is { } address)
            {
                hosts.Add(address);
            }
        }

        Assert.Equal(2, hosts.Count);

        // Final votes: i % 4 == 0 withdrawn, other even i down, odd i up.
        var indexes = Enumerable.Range(0, 40).ToList();
        var expectedUp = indexes.Count(i => i % 2 == 1);
        var expectedDown = indexes.Count(i => i % 2 == 0 && i % 4 != 0);
        var expectedWritten = indexes.Count(i => i % 5 == 0);

        // Exact as soon as the calls have returned: the totals settle every prepared change when they are read.
        var after = await totals.GetTotalsAsync();
        Assert.Equal(expectedUp, after.Overall.Up - before.Overall.Up);
        Assert.Equal(expectedDown, after.Overall.Down - before.Overall.Down);
        Assert.Equal(expectedWritten, after.WrittenCount - before.WrittenCount);
        Assert.Equal(expectedUp, after.ByDecision["respond"].Up - (before.ByDecision.TryGetValue("respond", out var b) ? b.Up : 0));
        Assert.Contains(after.RecentWritten, w => w.Text == "Feedback 5");
    }

    [Fact]
    public async Task Ratings_of_an_ending_are_counted_under_its_end_reason()
    {
        var totals = _client.GetGrain<IFeedbackGrain>(0);
        var before = await totals.GetTotalsAsync();
        var c = await TestConversation.StartAsync(_client);
        await c.SendAsync("Please end this conversation now.");
        var end = await c.SendAsync("Yes, end it.");
        Assert.Equal(Decision.End, end.Turn.Decision);
        var rated = await c.Grain.RateAsync(c.UserId, end.Turn.Id, Rating.Down);
        Assert.Equal(Rating.Down, rated.Rating);
        await c.Grain.LeaveFeedbackAsync(c.UserId, null, "I did not mean to end it.");

        static long Down(FeedbackTotals t) => t.ByEndReason.TryGetValue("user_requested", out var v) ? v.Down : 0;
        var after = await totals.GetTotalsAsync();
        Assert.Equal(Down(before) + 1, Down(after));
        var written = Assert.Single(after.RecentWritten, w => w.Text == "I did not mean to end it.");
        Assert.Equal(EndReason.UserRequested, written.EndReason);
        Assert.Null(written.TurnId);
    }

    [Fact]
    public async Task A_rating_change_prepared_by_a_call_that_died_is_counted_only_if_its_turn_stored_it()
    {
        var totals = _client.GetGrain<IFeedbackGrain>(0);
        var stored = await TestConversation.StartAsync(_client);
        var lost = await TestConversation.StartAsync(_client);
        var storedTurn = (await stored.SendAsync("First question")).Turn.Id;
        var lostTurn = (await lost.SendAsync("First question")).Turn.Id;
        var before = await totals.GetTotalsAsync();

        // What a conversation grain does for a vote, cut short as if its silo died: for "stored" after the chunk stored
        // the vote (the caller never heard back), for "lost" right after the prepare (nothing stored).
        async Task<ITurnChunkGrain> PrepareUpAsync(TestConversation c, TurnId turn)
        {
            var key = TurnChunkGrain.KeyFor(c.Grain.GetPrimaryKeyString(), turn.Branch, turn.Depth / TurnChunkGrain.TurnsPerChunk);
            var intent = new RatingIntent
            {
                Chunk = key,
                Depth = turn.Depth,
                Version = 1,
                Delta = RatingDelta.Between(Rating.None, Rating.Up, Decision.Respond, null),
                PreparedAt = DateTimeOffset.UtcNow,
            };
            Assert.True(await FeedbackShardGrain.For(_client, c.Grain.GetPrimaryKeyString()).PrepareAsync(intent));
            return _client.GetGrain<ITurnChunkGrain>(key);
        }

        Assert.NotNull(await (await PrepareUpAsync(stored, storedTurn)).RateAtAsync(storedTurn.Depth, Rating.Up, 1));
        await PrepareUpAsync(lost, lostTurn);

        // Stored is counted (its turn holds the vote), lost is not (yet: it is young, and may still be stored).
        var middle = await totals.GetTotalsAsync();
        Assert.Equal(before.Overall.Up + 1, middle.Overall.Up);

        // The retried vote finds it stored and changes nothing; a new vote on the other turn gives the lost change up
        // (its version is fenced) and is stored under the next version.
        Assert.Equal(Rating.Up, (await stored.Grain.RateAsync(stored.UserId, storedTurn, Rating.Up)).Rating);
        Assert.Equal(Rating.Down, (await lost.Grain.RateAsync(lost.UserId, lostTurn, Rating.Down)).Rating);
        Assert.Null(await _client.GetGrain<ITurnChunkGrain>(TurnChunkGrain.KeyFor(lost.Grain.GetPrimaryKeyString(), lostTurn.Branch, 0))
            .RateAtAsync(lostTurn.Depth, Rating.Up, 1)); // the dead call's write, arriving late, is refused

        var after = await totals.GetTotalsAsync();
        Assert.Equal(before.Overall.Up + 1, after.Overall.Up);
        Assert.Equal(before.Overall.Down + 1, after.Overall.Down);
        Assert.Equal(Rating.Down, (await lost.TranscriptAsync()).Turns[0].Rating);
    }
}
