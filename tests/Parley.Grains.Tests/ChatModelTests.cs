using Orleans.TestingHost;
using Parley.Abstractions;

namespace Parley.Grains.Tests;

/// <summary>
/// A configured OpenAI-compatible chat model, served over real HTTP by a minimal local endpoint that answers the
/// chat-completions protocol: the model words ordinary replies, but never the policy's decisions.
/// </summary>
[Trait("Category", "cluster")]
public sealed class ChatModelTests : IAsyncLifetime
{
    private const string ModelReply = "Knead the dough, let it proof, then bake it hot.";
    private static readonly string[] ModelPieces = ["Knead the dough, ", "let it proof, ", "then bake it hot."];
    private readonly ChatCompletionsServer _model = new() { Reply = ModelPieces };
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ClusterFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Parley:ChatModel:Endpoint"] = _model.Endpoint + "v1",
            ["Parley:ChatModel:Model"] = "test-model",
            ["Parley:Conversation:ChatTimeout"] = "00:00:10",
        });
    }

    public async Task DisposeAsync()
    {
        await ClusterFixture.StopAsync(_cluster);
        _model.Dispose();
    }

    [Fact]
    public async Task The_model_words_ordinary_replies_and_the_policy_keeps_its_own_texts()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        var ordinary = await c.SendAsync("How do I bake bread?");
        Assert.Equal(Decision.Respond, ordinary.Turn.Decision);
        Assert.Equal(ModelReply, ordinary.Turn.Reply);
        Assert.Contains(_model.Requests, r => r.Contains("How do I bake bread?", StringComparison.Ordinal) && r.Contains("test-model", StringComparison.Ordinal));

        var asked = _model.Requests.Count;
        var redirect = await c.SendAsync("You are a useless piece of shit.");
        Assert.Equal(Decision.Redirect, redirect.Turn.Decision);
        Assert.NotEqual(ModelReply, redirect.Turn.Reply);
        Assert.Equal(asked, _model.Requests.Count);
    }

    [Fact]
    public async Task A_failing_model_stores_nothing_and_reports_the_assistant_unavailable()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        _model.Failing = true;
        try
        {
            var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => c.Grain.SendAsync(c.UserId, "retry-me", "Hello?"));
            Assert.Equal(ErrorCodes.AssistantUnavailable, error.Code);
            Assert.Equal(0, (await c.TranscriptAsync()).Total);
        }
        finally
        {
            _model.Failing = false;
        }

        Assert.Equal(ModelReply, (await c.Grain.SendAsync(c.UserId, "retry-me", "Hello?")).Turn.Reply);
    }

    [Fact]
    public async Task A_streamed_reply_arrives_piece_by_piece_after_the_decision_and_is_stored_whole()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        var observer = new RecordingObserver();
        var reference = _cluster.Client.CreateObjectReference<IReplyObserver>(observer);
        var result = await c.Grain.SendStreamingAsync(c.UserId, "streamed", "How do I bake bread?", reference);

        Assert.Equal(ModelReply, result.Turn.Reply);
        Assert.Equal($"decision {result.Turn.Id} respond", observer.Events[0]);
        Assert.Equal(ModelPieces.Select(p => "chunk " + p), observer.Events.Skip(1));

        // Decisions the policy takes arrive the same way, with its own text as one piece.
        var redirect = new RecordingObserver();
        var reference2 = _cluster.Client.CreateObjectReference<IReplyObserver>(redirect);
        var refused = await c.Grain.SendStreamingAsync(c.UserId, "streamed-2", "You are a useless piece of shit.", reference2);
        Assert.Equal(["decision " + refused.Turn.Id + " redirect", "chunk " + refused.Turn.Reply], redirect.Events);
    }

    private sealed class RecordingObserver : IReplyObserver
    {
        public List<string> Events { get; } = [];

        public Task OnDecisionAsync(TurnId turn, Decision decision, EndReason? endReason)
        {
            lock (Events)
            {
                Events.Add($"decision {turn} {decision.Name()}");
            }

            return Task.CompletedTask;
        }

        public Task OnChunkAsync(string text)
        {
            lock (Events)
            {
                Events.Add("chunk " + text);
            }

            return Task.CompletedTask;
        }
    }
}
