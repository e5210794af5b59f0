using Microsoft.Extensions.AI;
using Parley.Moderation.Policy;

namespace Parley.Moderation.Replies;

/// <summary>One earlier exchange, given to the chat model as context.</summary>
public sealed record HistoryExchange(string User, string Assistant);

/// <summary>
/// Produces the assistant's reply for a policy decision. Ordinary replies come from the <see cref="IChatClient"/>;
/// every other decision gets a fixed text written here, so a chat model can never override or soften a decision.
/// </summary>
public sealed class ReplyComposer
{
    private const string SystemPrompt =
        "You are Parley, a helpful, honest assistant. Answer the user's latest message helpfully and concisely.";

    private readonly IChatClient _chat;
    private readonly ReplyOptions _options;

    /// <summary>Creates a composer over <paramref name="chat"/>.</summary>
    public ReplyComposer(IChatClient chat, ReplyOptions? options = null)
    {
        _chat = chat;
        _options = options ?? new ReplyOptions();
    }

    /// <summary>
    /// Composes the reply to <paramref name="userText"/>. Only <see cref="Decision.Respond"/> calls the chat model;
    /// its failures propagate (the caller stores nothing and reports the model unavailable).
    /// </summary>
    /// <remarks>When <c>onChunk</c> is given, the reply is streamed from the chat model and each piece is passed to it as it arrives.</remarks>
    public async Task<string> ComposeAsync(PolicyOutcome outcome, string userText, IReadOnlyList<HistoryExchange> history,
        string? locale, Func<string, Task>? onChunk = null, CancellationToken cancellationToken = default)
    {
        if (outcome.Decision != Decision.Respond)
        {
            var fixedText = FixedReply(outcome, locale);
            if (onChunk is not null)
            {
                await onChunk(fixedText).ConfigureAwait(false);
            }

            return fixedText;
        }

        var messages = new List<ChatMessage>(history.Count * 2 + 2) { new(ChatRole.System, SystemPrompt) };
        foreach (var h in history)
        {
            messages.Add(new ChatMessage(ChatRole.User, h.User));
            messages.Add(new ChatMessage(ChatRole.Assistant, h.Assistant));
        }

        messages.Add(new ChatMessage(ChatRole.User, userText));
        string text;
        if (onChunk is null)
        {
            text = (await _chat.GetResponseAsync(messages, cancellationToken: cancellationToken).ConfigureAwait(false)).Text;
        }
        else
        {
            var builder = new System.Text.StringBuilder();
            await foreach (var update in _chat.GetStreamingResponseAsync(messages, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var piece = update.Text;
                if (piece.Length > 0 && builder.Length < _options.MaxReplyLength)
                {
                    builder.Append(piece);
                    await onChunk(piece).ConfigureAwait(false);
                }
            }

            text = builder.ToString();
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            throw new InvalidOperationException("The chat model returned an empty reply.");
        }

        return text.Length <= _options.MaxReplyLength ? text : text[.._options.MaxReplyLength];
    }

    /// <summary>The fixed text for every decision but <see cref="Decision.Respond"/>.</summary>
    public string FixedReply(PolicyOutcome outcome, string? locale) => outcome.Decision switch
    {
        Decision.Redirect when outcome.Violation == Violation.HarmfulRequest =>
            "I can't help with that. It could seriously hurt people, and that's a line I hold. " +
            "If there's something behind the question I can help with (safety information, the history, a story that doesn't need real instructions), tell me and we'll go from there.",
        Decision.Redirect =>
            "I'd like to keep helping, but I won't carry on with insults. If something has gone wrong or I've been unhelpful, " +
            "tell me what you need and I'll do my best.",
        Decision.Warn when outcome.Violation == Violation.HarmfulRequest =>
            "I need to be direct: you've asked again for something that could seriously hurt people, and I won't provide it. " +
            "If you keep asking for it, I'll end this conversation. I'm glad to help with anything else.",
        Decision.Warn =>
            "I need to be direct: the insults aimed at me are the problem here. I'm still glad to help, " +
            "but if they continue I'll end this conversation. What do you need?",
        Decision.CrisisSupport => CrisisReply(locale),
        Decision.ConfirmEnd =>
            "Do you want me to end this conversation? Once it's ended it can't be continued, though you can always start a new one " +
            "or edit an earlier message to take it in another direction. Reply \"yes\" to end it, or just keep writing to carry on.",
        Decision.End => EndReply(outcome.EndReason ?? EndReason.UserRequested),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Decision, "Respond replies come from the chat model."),
    };

    private string CrisisReply(string? locale)
    {
        var resources = string.Join("\n", _options.ResourcesFor(locale).Select(r => "- " + r));
        return "I'm really glad you told me, and I'm sorry you're going through this. You don't have to face it alone, " +
               "and you deserve support right now.\n\n" +
               "Please reach out to someone who can help:\n" + resources + "\n\n" +
               "If you can, let someone near you know how you're feeling. I'm here, and we can keep talking.";
    }

    private static string EndReply(EndReason reason)
    {
        var why = reason switch
        {
            EndReason.PersistentAbuse =>
                "I've ended this conversation because the insults aimed at me continued after I asked you to stop and warned you that I would end it.",
            EndReason.PersistentHarmfulRequests =>
                "I've ended this conversation because the requests for content that could seriously hurt people continued after I declined and warned you that I would end it.",
            _ => "I've ended this conversation as you asked.",
        };
        return why + "\n\nWhat you can do now: start a new conversation; edit one of your earlier messages to continue from there on a new branch; " +
               "or tell us what you think with a thumbs up or down, or written feedback, especially if you think this ending was wrong.";
    }
}
