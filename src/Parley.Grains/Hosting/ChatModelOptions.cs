using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Parley.Grains.Hosting;

/// <summary>
/// An OpenAI-compatible chat endpoint for <c>respond</c> replies (configuration section <c>Parley:ChatModel</c>):
/// Ollama (<c>http://localhost:11434/v1</c>), vLLM, a llama.cpp server, or a hosted API. Without an endpoint the
/// built-in, clearly labelled responder is used.
/// </summary>
public sealed class ChatModelOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:ChatModel";

    /// <summary>Base URL of the OpenAI-compatible API, e.g. <c>http://localhost:11434/v1</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model name, e.g. <c>llama3.2</c>.</summary>
    public string? Model { get; set; }

    /// <summary>The API key, if the endpoint needs one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Creates the <see cref="IChatClient"/> for this endpoint.</summary>
    public IChatClient CreateClient()
    {
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new InvalidOperationException($"{Section}:Model is required when {Section}:Endpoint is set.");
        }

        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(ApiKey) ? "not-needed" : ApiKey),
            new OpenAIClientOptions { Endpoint = new Uri(Endpoint!) });
        return client.GetChatClient(Model).AsIChatClient();
    }
}
