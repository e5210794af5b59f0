using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Parley.Abstractions;
using Parley.Grains.Hosting;

namespace Parley.Grains.Tests.Durability;

[Collection(DurableCollection.Name)]
public sealed class StoredStateVersioningTests(AzuriteFixture storage)
{
    // Stored state is plain JSON without type names: an older version's state (a member missing) and a newer version's
    // state (an unknown member) must both still load.
    [Fact]
    public async Task Stored_headers_load_across_added_and_removed_members()
    {
        string id, user;
        var first = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 2);
        try
        {
            var c = await TestConversation.StartAsync(first.Client, locale: "en-GB");
            (id, user) = (c.Grain.GetPrimaryKeyString(), c.UserId);
            await c.SendAsync("Hello there");
        }
        finally
        {
            await ClusterFixture.StopAsync(first);
        }

        var table = new TableServiceClient(storage.Azurite.ConnectionString).GetTableClient(ParleyInfrastructure.TableName(ParleyStorage.Conversations));
        TableEntity? entity = null;
        await foreach (var e in table.QueryAsync<TableEntity>())
        {
            if (e.PartitionKey.EndsWith(id, StringComparison.Ordinal))
            {
                entity = e;
            }
        }

        Assert.NotNull(entity);
        var json = JsonNode.Parse(entity.GetBinary("Data"))!.AsObject();
        Assert.True(json.Remove("Locale"), "the stored header should hold the locale as plain JSON");
        json["SomethingAFutureVersionAdds"] = new JsonObject { ["Nested"] = 42 };
        entity["Data"] = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);

        var second = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 2);
        try
        {
            var g = second.Client.GetGrain<IConversationGrain>(id);
            var status = await g.GetStatusAsync(user);
            Assert.Equal(user, status.OwnerId);
            Assert.Equal("", status.Locale);
            Assert.Equal(1, status.CurrentBranch.Length);
            Assert.Equal(Decision.Respond, (await g.SendAsync(user, "after-upgrade", "Still works?")).Turn.Decision);
        }
        finally
        {
            await ClusterFixture.StopAsync(second);
        }
    }
}
