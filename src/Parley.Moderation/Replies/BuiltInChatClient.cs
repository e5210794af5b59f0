using Microsoft.Extensions.AI;

namespace Parley.Moderation.Replies;

/// <summary>
/// The reply source used when no chat model is configured. It does not pretend to understand the message:
/// every reply is clearly labelled as coming from the built-in responder, so the service and its safety
/// behaviour work out of the box without anyone mistaking the replies for a language model's.
/// </summary>
public sealed class BuiltInChatClient : IChatClient
{
    /// <summary>The label every built-in reply starts with.</summary>
    public const string Label = "[Built-in responder: no language model is configured]";

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var last = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var text = $"{Label} I received your message ({last.Length} characters). Parley is running without a chat model, " +
                   "so I can't give you a real answer; an operator can configure one under Parley:ChatModel. " +
                   "Your message was still checked by the conversation policy as usual.";
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { ModelId = "parley-built-in" });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose() { }
}
