namespace Parley.Moderation.Classification;

/// <summary>Classifies one user message in the context of the recent user messages of its branch.</summary>
public interface IMessageClassifier
{
    /// <summary>
    /// Classifies <paramref name="text"/>. <paramref name="recentUserMessages"/> holds the previous user messages
    /// of the same branch, oldest first (may be empty). Must be fast (microseconds) and never call out.
    /// </summary>
    MessageClassification Classify(string text, IReadOnlyList<string> recentUserMessages);
}
