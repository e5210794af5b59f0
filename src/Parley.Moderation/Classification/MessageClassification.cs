namespace Parley.Moderation.Classification;

/// <summary>
/// The result of classifying one user message in the context of its branch.
/// Scores are in [0, 1], indexed by <see cref="HarmCategory"/>.
/// </summary>
public sealed class MessageClassification
{
    /// <summary>Creates a classification; <paramref name="scores"/> must have <see cref="HarmCategories.Count"/> entries.</summary>
    public MessageClassification(double[] scores, MessageTarget target, bool imminentRisk, bool affirmative, bool declines = false)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Length != HarmCategories.Count)
        {
            throw new ArgumentException($"Expected {HarmCategories.Count} scores.", nameof(scores));
        }

        Scores = scores;
        Target = target;
        ImminentRisk = imminentRisk;
        Affirmative = affirmative;
        Declines = declines;
    }

    /// <summary>Score per category, in [0, 1].</summary>
    public double[] Scores { get; }

    /// <summary>Whom the message is aimed at.</summary>
    public MessageTarget Target { get; }

    /// <summary>The message signals imminent risk of harm to the user or to someone else.</summary>
    public bool ImminentRisk { get; }

    /// <summary>The message is a clear "yes" (used to confirm an end request).</summary>
    public bool Affirmative { get; }

    /// <summary>The message withdraws, questions or refuses an ending ("no", "wait", "why?", "don't end it"): never a yes.</summary>
    public bool Declines { get; }

    /// <summary>
    /// The message hesitates over an ending without refusing it ("hmm, wait", "let me think", "why are you asking?"): asked
    /// "are you sure?", the question stays open. Always also <see cref="Declines"/>.
    /// </summary>
    public bool Hesitates { get; init; }

    /// <summary>
    /// The rule stage found explicit abuse of the assistant in a language the English-only sentence encoder cannot read
    /// ("halt die fresse"): the semantic heads may neither confirm nor veto it. Set by the rules only.
    /// </summary>
    public bool AbuseOutsideEncoder { get; init; }

    /// <summary>
    /// The message lets a refused request go ("understood", "silly question, sorry"): it does not continue a harmful
    /// thread, whatever the follow-up head reads. Set by the rules only.
    /// </summary>
    public bool DropsRequest { get; init; }

    /// <summary>
    /// The message was read in its English gloss too (<see cref="Glossary"/>). A gloss is broken English: the abuse head
    /// alone may not aim it at the assistant ("it is worthless this film"); the rules must find the assistant addressed.
    /// </summary>
    public bool Glossed { get; init; }

    /// <summary>The score of one category.</summary>
    public double this[HarmCategory category] => Scores[(int)category];

    /// <summary>
    /// Two readings of one message (its own words and its English gloss, <see cref="Glossary"/>) as one: each score is the
    /// higher of the two, the target is the assistant if either reading finds it addressed (else that of the reading with more
    /// abuse), and any cue either found (risk, yes, no, hesitation, a dropped request) counts; a "no" still withdraws a "yes".
    /// </summary>
    public static MessageClassification Merge(MessageClassification original, MessageClassification glossed)
    {
        var scores = new double[HarmCategories.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Max(original.Scores[i], glossed.Scores[i]);
        }

        static double Abuse(MessageClassification c) =>
            Math.Max(c[HarmCategory.Harassment], Math.Max(c[HarmCategory.Threat], c[HarmCategory.Hate]));
        // The assistant when either reading finds it addressed: a gloss may turn an article into "him" ("lo peor").
        var target = original.Target == MessageTarget.Assistant || glossed.Target == MessageTarget.Assistant ? MessageTarget.Assistant
            : original.Target == MessageTarget.Nothing || Abuse(glossed) > Abuse(original) ? glossed.Target : original.Target;
        var declines = original.Declines || glossed.Declines;
        return new MessageClassification(scores, target, original.ImminentRisk || glossed.ImminentRisk,
            !declines && (original.Affirmative || glossed.Affirmative), declines)
        {
            Hesitates = original.Hesitates || glossed.Hesitates,
            AbuseOutsideEncoder = original.AbuseOutsideEncoder,
            DropsRequest = original.DropsRequest || glossed.DropsRequest,
            Glossed = true,
        };
    }

    /// <summary>A classification with every score zero (a neutral message).</summary>
    public static MessageClassification Neutral() => new(new double[HarmCategories.Count], MessageTarget.Nothing, false, false);
}
