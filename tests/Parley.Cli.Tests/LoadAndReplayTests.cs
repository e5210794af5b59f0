using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Abstractions;
using Parley.Cli;
using Parley.Cli.Load;
using Parley.Grains.Conversations;
using Parley.Grains.Diagnostics;

namespace Parley.Cli.Tests;

/// <summary>
/// <c>parley load</c> and <c>parley replay</c>'s resume and retry behaviour, on the shared two-silo cluster. Nothing here
/// asserts a time or a rate: the load generator's figures are measured by running it (docs/performance.md).
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "cluster")]
public sealed class LoadAndReplayTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Load_plays_the_whole_mix_and_reports_every_decision_the_baselines_and_their_ratios()
    {
        var report = await LoadCommand.RunAsync(fixture.Client, new LoadCommand.Settings
        {
            // Long enough for every script to finish at least once with the semantic stage (~10-30 ms a message on a quiet
            // machine; 10 s was not enough for an abuse script to reach its refused message at a load average of 20).
            Users = 8, DurationSeconds = 20, BaselineSeconds = 1,
            WarmupSeconds = 0, Live = false,
        });

        Assert.Equal(["bare round trip", "storage-bound", "send path (mix)"], report.Phases.Select(p => p.Name));
        Assert.Equal(2, report.Silos);
        var mix = report.Phases[^1];
        Assert.Equal(0, mix.Failed);
        Assert.Empty(mix.Errors);
        // Every kind of outcome the mix is built to produce, including refusals after an end, edits and ratings.
        foreach (var label in new[] { "respond", "redirect", "warn", "end", "crisis_support", "confirm_end", "rejected", "start", "rate", "feedback" })
        {
            Assert.True(mix.Latency.TryGetValue(label, out var l) && l.Count > 0, $"no '{label}' in {string.Join(", ", mix.Latency.Keys)}");
        }

        Assert.Equal(mix.Sends, mix.SendLatency.Count);
        Assert.Equal(mix.Sends, mix.Latency.Where(l => l.Key is not ("rejected" or "start" or "rate" or "feedback")).Sum(l => l.Value.Count));
        Assert.All(report.Phases.Take(2), p => Assert.True(p.Sends > 0 && p.Failed == 0));
        Assert.NotNull(report.Ratios);
        Assert.True(report.ClassifierMicroseconds > 0);
    }

    [Fact]
    public void The_mix_schedule_follows_the_weights_and_plays_every_kind_early()
    {
        var schedule = LoadMix.Schedule(LoadMix.Default);

        Assert.Equal(LoadMix.Default.ToDictionary(s => s.Kind, s => s.Weight), schedule.CountBy(s => s.Kind).ToDictionary());
        Assert.Equal(LoadMix.Default.Count, schedule.Take(8).DistinctBy(s => s.Kind).Count());
    }

    [Fact]
    public async Task The_storage_bound_probe_writes_a_real_turn_chunk_and_header_per_call()
    {
        var key = "load-probe-test-" + Guid.NewGuid().ToString("N");
        var probe = fixture.Client.GetGrain<ILoadProbeGrain>(key);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i + 1, await probe.WriteAsync("u", $"m{i}", $"message {i}"));
        }

        // TurnsPerChunk is 8 in the fixture: depths 0-7 in chunk 0, 8-9 in chunk 1.
        var first = await fixture.Client.GetGrain<ITurnChunkGrain>(TurnChunkGrain.KeyFor(key, 0, 0)).GetAsync(0, 10);
        var second = await fixture.Client.GetGrain<ITurnChunkGrain>(TurnChunkGrain.KeyFor(key, 0, 1)).GetAsync(0, 10);
        Assert.Equal(Enumerable.Range(0, 8), first.Select(e => e.Id.Depth));
        Assert.Equal([8, 9], second.Select(e => e.Id.Depth));
        Assert.Equal("message 9", second[1].UserText);
        Assert.Equal(0, await probe.PingAsync("u", "x", ""));
    }

    [Fact]
    public async Task Replaying_with_the_same_run_id_resumes_the_same_conversations_without_duplicating_turns()
    {
        var scenarios = new List<ReplayCommand.Scenario>
        {
            new(JsonDocument.Parse("\"polite\"").RootElement, ["Hello there.", "Can you help me with a recipe?"]),
            new(JsonDocument.Parse("7").RootElement, ["You useless piece of shit.", "Shut up, you stupid bot.", "Fuck you, garbage machine.", "Hello?"]),
        };
        var runId = Guid.NewGuid().ToString("N")[..8];

        var first = await ReplayCommand.PlayAllAsync(fixture.Client, scenarios, runId, concurrency: 2);
        var again = await ReplayCommand.PlayAllAsync(fixture.Client, scenarios, runId, concurrency: 2);

        var (a, b) = (first.Select(Json).ToList(), again.Select(Json).ToList());
        Assert.Equal([ReplayCommand.ConversationId(runId, 0), ReplayCommand.ConversationId(runId, 1)], a.Select(l => (string)l["conversationId"]!));
        Assert.Equal(a.Select(l => (string)l["conversationId"]!), b.Select(l => (string)l["conversationId"]!));
        Assert.All(a, l => Assert.False((bool)l["resumed"]!));
        Assert.All(b, l => Assert.True((bool)l["resumed"]!));
        Assert.Equal(a.Select(l => l["turns"]!.ToJsonString()), b.Select(l => l["turns"]!.ToJsonString()));
        Assert.Equal(["redirect", "warn", "end", "rejected"], b[1]["turns"]!.AsArray().Select(t => (string)t!["decision"]!));

        // Storage holds each message once: 2 exchanges, and 3 (the refused fourth was never stored).
        for (var i = 0; i < 2; i++)
        {
            var page = await fixture.Client.GetGrain<IConversationGrain>(ReplayCommand.ConversationId(runId, i)).GetTranscriptAsync("replay", null, 0, 100);
            Assert.Equal(i == 0 ? 2 : 3, page.Total);
            Assert.Equal(page.Total, page.Turns.Select(t => t.ClientMessageId).Distinct().Count());
        }
    }

    [Fact]
    public async Task Transient_errors_are_retried_until_the_call_succeeds_and_counted()
    {
        var attempts = 0;
        var seen = new List<string>();
        var result = await Transient.RetryAsync(() => ++attempts switch
        {
            1 => throw new SiloUnavailableException(),
            2 => throw new ServiceUnavailableException(ErrorCodes.StorageUnavailable, "down"),
            3 => throw new TimeoutException(),
            _ => Task.FromResult(attempts),
        }, ex => seen.Add(Transient.Code(ex)), Delays(5));

        Assert.Equal(4, result);
        Assert.Equal(["SiloUnavailableException", "storage_unavailable", "TimeoutException"], seen);
    }

    [Fact]
    public async Task Other_errors_are_not_retried_and_retries_give_up_after_the_last_delay()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<ConversationEndedException>(() => Transient.RetryAsync<int>(() =>
        {
            attempts++;
            throw new ConversationEndedException("c", 0, EndReason.PersistentAbuse);
        }, delays: Delays(5)));
        Assert.Equal(1, attempts);

        attempts = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(() => Transient.RetryAsync<int>(() =>
        {
            attempts++;
            throw new SiloUnavailableException();
        }, delays: Delays(3)));
        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task Load_with_verify_finds_every_acknowledged_turn_stored_once()
    {
        var report = await LoadCommand.RunAsync(fixture.Client, new LoadCommand.Settings
        {
            Users = 4, DurationSeconds = 4, WarmupSeconds = 0, Baselines = false, Verify = true, Live = false,
        });

        var v = Assert.IsType<LoadVerification>(report.Verification);
        Assert.Equal(report.Phases[^1].Sends, v.Acknowledged);
        Assert.True(v.Acknowledged > 0 && v.Conversations > 0);
        Assert.Equal((0, 0, 0), (v.Lost, v.Duplicated, v.Unreadable));
        Assert.True(report.Phases[^1].Timeline.Sum(t => t.Sends) == report.Phases[^1].Sends, "the timeline accounts for every send");
    }

    // A fake target (a unit test of LoadVerification alone): storage that lost one acknowledged turn, stored another twice
    // and holds one turn whose answer never reached the client.
    private sealed class StoredTurns(IReadOnlyList<StoredTurn> turns) : ILoadTarget
    {
        public string Transport => "fake";
        public Task<string> StartAsync(string key, string userId) => throw new NotSupportedException();
        public Task<LoadTurn> SendAsync(string conversationId, string userId, string clientMessageId, string text) => throw new NotSupportedException();
        public Task<LoadTurn> EditAsync(string conversationId, string userId, string turnId, string clientMessageId, string text) => throw new NotSupportedException();
        public Task RateAsync(string conversationId, string userId, string turnId, bool up) => throw new NotSupportedException();
        public Task FeedbackAsync(string conversationId, string userId, string text) => throw new NotSupportedException();
        public Task<IReadOnlyList<StoredTurn>> ReadAllTurnsAsync(string conversationId, string userId) => Task.FromResult(turns);
    }

    [Fact]
    public async Task Verification_counts_lost_duplicated_and_unacknowledged_turns()
    {
        var target = new StoredTurns([new("0.0", "m0"), new("0.1", "m1"), new("0.2", "m1"), new("0.3", "m9")]);
        var acknowledged = new[] { ("m0", "0.0"), ("m1", "0.1"), ("m2", "0.2") }
            .Select(a => new AcknowledgedTurn("c", "u", a.Item1, a.Item2)).ToList();

        var v = await LoadVerification.CheckAsync(target, acknowledged);

        Assert.Equal(3, v.Acknowledged);
        Assert.Equal(1, v.Lost);              // m2 acknowledged as 0.2, but 0.2 holds m1
        Assert.Equal(1, v.Duplicated);        // m1 stored twice
        Assert.Equal(1, v.StoredUnacknowledged); // m9
    }

    private static TimeSpan[] Delays(int n) => Enumerable.Repeat(TimeSpan.FromMilliseconds(1), n).ToArray();

    private static JsonNode Json(ReplayCommand.Played played) => JsonNode.Parse(JsonSerializer.Serialize(played.Line, JsonLines.Output))!;
}
