using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Parley.Abstractions;
using Parley.Grains.Hosting;
using Parley.Hosting;

namespace Parley.Grains.Tests.Durability;

[Collection(DurableCollection.Name)]
[Trait("Category", "storage")]
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

    // StoredPolicyState, the int Violation and StoredExchange's own field list became PolicyState, Violation and
    // StoredExchange : TurnView; TotalRecorded left the audit state. State stored by the code before that change
    // (OldFormat/*.json, captured from Azurite) must load and keep working: the ended branch, its evidence, the rating, the
    // policy state an edit starts from, and the audit log.
    [Fact]
    public async Task State_stored_before_the_domain_types_were_unified_loads_and_keeps_working()
    {
        const string user = "olduser";
        var id = "old" + Guid.NewGuid().ToString("N")[..20];
        var first = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 1);
        try
        {
            var c = new TestConversation(first.Client, user, id);
            await c.Grain.StartAsync(user, "en-GB");
            await c.SendAsync("Creates the chunk entity that the old one replaces.");
        }
        finally
        {
            await ClusterFixture.StopAsync(first);
        }

        var tables = new TableServiceClient(storage.Azurite.ConnectionString);
        await ReplaceDataAsync(tables, ParleyStorage.Conversations, $"_conversation_{id}", "header.json");
        await ReplaceDataAsync(tables, ParleyStorage.Turns, $"_turnchunk_{id}_0_0", "chunk.json");
        await ReplaceDataAsync(tables, ParleyStorage.Audit, "_endingaudit_0", "audit.json");

        var second = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 1);
        try
        {
            var g = second.Client.GetGrain<IConversationGrain>(id);
            var status = await g.GetStatusAsync(user);
            Assert.Equal(4, status.CurrentBranch.Length);
            var end = status.CurrentBranch.End;
            Assert.NotNull(end);
            Assert.Equal(EndReason.PersistentAbuse, end.Reason);
            Assert.Equal([new TurnId(0, 1), new TurnId(0, 2), new TurnId(0, 3)], end.LeadingTurns);
            Assert.Equal(Target.Assistant, end.Evidence[0].Target);
            Assert.Equal("", end.Rationale);

            var turns = (await g.GetTranscriptAsync(user, null, 0, 10)).Turns;
            Assert.Equal([Decision.Respond, Decision.Redirect, Decision.Warn, Decision.End], turns.Select(t => t.Decision));
            Assert.Equal(Rating.Up, turns[0].Rating);
            Assert.Equal(EndReason.PersistentAbuse, turns[3].EndReason);
            Assert.Equal("msg-2", turns[1].ClientMessageId);
            Assert.True((await g.SendAsync(user, "msg-2", "ignored: a retry")).Duplicate);

            // Editing the last turn forks from the stored policy state after turn 2 (two abuse strikes): one more insult ends
            // the new branch at once, which only happens if that state was read back.
            var edit = await g.EditAsync(user, new TurnId(0, 3), "edit-1", "Fuck you, garbage machine.");
            Assert.Equal(Decision.End, edit.Turn.Decision);

            // The old whole log (key 0's own state) is still read, merged after the ending recorded since in a shard.
            var audit = await second.Client.GetGrain<IEndingAuditGrain>(0).GetRecentAsync(1000);
            var old = Assert.Single(audit, e => e.ConversationId == "3b64cc748af64271bc2f22d9fcaa4a95");
            Assert.Equal((user, 0, EndReason.PersistentAbuse), (old.OwnerId, old.BranchId, old.End.Reason));
            var recorded = audit.ToList().FindIndex(e => e.ConversationId == id && e.BranchId == edit.BranchId);
            Assert.InRange(recorded, 0, audit.ToList().IndexOf(old) - 1);
        }
        finally
        {
            await ClusterFixture.StopAsync(second);
        }
    }

    private static async Task ReplaceDataAsync(TableServiceClient tables, string store, string partitionKeyEnd, string file)
    {
        var table = tables.GetTableClient(ParleyInfrastructure.TableName(store));
        await table.CreateIfNotExistsAsync();
        var json = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Durability", "OldFormat", file));
        TableEntity? entity = null;
        await foreach (var e in table.QueryAsync<TableEntity>())
        {
            if (e.PartitionKey.EndsWith(partitionKeyEnd, StringComparison.Ordinal))
            {
                entity = e;
            }
        }

        if (entity is null)
        {
            var serviceId = DurableCluster.ServiceId;
            entity = new TableEntity($"{serviceId}{partitionKeyEnd}", store == ParleyStorage.Audit ? "endings" : store == ParleyStorage.Turns ? "chunk" : "header");
        }

        entity["Data"] = System.Text.Encoding.UTF8.GetBytes(json);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace);
    }
}
