namespace Parley.Moderation.Classification;

/// <summary>
/// The default classifier: the rule-based stage (<see cref="RuleBasedClassifier"/>: evasions, targets, imminent risk,
/// end requests, context) plus a learned stage (<see cref="LinearTextModel"/>, hashed word n-grams, trained with
/// ML.NET on the labeled data) that catches toxic wording the lexicons miss.
/// <para>
/// The learned stage only adds harassment; it never lowers a rule score and never touches risk, end requests or the
/// severe-harm categories, so the rules keep the last word on everything the policy treats as severe. Where the rules
/// aim the message at the assistant, a model-only flag stays below the policy's abuse threshold unless the model is
/// very confident (<see cref="AssistantConfidence"/>): when unsure, continue.
/// </para>
/// </summary>
public sealed class ParleyClassifier : IMessageClassifier
{
    private const int Harassment = (int)HarmCategory.Harassment;
    private const int Ideation = (int)HarmCategory.SelfHarmIdeation;
    private const int Intent = (int)HarmCategory.SelfHarmIntent;

    private static readonly int[] Toxic =
    [
        Harassment, (int)HarmCategory.Threat, (int)HarmCategory.Hate, (int)HarmCategory.Violence,
        (int)HarmCategory.ViolentExtremism, (int)HarmCategory.SexualMinors,
    ];

    private readonly RuleBasedClassifier _rules = new();
    private readonly LinearTextModel? _model;

    /// <summary>Creates the classifier; without a model it is the rule-based stage alone.</summary>
    public ParleyClassifier(LinearTextModel? model) => _model = model;

    /// <summary>Model probability at or above which a model-only flag aimed at the assistant counts as abuse.</summary>
    public double AssistantConfidence { get; init; } = 0.97;

    /// <summary>The embedded model, or null when the package was built without it.</summary>
    public static LinearTextModel? DefaultModel { get; } = LinearTextModel.LoadEmbedded();

    /// <summary>The rules plus the embedded model (the rules alone when no model is embedded).</summary>
    public static ParleyClassifier CreateDefault() => new(DefaultModel);

    /// <summary>What this classifier is, for reports.</summary>
    public string Description => _model is null ? "rules" : $"rules + linear n-gram model ({_model.Description}; threshold {_model.Threshold:0.###})";

    /// <summary>The learned stage, if any.</summary>
    public LinearTextModel? Model => _model;

    /// <inheritdoc />
    public MessageClassification Classify(string text, IReadOnlyList<string> recentUserMessages)
    {
        var c = _rules.Classify(text, recentUserMessages, out var normalized);
        if (_model is null)
        {
            return c;
        }

        var scores = c.Scores;
        foreach (var k in Toxic)
        {
            if (scores[k] >= 0.5)
            {
                return c; // the rules already flag it; the model adds nothing the policy would use
            }
        }

        // First-person distress with nobody addressed ("I don't want to be here anymore") is not harassment, whatever
        // words the model learned from toxic tweets; the rules already decided it is about the speaker.
        if (c.Target == MessageTarget.Nothing && (c.ImminentRisk || scores[Ideation] >= 0.4 || scores[Intent] >= 0.4))
        {
            return c;
        }

        var p = _model.Probability(normalized);
        if (p < _model.Threshold)
        {
            return c;
        }

        // Map [threshold, 1] onto [0.5, 0.9]: flagged, but less sure than a lexicon hit.
        var score = 0.5 + (0.4 * (p - _model.Threshold) / Math.Max(1e-9, 1 - _model.Threshold));
        // At the assistant, the model alone makes a strike only when very confident and when the rules saw nothing they
        // judged: where the rules scored the hostility as mild ("you suck at this", "are you stupid?") or the only signal
        // is swearing ("shit, you forgot the semicolon"), the model's reaction to the same words does not overrule them.
        var judgedMild = scores[Harassment] > 0 || scores[(int)HarmCategory.Profanity] > 0;
        if (c.Target == MessageTarget.Assistant && (p < AssistantConfidence || judgedMild))
        {
            score = Math.Min(score, 0.45);
        }

        scores[Harassment] = Math.Max(scores[Harassment], Math.Round(score, 3));
        return c;
    }
}
