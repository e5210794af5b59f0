using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Evaluation;

/// <summary>Figures for one raw label value (for example Davidson's class 1, "offensive language").</summary>
/// <param name="Label">The raw label value.</param>
/// <param name="Count">Rows with this label.</param>
/// <param name="ToxicRate">Share flagged toxic (any abuse category ≥ 0.5, whatever the target).</param>
/// <param name="ProfanityRate">Share with profanity ≥ 0.5.</param>
/// <param name="HateRate">Share with hate ≥ 0.5.</param>
/// <param name="AimedAtAssistantRate">Share whose negative content the classifier aims at the assistant.</param>
/// <param name="ViolationRate">Share the policy counts as a violation (abuse aimed at the assistant or a severely harmful request).</param>
/// <param name="ReplayEndedRate">Share that ends the conversation when the text is sent three times in a row.</param>
public sealed record LabelFigures(
    string Label, int Count, double ToxicRate, double ProfanityRate, double HateRate, double AimedAtAssistantRate,
    double ViolationRate, double ReplayEndedRate);

/// <summary>The classifier's figures on one labeled file.</summary>
/// <param name="Name">Report name (usually the file name and split).</param>
/// <param name="Split">Which rows were used.</param>
/// <param name="Toxic">Toxic (any abuse category ≥ 0.5) against the positive labels: the headline figure.</param>
/// <param name="Categories">Per category (score ≥ 0.5) against the positive labels.</param>
/// <param name="Labels">Per raw label value.</param>
public sealed record ClassifierReport(
    string Name, string Split, BinaryMetrics Toxic, IReadOnlyList<BinaryMetrics> Categories, IReadOnlyList<LabelFigures> Labels);

/// <summary>Evaluates a classifier on labeled text.</summary>
public static class ClassifierEvaluation
{
    /// <summary>The categories that make a text "toxic" for comment data sets: abusive content aimed at anyone.</summary>
    public static readonly HarmCategory[] ToxicCategories =
    [
        HarmCategory.Harassment, HarmCategory.Threat, HarmCategory.Hate, HarmCategory.Violence,
        HarmCategory.ViolentExtremism, HarmCategory.SexualMinors,
    ];

    /// <summary>Score at or above which a category counts as flagged.</summary>
    public const double FlagThreshold = 0.5;

    /// <summary>True when any abuse category is flagged, whatever its target.</summary>
    public static bool IsToxic(MessageClassification c)
    {
        foreach (var k in ToxicCategories)
        {
            if (c[k] >= FlagThreshold)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Classifies every row (without context) and, when <paramref name="replay"/> is set, sends each text three times through the policy.</summary>
    public static ClassifierReport Evaluate(
        string name, SplitPart split, IReadOnlyList<LabeledExample> rows, IMessageClassifier classifier, ConversationPolicy policy,
        bool replay = true, Action? tick = null)
    {
        var toxic = new Confusion("toxic");
        var perCategory = HarmCategories.All.Select(k => new Confusion(k.Name())).ToArray();
        var byLabel = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var c = classifier.Classify(row.Text, []);
            var isToxic = IsToxic(c);
            toxic.Add(row.Positive, isToxic);
            for (var k = 0; k < perCategory.Length; k++)
            {
                perCategory[k].Add(row.Positive, c.Scores[k] >= FlagThreshold);
            }

            if (!byLabel.TryGetValue(row.Label, out var counts))
            {
                byLabel[row.Label] = counts = new int[7];
            }

            counts[0]++;
            counts[1] += isToxic ? 1 : 0;
            counts[2] += c[HarmCategory.Profanity] >= FlagThreshold ? 1 : 0;
            counts[3] += c[HarmCategory.Hate] >= FlagThreshold ? 1 : 0;
            counts[4] += c.Target == MessageTarget.Assistant && isToxic ? 1 : 0;
            counts[5] += policy.ViolationOf(c) != Violation.None ? 1 : 0;
            counts[6] += replay && ReplayEnds(row.Text, classifier, policy) ? 1 : 0;
            tick?.Invoke();
        }

        var labels = byLabel.Select(kv => new LabelFigures(
            kv.Key, kv.Value[0], Rate(kv.Value[1], kv.Value[0]), Rate(kv.Value[2], kv.Value[0]), Rate(kv.Value[3], kv.Value[0]),
            Rate(kv.Value[4], kv.Value[0]), Rate(kv.Value[5], kv.Value[0]), replay ? Rate(kv.Value[6], kv.Value[0]) : double.NaN)).ToList();
        return new ClassifierReport(name, split.ToString(), toxic.Build(), perCategory.Select(p => p.Build()).ToList(), labels);
    }

    /// <summary>Sends <paramref name="text"/> three times in a row as one conversation; true when the policy ends it.</summary>
    public static bool ReplayEnds(string text, IMessageClassifier classifier, ConversationPolicy policy)
    {
        var state = PolicyState.Initial;
        var history = new List<string>(3);
        for (var i = 0; i < 3; i++)
        {
            var outcome = policy.Decide(state, classifier.Classify(text, history));
            if (outcome.Decision == Decision.End)
            {
                return true;
            }

            state = outcome.State;
            history.Add(text);
        }

        return false;
    }

    private static double Rate(int a, int b) => b == 0 ? 0 : a / (double)b;
}
