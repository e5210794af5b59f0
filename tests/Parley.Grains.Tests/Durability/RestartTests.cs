using System.Text.Json;
using Parley.Abstractions;

namespace Parley.Grains.Tests.Durability;

[Collection(DurableCollection.Name)]
[Trait("Category", "storage")]
public sealed class RestartTests(AzuriteFixture storage)
{
    [Fact]
    public async Task Everything_reads_back_identically_after_the_whole_cluster_restarts()
    {
        var ids = new List<(string Id, string User)>();
        string snapshotBefore;
        FeedbackTotals totalsBefore;

        var first = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 2);
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var c = await TestConversation.StartAsync(first.Client);
                ids.Add((c.Grain.GetPrimaryKeyString(), c.UserId));
                var turn = (await c.SendAsync($"Hello number {i}, can you suggest a recipe?")).Turn;
                await c.SendAsync("Thanks! Something vegetarian please.");
                await c.Grain.RateAsync(c.UserId, turn.Id, i % 2 == 0 ? Rating.Up : Rating.Down);
                if (i % 3 == 0)
                {
                    await c.Grain.EditAsync(c.UserId, new TurnId(0, 1), "edit", "Actually, something with fish.");
                }

                if (i == 1)
                {
                    await c.SendAsync("Please end this conversation.");
                    await c.SendAsync("yes");
                    await c.Grain.LeaveFeedbackAsync(c.UserId, null, "Ended as I asked, thanks.");
                }
            }

            snapshotBefore = await SnapshotAsync(first.Client, ids);
            totalsBefore = await WaitForTotalsAsync(first.Client, t => t.Overall.Up + t.Overall.Down >= 6 && t.WrittenCount >= 1);
        }
        finally
        {
            await ClusterFixture.StopAsync(first);
        }

        var second = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 2);
        try
        {
            Assert.Equal(snapshotBefore, await SnapshotAsync(second.Client, ids));
            var totalsAfter = await second.Client.GetGrain<IFeedbackGrain>(0).GetTotalsAsync();
            Assert.Equal(JsonSerializer.Serialize(totalsBefore), JsonSerializer.Serialize(totalsAfter));

            var ended = second.Client.GetGrain<IConversationGrain>(ids[1].Id);
            var refused = await Assert.ThrowsAsync<ConversationEndedException>(() => ended.SendAsync(ids[1].User, "after-restart", "Hello?"));
            Assert.Equal(EndReason.UserRequested, refused.Reason);
        }
        finally
        {
            await ClusterFixture.StopAsync(second);
        }
    }

    private static async Task<string> SnapshotAsync(IClusterClient client, List<(string Id, string User)> ids)
    {
        var parts = new List<object>();
        foreach (var (id, user) in ids)
        {
            var g = client.GetGrain<IConversationGrain>(id);
            var branches = await g.GetBranchesAsync(user);
            var transcripts = new List<TranscriptPage>();
            foreach (var b in branches)
            {
                transcripts.Add(await g.GetTranscriptAsync(user, b.Id, 0, 100));
            }

            parts.Add(new { status = await g.GetStatusAsync(user), branches, transcripts });
        }

        return JsonSerializer.Serialize(parts);
    }

    internal static async Task<FeedbackTotals> WaitForTotalsAsync(IClusterClient client, Func<FeedbackTotals, bool> done, TimeSpan? wait = null)
    {
        var grain = client.GetGrain<IFeedbackGrain>(0);
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var totals = await grain.GetTotalsAsync();
            if (done(totals) || DateTime.UtcNow > deadline)
            {
                return totals;
            }

            await Task.Delay(250);
        }
    }
}
