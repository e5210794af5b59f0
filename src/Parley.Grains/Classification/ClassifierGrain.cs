using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Parley.Abstractions;
using Parley.Moderation.Classification;
using Parley.Moderation.Review;

namespace Parley.Grains.Classification;

/// <summary>The stateless classifier worker pool (silo-internal: only conversations and the health check call it).</summary>
[Alias("parley.IClassifierGrain")]
public interface IClassifierGrain : IGrainWithIntegerKey
{
    /// <summary>Classifies <paramref name="text"/> given the previous user messages of its branch, oldest first.</summary>
    [Alias("Classify")]
    Task<ClassifierEvidence> ClassifyAsync(string text, IReadOnlyList<string> recentUserMessages);
}

/// <summary>
/// The classifier worker pool: a stateless worker, so each silo runs as many local activations as it has cores
/// and a conversation's classification never leaves its silo.
/// </summary>
/// <remarks>
/// Reentrant (it holds no state): a call waiting for the sentence encoder does not hold its activation, so every message
/// waiting on a silo queues at the encoder, which runs them in batches (<c>SentenceEmbedder.EmbedAsync</c>). Non-reentrant,
/// at most one message per core could wait there, and the encoder ran one text at a time.
/// When a reviewer (a language-model judge) is configured, results in the uncertain band get a second opinion within
/// <see cref="ReviewOptions.Timeout"/>; a failed or late review keeps the first stage's result.
/// </remarks>
[StatelessWorker]
[Reentrant]
public sealed class ClassifierGrain(
    IMessageClassifier classifier,
    IOptions<ReviewOptions> reviewOptions,
    ILogger<ClassifierGrain> logger,
    IClassificationReviewer? reviewer = null) : Grain, IClassifierGrain
{
    // Reflection on the classifier's assembly: once per activation, not once per message.
    private readonly string _version = ClassifierVersion.Of(classifier);

    public async Task<ClassifierEvidence> ClassifyAsync(string text, IReadOnlyList<string> recentUserMessages)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await classifier.ClassifyAsync(text, recentUserMessages);
        ParleyMetrics.ClassifierLatency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var version = _version;
        if (reviewer is not null && reviewOptions.Value.IsUncertain(result))
        {
            try
            {
                using var timeout = new CancellationTokenSource(reviewOptions.Value.Timeout);
                if (await reviewer.ReviewAsync(text, recentUserMessages, result, timeout.Token).WaitAsync(timeout.Token) is { } reviewed)
                {
                    result = reviewed;
                    version += "+" + reviewer.Name;
                }
            }
            catch (Exception ex)
            {
                logger.LogInformation(ex, "Classification review failed; keeping the first stage's result");
            }
        }

        return EvidenceMapping.ToEvidence(result, version);
    }
}

/// <summary>Converts between the classifier's plain result and the serializable evidence stored with each turn.</summary>
public static class EvidenceMapping
{
    public static ClassifierEvidence ToEvidence(MessageClassification c, string version)
    {
        var scores = new Dictionary<string, double>();
        foreach (var category in HarmCategories.All)
        {
            var s = c[category];
            if (s > 0)
            {
                scores[category.Name()] = Math.Round(s, 4);
            }
        }

        return new ClassifierEvidence
        {
            Scores = scores,
            Target = c.Target,
            ImminentRisk = c.ImminentRisk,
            Affirmative = c.Affirmative,
            Declines = c.Declines,
            Hesitates = c.Hesitates,
            ClassifierVersion = version,
        };
    }

    /// <summary>Null for failed evidence: the policy then continues the conversation.</summary>
    public static MessageClassification? ToClassification(ClassifierEvidence e)
    {
        if (e.Failed)
        {
            return null;
        }

        var scores = new double[HarmCategories.Count];
        foreach (var (name, score) in e.Scores)
        {
            if (HarmCategories.TryParse(name, out var category))
            {
                scores[(int)category] = score;
            }
        }

        return new MessageClassification(scores, e.Target, e.ImminentRisk, e.Affirmative, e.Declines) { Hesitates = e.Hesitates };
    }
}

/// <summary>The version string recorded with the evidence.</summary>
public static class ClassifierVersion
{
    public static string Of(IMessageClassifier classifier) =>
        $"{classifier.GetType().Name}/{classifier.GetType().Assembly.GetName().Version}";
}
