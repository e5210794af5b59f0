using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Parley.Abstractions;
using Parley.Grains.Hosting;

namespace Parley.Grains.Tests;

/// <summary>
/// A configured OpenAI-compatible chat model, served over real HTTP by a minimal local endpoint that answers the
/// chat-completions protocol: the model words ordinary replies, but never the policy's decisions.
/// </summary>
public sealed class ChatModelTests : IAsyncLifetime
{
    private const string ModelReply = "Knead the dough, let it proof, then bake it hot.";
    private static readonly string[] ModelPieces = ["Knead the dough, ", "let it proof, ", "then bake it hot."];
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private InProcessTestCluster _cluster = null!;
    private volatile bool _failing;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = ServeAsync();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parley:ChatModel:Endpoint"] = $"http://127.0.0.1:{port}/v1",
            ["Parley:ChatModel:Model"] = "test-model",
            ["Parley:Conversation:ChatTimeout"] = "00:00:10",
        }).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddParleyMemoryStorage().AddParley(configuration));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _listener.Stop();
    }

    [Fact]
    public async Task The_model_words_ordinary_replies_and_the_policy_keeps_its_own_texts()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        var ordinary = await c.SendAsync("How do I bake bread?");
        Assert.Equal(Decision.Respond, ordinary.Turn.Decision);
        Assert.Equal(ModelReply, ordinary.Turn.Reply);
        Assert.Contains(_requests, r => r.Contains("How do I bake bread?", StringComparison.Ordinal) && r.Contains("test-model", StringComparison.Ordinal));

        var asked = _requests.Count;
        var redirect = await c.SendAsync("You are a useless piece of shit.");
        Assert.Equal(Decision.Redirect, redirect.Turn.Decision);
        Assert.NotEqual(ModelReply, redirect.Turn.Reply);
        Assert.Equal(asked, _requests.Count);
    }

    [Fact]
    public async Task A_failing_model_stores_nothing_and_reports_the_assistant_unavailable()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        _failing = true;
        try
        {
            var error = await Assert.ThrowsAsync<ServiceUnavailableException>(() => c.Grain.SendAsync(c.UserId, "retry-me", "Hello?"));
            Assert.Equal(ErrorCodes.AssistantUnavailable, error.Code);
            Assert.Equal(0, (await c.TranscriptAsync()).Total);
        }
        finally
        {
            _failing = false;
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

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var request = await reader.ReadToEndAsync();
            _requests.Enqueue(request);
            if (!_failing && JsonNode.Parse(request)?["stream"]?.GetValue<bool>() == true)
            {
                // The chat-completions streaming protocol: one Server-Sent Event per piece, then [DONE].
                context.Response.ContentType = "text/event-stream";
                foreach (var (piece, i) in ModelPieces.Select((p, i) => (p, i)))
                {
                    var chunk = JsonSerializer.Serialize(new
                    {
                        id = "chatcmpl-test",
                        @object = "chat.completion.chunk",
                        created = 1_700_000_000,
                        model = "test-model",
                        choices = new[] { new { index = 0, delta = new { role = "assistant", content = piece }, finish_reason = i == ModelPieces.Length - 1 ? "stop" : null } },
                    });
                    await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes($"data: {chunk}\n\n"));
                    await context.Response.OutputStream.FlushAsync();
                }

                await context.Response.OutputStream.WriteAsync("data: [DONE]\n\n"u8.ToArray());
                context.Response.Close();
                continue;
            }

            var body = _failing
                ? """{"error":{"message":"model overloaded","type":"server_error"}}"""
                : JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-test",
                    @object = "chat.completion",
                    created = 1_700_000_000,
                    model = "test-model",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = ModelReply }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
                });
            context.Response.StatusCode = _failing ? 400 : 200;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
