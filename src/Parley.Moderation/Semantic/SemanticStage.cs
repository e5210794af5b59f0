using Parley.Moderation.Classification;

namespace Parley.Moderation.Semantic;

/// <summary>What the semantic stage read in one message and the recent messages of its branch.</summary>
/// <param name="Current">Probability per <see cref="Signal"/> for the message itself.</param>
/// <param name="ContextRisk">Risk probability of each earlier message, newest first.</param>
/// <param name="FollowUp">Probability that the message continues <paramref name="ThreadCategory"/>'s request (0 when no thread).</param>
/// <param name="ThreadCategory">
/// The severe category of the earlier message, among those that were severely harmful requests, that the message continues
/// best; null when there is none.
/// </param>
/// <param name="ThreadSevere">That message's <see cref="Signal.Severe"/> probability (0 when no thread).</param>
/// <param name="Category">
/// The severe category whose training requests the message is nearest to, or null when it is nearest to the other
/// harmful requests (fraud, malware, drugs): those are declined by the chat model but never count towards an ending.
/// </param>
/// <param name="ContextAbuse">The highest abuse probability of the <see cref="AbuseMemory"/> most recent earlier messages.</param>
/// <param name="ThreadDropped">
/// True when a message between the thread and this one dropped it ("ok fair, forget it", a new topic): this message then
/// resumes it only on a clear follow-up call.
/// </param>
public sealed record SemanticReading(
    double[] Current, double[] ContextRisk, double FollowUp, HarmCategory? ThreadCategory, double ThreadSevere, HarmCategory? Category,
    double ContextAbuse = 0, bool ThreadDropped = false)
{
    /// <summary>How many earlier messages <see cref="ContextAbuse"/> looks back: abuse that is still going on, not long past.</summary>
    public const int AbuseMemory = 2;
}

/// <summary>
/// The learned semantic stage: embeds the message (and, from a cache, the earlier messages of its branch) with
/// <see cref="SentenceEmbedder"/> and scores every <see cref="Signal"/> with the heads of a <see cref="SemanticModel"/>.
/// Texts are the rule stage's normalized form, so evasions (lookalikes, spacing, leetspeak) are folded before encoding.
/// </summary>
public sealed class SemanticStage(SentenceEmbedder embedder, SemanticModel model)
{
    private readonly BoundedCache<double[]> _scores = new();

    private static readonly Lazy<SemanticStage?> Shared = new(() =>
        SemanticModel.LoadEmbedded() is { } m ? new SemanticStage(SentenceEmbedder.Default, m) : null);

    /// <summary>The embedded model on the process-wide encoder (null when built without a model). Loaded on first use.</summary>
    public static SemanticStage? Default => Shared.Value;

    /// <summary>The heads.</summary>
    public SemanticModel Model => model;

    /// <summary>The severe categories a <see cref="SemanticModel.SevereCentroids"/> entry may name.</summary>
    public static readonly HarmCategory[] SevereCategories =
        [HarmCategory.SexualMinors, HarmCategory.MassCasualtyWeapons, HarmCategory.ViolentExtremism, HarmCategory.Violence];

    /// <summary>
    /// Scores one normalized message with the normalized earlier messages of its branch (oldest first).
    /// <paramref name="contextRuleSevere"/>, when given, is the severe category the rule stage flagged in each earlier message
    /// (same order; null where none). A thread was dropped when one of the messages between it and this one continues it
    /// with a follow-up probability below <paramref name="dropBar"/> ("ok fair, forget it", a new topic). A rule-flagged
    /// message starts a thread when the severe head reaches <paramref name="ruleAgreement"/> of its threshold (or the harmful
    /// head its own): the combiner's veto bar, so that a request the policy counted as a strike carries forward.
    /// <paramref name="contextDrops"/>, when given, says which earlier messages the rules read as letting a request go ("weird
    /// question, sorry"): a thread before such a message was dropped too.
    /// </summary>
    public SemanticReading Read(
        string normalized, IReadOnlyList<string> normalizedContext, IReadOnlyList<HarmCategory?>? contextRuleSevere = null, double dropBar = 0,
        double ruleAgreement = 1, IReadOnlyList<bool>? contextDrops = null) =>
        Read(normalized, normalizedContext, contextRuleSevere, dropBar, ruleAgreement, contextDrops, embedder.Embed);

    /// <summary>
    /// <see cref="Read(string, IReadOnlyList{string}, IReadOnlyList{HarmCategory?}?, double, double, IReadOnlyList{bool}?)"/> with the embeddings from
    /// <see cref="SentenceEmbedder.EmbedAsync"/>: the encoder runs batched with other callers' texts, and no thread waits for it.
    /// </summary>
    public async Task<SemanticReading> ReadAsync(
        string normalized, IReadOnlyList<string> normalizedContext, IReadOnlyList<HarmCategory?>? contextRuleSevere = null, double dropBar = 0,
        double ruleAgreement = 1, IReadOnlyList<bool>? contextDrops = null, CancellationToken cancellationToken = default)
    {
        var texts = normalizedContext.Prepend(normalized).Distinct(StringComparer.Ordinal).ToList();
        var vectors = await Task.WhenAll(texts.Select(t => embedder.EmbedAsync(t, cancellationToken)));
        var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            byText[texts[i]] = vectors[i];
        }

