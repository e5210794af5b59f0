namespace Parley.Moderation.Classification;

/// <summary>Placeholder until the rule-based classifier lands (work in progress on the classifier branch).</summary>
public sealed class RuleBasedClassifier : IMessageClassifier
{
    /// <inheritdoc />
    public MessageClassification Classify(string text, IReadOnlyList<string> recentUserMessages) => MessageClassification.Neutral();
}
