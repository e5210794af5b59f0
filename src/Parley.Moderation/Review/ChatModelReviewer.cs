using System.Text.Json;
using Microsoft.Extensions.AI;
using Parley.Moderation.Classification;

namespace Parley.Moderation.Review;

/// <summary>
/// A language-model judge over any <see cref="IChatClient"/>: it re-scores the decisive categories, the target and the
/// risk flag of an uncertain message. End requests, profanity and "yes" stay with the first stage. A reply that is not
/// the JSON asked for is treated as no opinion.
/// </summary>
public sealed class ChatModelReviewer(IChatClient chat) : IClassificationReviewer
{
    private const string Instructions =
        "You are a content-safety judge for a chat assistant. Rate the user's LAST message (earlier messages are context). " +
        "Reply with one JSON object and nothing else, scores from 0 to 1: " +
        "{\"harassment\":0,\"threat\":0,\"hate\":0,\"sexual_minors\":0,\"violent_extremism\":0,\"mass_casualty_weapons\":0," +
        "\"violence\":0,\"self_harm_ideation\":0,\"self_harm_intent\":0,\"self_harm_instructions\":0," +
        "\"target\":\"assistant|person_or_group|nothing\",\"imminent_risk\":false}. " +
        "Harm categories mean REQUESTS for or intent of harm, not discussion of history, fiction, medicine or security. " +
        "Swearing about a bug or at oneself is not harassment; ordinary rudeness scores low; target is whom the message attacks.";

    private static readonly HarmCategory[] SelfHarm =
        [HarmCategory.SelfHarmIdeation, HarmCategory.SelfHarmIntent, HarmCategory.SelfHarmInstructions];

    public string Name => "chat-model-judge";

    public async Task<MessageClassification?> ReviewAsync(string text, IReadOnlyList<string> recentUserMessages, MessageClassification first,
        CancellationToken cancellationToken)
    {
        var prompt = recentUserMessages.Count == 0
            ? $"Last message:\n{text}"
            : $"Earlier messages:\n{string.Join("\n", recentUserMessages.Select(m => "- " + m))}\n\nLast message:\n{text}";
        var response = await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, prompt)],
            new ChatOptions { Temperature = 0 }, cancellationToken).ConfigureAwait(false);
        return Parse(response.Text, first);
    }

    /// <summary>Reads the judge's JSON (the first object in the reply); null when there is none.</summary>
    public static MessageClassification? Parse(string reply, MessageClassification first)
    {
        var start = reply.IndexOf('{');
        var end = reply.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(reply.AsMemory(start, end - start + 1));
            var o = doc.RootElement;
            var scores = (double[])first.Scores.Clone();
            foreach (var category in ReviewOptions.Decisive)
            {
                if (o.TryGetProperty(category.Name(), out var v) && v.ValueKind == JsonValueKind.Number)
                {
                    var judged = Math.Clamp(v.GetDouble(), 0, 1);
                    // Risk is asymmetric: the judge may raise self-harm signals but never talk them down.
                    scores[(int)category] = SelfHarm.Contains(category) ? Math.Max(judged, scores[(int)category]) : judged;
                }
            }

            var target = o.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString() switch
                {
                    "assistant" => MessageTarget.Assistant,
                    "person_or_group" => MessageTarget.PersonOrGroup,
                    "nothing" => MessageTarget.Nothing,
                    _ => first.Target,
                }
                : first.Target;
            var risk = first.ImminentRisk || (o.TryGetProperty("imminent_risk", out var r) && r.ValueKind == JsonValueKind.True);
            return new MessageClassification(scores, target, risk, first.Affirmative, first.Declines) { Hesitates = first.Hesitates };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
