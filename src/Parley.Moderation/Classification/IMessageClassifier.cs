namespace Parley.Moderation.Classification;

/// <summary>Classifies one user message in the context of the recent user messages of its branch.</summary>
public interface IMessageClassifier
{
    /// <summary>
    /// Classifies <paramref name="text"/>. <paramref name="recentUserMessages"/> holds the previous user messages
    /// of the same branch, oldest first (may be empty). Must be fast (microseconds) and never call out.
    /// </summary>
    MessageClassification Classify(string text, IReadOnlyList<string> recentUserMessages);

    /// <summary>
    /// <see cref="Classify"/> for a caller that can wait without holding a thread (the classifier grain): a classifier with
    /// a slow stage may then share its work with other concurrent calls. Same result, up to such a stage's rounding.
    /// </summary>
    Task<MessageClassification> ClassifyAsync(string text, IReadOnlyList<string> recentUserMessages, CancellationToken cancellationToken = default) =>
        Task.FromResult(Classify(text, recentUserMessages));

    /// <summary>
    /// The fast stages alone (microseconds), for a caller whose <see cref="Classify"/> call failed or did not answer in
    /// time, for example behind a queue of messages on a busy silo. A classifier whose every stage is fast answers in full.
    /// </summary>
    MessageClassification ClassifyFallback(string text, IReadOnlyList<string> recentUserMessages) => Classify(text, recentUserMessages);
}
