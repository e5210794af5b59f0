using Orleans.TestingHost;
using Parley.Abstractions;
using Parley.Grains.Hosting;
using Parley.Grains.Listings;
using Parley.Hosting;
using Microsoft.Extensions.Configuration;

namespace Parley.Grains.Tests.Storage;

/// <summary>A two-silo cluster whose every Parley store is memory storage behind <see cref="FaultyGrainStorage"/>.</summary>
public sealed class FaultyStorageFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(ClusterFixture.Settings).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => FaultyGrainStorage.AddFaultyParleyStorage(silo).AddParley(configuration));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public Task DisposeAsync() => ClusterFixture.StopAsync(Cluster);
}

/// <summary>
/// The one failed-storage policy (GuardedState), grain by grain: a failed read, or a write that failed before or after it
/// landed, answers storage_unavailable (a code, never the storage's message), loses nothing acknowledged, invents nothing,
/// and the retry succeeds.
/// </summary>
[Trait("Category", "cluster")]
public sealed class StorageFaultTests(FaultyStorageFixture fixture) : IClassFixture<FaultyStorageFixture>
{
    private static async Task AssertUnavailableAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<ServiceUnavailableException>(call);
        Assert.Equal(ErrorCodes.StorageUnavailable, error.Code);
        Assert.DoesNotContain("injected", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static string IdOf(TestConversation c) => c.Grain.GetPrimaryKeyString();

    [Fact]
    public async Task A_header_write_failing_after_the_chunk_was_written_stores_no_exchange_and_the_retry_stores_it_once()
    {
        var c = await TestConversation.StartAsync(fixture.Client);
        await c.Grain.SendAsync(c.UserId, "m1", "First question");

        using (FaultyGrainStorage.Fail(ParleyStorage.Conversations, StorageOperation.Write, IdOf(c), times: 1))
        {
            await AssertUnavailableAsync(() => c.Grain.SendAsync(c.UserId, "m2", "Second question"));
        }

        // The chunk holds the exchange, but the header (the commit point) does not count it: it does not exist.
        var afterFailure = await c.TranscriptAsync();
        Assert.Equal(1, afterFailure.Total);
        Assert.Equal(["m1"], afterFailure.Turns.Select(t => t.ClientMessageId));

        var retry = await c.Grain.SendAsync(c.UserId, "m2", "Second question");
        Assert.False(retry.Duplicate);
        Assert.Equal(new TurnId(0, 1), retry.Turn.Id);
        Assert.Equal(["m1", "m2"], (await c.TranscriptAsync()).Turns.Select(t => t.ClientMessageId));
    }

    [Fact]
    public async Task A_header_write_that_landed_but_reported_failure_is_found_by_the_retry_and_not_stored_twice()
    {
        var c = await TestConversation.StartAsync(fixture.Client);
        await c.Grain.SendAsync(c.UserId, "m1", "First question");

        using (FaultyGrainStorage.Fail(ParleyStorage.Conversations, StorageOperation.Write, IdOf(c), afterOperation: true, times: 1))
        {
            await AssertUnavailableAsync(() => c.Grain.SendAsync(c.UserId, "m2", "Second question"));
        }

        var retry = await c.Grain.SendAsync(c.UserId, "m2", "Second question");
        Assert.True(retry.Duplicate);
        Assert.Equal(new TurnId(0, 1), retry.Turn.Id);
        var transcript = await c.TranscriptAsync();
        Assert.Equal(2, transcript.Total);
        Assert.Equal(["m1", "m2"], transcript.Turns.Select(t => t.ClientMessageId));
    }

    [Fact]
    public async Task A_conversation_activated_while_its_storage_fails_reads_answers_storage_unavailable_then_recovers()
    {
        var c = await TestConversation.StartAsync(fixture.Client);
        await c.Grain.SendAsync(c.UserId, "m1", "First question");
        await c.Grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();

        using (FaultyGrainStorage.Fail(ParleyStorage.Conversations, StorageOperation.Read, IdOf(c)))
        {
            await AssertUnavailableAsync(() => c.Grain.GetStatusAsync(c.UserId));
            await AssertUnavailableAsync(() => c.Grain.SendAsync(c.UserId, "m2", "Second question"));
        }

        Assert.Equal(1, (await c.Grain.GetStatusAsync(c.UserId)).CurrentBranch.Length);
        await c.Grain.SendAsync(c.UserId, "m2", "Second question");
        Assert.Equal(["m1", "m2"], (await c.TranscriptAsync()).Turns.Select(t => t.ClientMessageId));
    }

    [Fact]
    public async Task A_failed_turn_chunk_read_or_rating_write_answers_storage_unavailable_and_changes_nothing()
    {
        var c = await TestConversation.StartAsync(fixture.Client);
        var turn = (await c.Grain.SendAsync(c.UserId, "m1", "First question")).Turn.Id;

        using (FaultyGrainStorage.Fail(ParleyStorage.Turns, StorageOperation.Write, IdOf(c), times: 1))
        {
            await AssertUnavailableAsync(() => c.Grain.RateAsync(c.UserId, turn, Rating.Up));
        }

        Assert.Equal(Rating.None, (await c.TranscriptAsync()).Turns.Single().Rating);

        // A new chunk is read before its first write: a failed read stores nothing.
        var fresh = await TestConversation.StartAsync(fixture.Client);
        using (FaultyGrainStorage.Fail(ParleyStorage.Turns, StorageOperation.Read, IdOf(fresh)))
        {
            await AssertUnavailableAsync(() => fresh.Grain.SendAsync(fresh.UserId, "f1", "Hello"));
        }

        Assert.Equal(0, (await fresh.TranscriptAsync()).Total);
        await fresh.Grain.SendAsync(fresh.UserId, "f1", "Hello");
        Assert.Equal(1, (await fresh.TranscriptAsync()).Total);

        Assert.Equal(Rating.Up, (await c.Grain.RateAsync(c.UserId, turn, Rating.Up)).Rating);
    }

    [Fact]
    public async Task A_start_whose_listing_fails_answers_storage_unavailable_and_its_retry_lists_the_conversation_once()
    {
        var user = "user-" + Guid.NewGuid().ToString("N")[..8];
        var grain = fixture.Client.GetGrain<IConversationGrain>(Guid.NewGuid().ToString("N"));
        using (FaultyGrainStorage.Fail(ParleyStorage.Directory, StorageOperation.Write, user, times: 1))
        {
            await AssertUnavailableAsync(() => grain.StartAsync(user, null, "Trip plans"));
        }

        await grain.StartAsync(user, null, "Trip plans");
        var list = await fixture.Client.GetGrain<IUserConversationsGrain>(user).ListAsync();
        var entry = Assert.Single(list);
        Assert.Equal(grain.GetPrimaryKeyString(), entry.ConversationId);
        Assert.Equal("Trip plans", entry.Title);
    }

    [Fact]
    public async Task A_first_message_that_committed_is_answered_even_when_titling_the_conversation_fails()
    {
        var c = await TestConversation.StartAsync(fixture.Client);
        using (FaultyGrainStorage.Fail(ParleyStorage.Directory, StorageOperation.Write, c.UserId))
        {
            var result = await c.Grain.SendAsync(c.UserId, "m1", "Help me plan a trip to Lisbon");
            Assert.Equal(new TurnId(0, 0), result.Turn.Id);
        }

        var entry = Assert.Single(await fixture.Client.GetGrain<IUserConversationsGrain>(c.UserId).ListAsync());
        Assert.Equal("", entry.Title);
        Assert.Equal(1, (await c.TranscriptAsync()).Total);
    }

    [Fact]
    public async Task A_first_message_titles_a_conversation_started_through_the_grain_contract()
    {
        var c = await TestConversation.StartAsync(fixture.Client);
        await c.Grain.SendAsync(c.UserId, "m1", "Help me plan a trip to Lisbon");
        var entry = Assert.Single(await fixture.Client.GetGrain<IUserConversationsGrain>(c.UserId).ListAsync());
        Assert.Equal(IdOf(c), entry.ConversationId);
        Assert.Equal(InputRules.TitleFrom("Help me plan a trip to Lisbon"), entry.Title);
    }

    [Fact]
    public async Task A_rating_whose_totals_write_fails_is_refused_and_its_retry_is_counted_once()
    {
        // The totals are exact when read (prepared rating changes are settled first), so no waiting for flushes here.
        var totals = fixture.Client.GetGrain<IFeedbackGrain>(0);
        var c = await TestConversation.StartAsync(fixture.Client);
        var turn = (await c.Grain.SendAsync(c.UserId, "m1", "First question")).Turn.Id;
        var before = (await totals.GetTotalsAsync()).Overall.Up;

        // The change is prepared with the totals (a durable write) before it is stored: when that write fails, nothing is
        // stored and the caller is told to retry; when it lands but the caller sees a failure, the retry finds it prepared.
        using (FaultyGrainStorage.Fail(ParleyStorage.Feedback, StorageOperation.Write, "feedback", times: 1))
        {
            var refused = await Assert.ThrowsAsync<ServiceUnavailableException>(() => c.Grain.RateAsync(c.UserId, turn, Rating.Up));
            Assert.Equal(ErrorCodes.StorageUnavailable, refused.Code);
        }

        Assert.Equal(Rating.None, (await c.TranscriptAsync()).Turns[0].Rating);
        using (FaultyGrainStorage.Fail(ParleyStorage.Feedback, StorageOperation.Write, "feedback", afterOperation: true, times: 1))
        {
            await Assert.ThrowsAsync<ServiceUnavailableException>(() => c.Grain.RateAsync(c.UserId, turn, Rating.Up));
        }

        Assert.Equal(Rating.Up, (await c.Grain.RateAsync(c.UserId, turn, Rating.Up)).Rating);
        Assert.Equal(Rating.Up, (await c.Grain.RateAsync(c.UserId, turn, Rating.Up)).Rating); // a repeated vote changes nothing
        Assert.Equal(before + 1, (await totals.GetTotalsAsync()).Overall.Up);
    }

    [Fact]
    public async Task An_audit_shard_whose_write_fails_answers_storage_unavailable_and_loses_no_acknowledged_ending()
    {
        // A log of its own (a random key), its endings all recorded in one shard, so every write carries the earlier ones.
        var log = Random.Shared.NextInt64(1, long.MaxValue);
        var shard = EndingAuditShards.Shard(fixture.Client, log, 3);
        var audit = fixture.Client.GetGrain<IEndingAuditGrain>(log);
        var shardId = $"/{log}/";
        var second = 0;
        EndingAuditEntry Entry(string id) => new() { ConversationId = id, OwnerId = "u", End = new EndRecord { EndedOn = DateTimeOffset.UnixEpoch.AddSeconds(++second) } };
        async Task<string[]> ReadAsync() => [.. (await audit.GetRecentAsync(1000)).Select(e => e.ConversationId)];

        var (a1, a2, f1, f2) = (Entry("a1"), Entry("a2"), Entry("f1"), Entry("f2"));
        await shard.RecordAsync(a1);
        await shard.RecordAsync(a2);
        using (FaultyGrainStorage.Fail(ParleyStorage.Audit, StorageOperation.Write, shardId, times: 1))
        {
            await AssertUnavailableAsync(() => shard.RecordAsync(f1));
        }

        Assert.Equal(["a2", "a1"], await ReadAsync());   // nothing acknowledged lost, nothing unstored shown
        using (FaultyGrainStorage.Fail(ParleyStorage.Audit, StorageOperation.Write, shardId, afterOperation: true, times: 1))
        {
            await AssertUnavailableAsync(() => shard.RecordAsync(f2));
        }

        Assert.Equal(["f2", "a2", "a1"], await ReadAsync());   // it landed: read back from storage
        await shard.RecordAsync(f1);
        await shard.RecordAsync(f2);   // a repeat: ignored
        Assert.Equal(["f2", "f1", "a2", "a1"], await ReadAsync());

        // Endings waiting on one coalesced write that fails all fail; whatever was acknowledged is kept, and the retries land once.
        var burst = Enumerable.Range(0, 12).Select(i => Entry($"c{i}")).ToList();
        Task[] calls;
        using (FaultyGrainStorage.Fail(ParleyStorage.Audit, StorageOperation.Write, shardId, times: 1))
        {
            calls = [.. burst.Select(shard.RecordAsync)];
            await Task.WhenAll(calls).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Assert.Contains(calls, c => c.IsFaulted);
        Assert.All(calls.Where(c => c.IsFaulted), c => Assert.Equal(ErrorCodes.StorageUnavailable, Assert.IsType<ServiceUnavailableException>(c.Exception!.InnerException).Code));
        var acknowledged = burst.Where((_, i) => calls[i].IsCompletedSuccessfully).Select(e => e.ConversationId).ToList();
        Assert.Superset(acknowledged.ToHashSet(), (await ReadAsync()).ToHashSet());
        await Task.WhenAll(burst.Select(shard.RecordAsync));
        Assert.Equal(burst.Select(e => e.ConversationId).Reverse().Concat(["f2", "f1", "a2", "a1"]), await ReadAsync());

        // A shard that cannot read its state answers the operators' read with storage_unavailable too.
        await shard.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        using (FaultyGrainStorage.Fail(ParleyStorage.Audit, StorageOperation.Read, shardId))
        {
            await AssertUnavailableAsync(() => audit.GetRecentAsync(10));
        }

        Assert.Equal(16, (await ReadAsync()).Length);
    }
}
