using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Grains.Tests;

/// <summary>
/// A minimal OpenAI-compatible chat-completions endpoint over real HTTP on a loopback port, standing in for a model server
/// (Ollama, vLLM, ...): it answers every request with <see cref="Reply"/> (as one completion, or as streamed pieces when the
/// request asks to stream), or with an error while <see cref="Failing"/> is set. It records the request bodies.
/// </summary>
public sealed class ChatCompletionsServer : IDisposable
{
    private readonly HttpListener _listener = new();

    public ChatCompletionsServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Endpoint = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        }

        _listener.Prefixes.Add(Endpoint);
        _listener.Start();
        _ = ServeAsync();
    }

    /// <summary>The base URL to configure (<c>.../v1</c>).</summary>
    public string Endpoint { get; }

    /// <summary>The reply, in the pieces a streaming request receives them in.</summary>
    public string[] Reply { get; set; } = ["OK"];

    public volatile bool Failing;

    /// <summary>While set, every request is held (unanswered) until it completes: a model that hangs.</summary>
    public volatile TaskCompletionSource? Hold;

    /// <summary>Released once per request received (before it is held or answered).</summary>
    public SemaphoreSlim Arrived { get; } = new(0);

    public ConcurrentQueue<string> Requests { get; } = new();

    public void Dispose() => _listener.Stop();

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
            Requests.Enqueue(request);
            Arrived.Release();
            if (Hold is { } hold)
            {
                await hold.Task;
            }

            context.Response.ContentType = "application/json";
            if (Failing)
            {
                context.Response.StatusCode = 400; // not retried by the client, so failures are quick
                await WriteAsync(context, """{"error":{"message":"model overloaded","type":"invalid_request_error"}}""");
            }
            else if (JsonNode.Parse(request)?["stream"]?.GetValue<bool>() == true)
            {
                // The streaming protocol: one Server-Sent Event per piece, then [DONE].
                context.Response.ContentType = "text/event-stream";
                for (var i = 0; i < Reply.Length; i++)
                {
                    var chunk = JsonSerializer.Serialize(new
                    {
                        id = "chatcmpl-test",
                        @object = "chat.completion.chunk",
                        created = 1_700_000_000,
                        model = "test-model",
                        choices = new[] { new { index = 0, delta = new { role = "assistant", content = Reply[i] }, finish_reason = i == Reply.Length - 1 ? "stop" : null } },
                    });
                    await WriteAsync(context, $"data: {chunk}\n\n", close: false);
                }

                await WriteAsync(context, "data: [DONE]\n\n");
            }
            else
            {
                await WriteAsync(context, JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-test",
                    @object = "chat.completion",
                    created = 1_700_000_000,
                    model = "test-model",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(Reply) }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
                }));
            }
        }
    }

    private static async Task WriteAsync(HttpListenerContext context, string body, bool close = true)
    {
        await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
        await context.Response.OutputStream.FlushAsync();
        if (close)
        {
            context.Response.Close();
        }
    }
}