        return Read(normalized, normalizedContext, contextRuleSevere, dropBar, ruleAgreement, contextDrops, t => byText[t]);
    }

    private SemanticReading Read(
        string normalized, IReadOnlyList<string> normalizedContext, IReadOnlyList<HarmCategory?>? contextRuleSevere, double dropBar, double ruleAgreement,
        IReadOnlyList<bool>? contextDrops, Func<string, float[]> embed)
    {
        var x = embed(normalized);
        var current = Score(normalized, x);
        var contextRisk = new double[normalizedContext.Count];
        var newer = new List<float[]>(normalizedContext.Count); // the earlier messages that came after the one being read
        HarmCategory? threadCategory = null;
        double threadSevere = 0;
        double followUp = 0;
        var threadDropped = false;
        double contextAbuse = 0;
        var lastDrop = -1; // the newest earlier message that let a request go
        for (var i = 0; contextDrops is not null && i < contextDrops.Count; i++)
        {
            lastDrop = contextDrops[i] ? i : lastDrop;
        }

        for (var age = 0; age < normalizedContext.Count; age++)
        {
            var index = normalizedContext.Count - 1 - age;
            var text = normalizedContext[index];
            var earlier = embed(text);
            var p = Score(text, earlier);
            // A request to harm someone else ("poison my neighbour's family") feeds the harmful thread, not the risk window:
            // the window adds up a disclosure spread over messages, and such a request below the risk threshold is none.
            contextRisk[age] = model.IsHarmRequest(p) ? 0 : p[(int)Signal.Risk];
            if (age < SemanticReading.AbuseMemory)
            {
                contextAbuse = Math.Max(contextAbuse, p[(int)Signal.Abuse]);
            }

            // A thread is an earlier message that was clearly a severely harmful request: by the severe head, by both the
            // severe and the harmful heads, by the harmful head when the request sits nearest a severe category, or by the
            // rules' severe flag when a head agrees that it is a request to decline (what the policy counted as a strike
            // then). Only a clear request carries forward: a borderline one carried into every follow-up would turn one
            // doubtful call into three strikes. With several threads in the window, the one the message continues best counts.
            var severe = p[(int)Signal.Severe] >= Clear(model[Signal.Severe])
                || (p[(int)Signal.Severe] >= model[Signal.Severe].Threshold && p[(int)Signal.Harmful] >= model[Signal.Harmful].Threshold);
            var ruled = !severe && contextRuleSevere?[index] is not null
                && (p[(int)Signal.Severe] >= model[Signal.Severe].Threshold * ruleAgreement || p[(int)Signal.Harmful] >= model[Signal.Harmful].Threshold);
            var nearest = severe || p[(int)Signal.Harmful] >= Clear(model[Signal.Harmful]) ? NearestSevere(earlier) : null;
            if (severe || ruled || nearest is not null)
            {
                var continues = model.FollowUp.Probability(PairFeatures(x, earlier));
                if (threadCategory is null || continues > followUp)
                {
                    followUp = continues;
                    threadDropped = lastDrop > index || newer.Exists(m => model.FollowUp.Probability(PairFeatures(m, earlier)) < dropBar);
                    threadCategory = ruled ? contextRuleSevere![index] : nearest ?? HarmCategory.Violence;
                    threadSevere = Math.Max(p[(int)Signal.Severe], p[(int)Signal.Harmful]);
                }
            }

            newer.Add(earlier);
        }

        return new SemanticReading(current, contextRisk, followUp, threadCategory, threadSevere, NearestSevere(x), contextAbuse, threadDropped);
    }

    /// <summary>Every signal's probability for one text; cached, since a branch's earlier messages come back as context.</summary>
    private double[] Score(string text, float[] embedding) => _scores.GetOrAdd(text, _ => model.Probabilities(embedding));

    /// <summary>The probability at which a head's call is clear, not borderline: halfway from its threshold to 1.</summary>
    public static double Clear(LogisticHead head) => head.Threshold + ((1 - head.Threshold) / 2);

    /// <summary>The follow-up head's features: <c>[current, thread, current ⊙ thread]</c>.</summary>
    public static float[] PairFeatures(float[] current, float[] thread)
    {
        var n = current.Length;
        var f = new float[3 * n];
        current.CopyTo(f, 0);
        thread.CopyTo(f, n);
        for (var i = 0; i < n; i++)
        {
            f[(2 * n) + i] = current[i] * thread[i];
        }

        return f;
    }

    /// <summary>Centroid name of the harmful requests in no severe category.</summary>
    public const string OtherHarm = "other_harm";

    private HarmCategory? NearestSevere(float[] x)
    {
        HarmCategory? best = null;
        var bestSim = double.NegativeInfinity;
        foreach (var (name, centroid) in model.SevereCentroids)
        {
            var sim = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                sim += x[i] * centroid[i];
            }

            if (sim > bestSim)
            {
                (best, bestSim) = (HarmCategories.TryParse(name, out var c) ? c : null, sim);
            }
        }

        return best;
    }
}
