using Parley.Moderation.Classification;

namespace Parley.Moderation.Review;

/// <summary>
/// A second, stronger stage for messages the fast classifier is unsure about (for example a language-model judge).
/// It runs only on uncertain results, off the fast path, and may fail: then the first stage's result stands.
/// </summary>
public interface IClassificationReviewer
{
    /// <summary>A short name recorded with the evidence of reviewed messages.</summary>
    string Name { get; }

    /// <summary>Returns a replacement for <paramref name="first"/>, or null to keep it.</summary>
    Task<MessageClassification?> ReviewAsync(string text, IReadOnlyList<string> recentUserMessages, MessageClassification first,
        CancellationToken cancellationToken);
}

/// <summary>Which first-stage results are uncertain enough to review (configuration section <c>Parley:Classifier:Review</c>).</summary>
public sealed class ReviewOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Classifier:Review";

    /// <summary>An OpenAI-compatible endpoint for the language-model judge; unset = no review.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The judge's model name.</summary>
    public string? Model { get; set; }

    /// <summary>The judge's API key, if needed.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Lowest decisive score that counts as uncertain.</summary>
    public double UncertainFrom { get; set; } = 0.3;

    /// <summary>Highest decisive score that counts as uncertain.</summary>
    public double UncertainTo { get; set; } = 0.7;

    /// <summary>How long a review may take before the first stage's result is used (keep it below the conversation's ClassifierTimeout).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>The categories whose scores decide strikes and crisis mode.</summary>
    public static readonly HarmCategory[] Decisive =
    [
        HarmCategory.Harassment, HarmCategory.Threat, HarmCategory.Hate, HarmCategory.SexualMinors, HarmCategory.ViolentExtremism,
        HarmCategory.MassCasualtyWeapons, HarmCategory.Violence, HarmCategory.SelfHarmIdeation, HarmCategory.SelfHarmIntent,
        HarmCategory.SelfHarmInstructions,
    ];

    /// <summary>True when some decisive score lies in the uncertain band and the first stage did not flag imminent risk.</summary>
    public bool IsUncertain(MessageClassification c) =>
        !c.ImminentRisk && Decisive.Any(k => c[k] >= UncertainFrom && c[k] <= UncertainTo);
}
