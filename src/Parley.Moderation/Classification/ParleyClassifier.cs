using Parley.Moderation.Policy;
using Parley.Moderation.Semantic;

namespace Parley.Moderation.Classification;

/// <summary>
/// The default classifier, in stages:
/// <list type="number">
/// <item>the rule stage (<see cref="RuleBasedClassifier"/>): evasion folding, explicit phrases, targets, quick context;</item>
/// <item>the semantic stage (<see cref="SemanticStage"/>): a sentence encoder and trained heads, over the message and the
/// recent messages of its branch;</item>
/// <item>the <see cref="ClassificationCombiner"/>, which turns both into one result.</item>
/// </list>
/// A language-model judge may follow as an optional third stage (<c>Review</c>, in the classifier grain).
/// If the semantic stage fails, the rule stage's result is used with its strike categories held below the policy's
/// thresholds: a failure never adds a strike.
/// </summary>
public sealed class ParleyClassifier : IMessageClassifier
{
    private readonly RuleBasedClassifier _rules = new();
    private readonly SemanticStage? _semantic;
    private readonly ClassificationCombiner? _combiner;
    private readonly Action<Exception>? _onStageFailure;
    private readonly double _harmThreshold;
    private readonly double _threadDropBar;
    private readonly double _vetoFraction = 1;
    private readonly BoundedCache<(HarmCategory? Severe, bool Drops)> _ruleContext = new();
    private readonly BoundedCache<string?> _english = new();

    /// <summary>
    /// Creates the classifier; without a semantic stage it is the rule stage alone. <paramref name="onStageFailure"/> is
    /// told when the semantic stage throws (for logs and metrics); that message is then classified by the rules alone.
    /// </summary>
    public ParleyClassifier(SemanticStage? semantic, SemanticOptions? options = null, PolicyOptions? policy = null, Action<Exception>? onStageFailure = null)
    {
        _onStageFailure = onStageFailure;
        options ??= new SemanticOptions();
        policy ??= new PolicyOptions();
        options.Validate(policy);
        _harmThreshold = policy.HarmThreshold;
        if (semantic is not null && options.Enabled)
        {
            _semantic = semantic;
            _combiner = new ClassificationCombiner(semantic.Model, options, policy);
            _threadDropBar = semantic.Model.FollowUp.Threshold * options.ThreadDropFraction;
            _vetoFraction = options.VetoFraction;
        }
    }

    /// <summary>The rules plus the embedded semantic model (the rules alone when none is embedded).</summary>
    public static ParleyClassifier CreateDefault(SemanticOptions? options = null, PolicyOptions? policy = null, Action<Exception>? onStageFailure = null) =>
        new(options is { Enabled: false } ? null : SemanticStage.Default, options, policy, onStageFailure);

    /// <summary>
    /// What the sentence encoder reads: the rule stage's normalized text (lookalikes, leetspeak and masking folded), with
    /// letter-by-letter spelling rejoined into words. Training (<c>parley train</c>) uses the same function.
    /// </summary>
    public static string SemanticInput(string text) => SpacedLetters.Rejoin(TextNormalizer.Normalize(text));


    /// <summary>What this classifier is, for reports.</summary>
    public string Description => _semantic is null ? "rules" : $"rules + semantic ({_semantic.Model.Encoder}; {_semantic.Model.Description})";

    /// <summary>True when the semantic stage runs.</summary>
    public bool HasSemanticStage => _semantic is not null;

    /// <inheritdoc />
    public MessageClassification Classify(string text, IReadOnlyList<string> recentUserMessages) =>
        Explain(text, recentUserMessages).Result;

    /// <summary>
    /// The rule stage alone, as when the semantic stage fails: strike categories are held below the policy's thresholds
    /// (a stage that did not run never adds a strike), while risk, end-request and confirmation cues still count.
    /// </summary>
    public MessageClassification ClassifyFallback(string text, IReadOnlyList<string> recentUserMessages)
    {
        var (rules, _) = RuleStage(text, recentUserMessages);
        return _combiner?.Degrade(rules) ?? rules;
    }

    /// <summary>Classifies and returns each stage's view too (for <c>parley classify --explain</c> and tests).</summary>
    public (MessageClassification Rules, SemanticReading? Reading, MessageClassification Result) Explain(string text, IReadOnlyList<string> recentUserMessages)
    {
        var (rules, semanticInput) = RuleStage(text, recentUserMessages);
        if (_semantic is null || _combiner is null)
        {
            return (rules, null, rules);
        }

        SemanticReading reading;
        try
        {
            var (context, ruleSevere, drops) = SemanticContext(recentUserMessages);
            reading = _semantic.Read(semanticInput, context, ruleSevere, _threadDropBar, _vetoFraction, drops);
        }
        catch (Exception ex)
        {
            return Degrade(rules, ex);
        }

        return Combine(rules, reading);
    }

    /// <inheritdoc />
    /// <remarks>The sentence encoder runs batched with other concurrent calls' messages (<see cref="SentenceEmbedder.EmbedAsync"/>).</remarks>
    public async Task<MessageClassification> ClassifyAsync(string text, IReadOnlyList<string> recentUserMessages, CancellationToken cancellationToken = default)
    {
        var (rules, semanticInput) = RuleStage(text, recentUserMessages);
        if (_semantic is null || _combiner is null)
        {
            return rules;
        }

        SemanticReading reading;
        try
        {
            var (context, ruleSevere, drops) = SemanticContext(recentUserMessages);
            reading = await _semantic.ReadAsync(semanticInput, context, ruleSevere, _threadDropBar, _vetoFraction, drops, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // (A caller that cancelled is told so, not given the degraded result.)
            return Degrade(rules, ex).Result;
        }

        return Combine(rules, reading).Result;
    }

    /// <summary>
    /// The rule stage, and the text the semantic stage reads (<see cref="ReadableInput"/>, normalized once). A message in
    /// another language is also read in its English gloss, with the earlier messages glossed alike; the two readings merge
    /// (<see cref="MessageClassification.Merge"/>), so the rules' own phrases in that language still count.
    /// </summary>
    private (MessageClassification Rules, string SemanticInput) RuleStage(string text, IReadOnlyList<string> recentUserMessages)
    {
        if (English(text) is not { } english)
        {
            var rules = _rules.Classify(text, recentUserMessages, out var normalized);
            return (rules, SpacedLetters.Rejoin(normalized));
        }

        // Capitals mark names in English, but every noun in German ("du nutzloser Blechhaufen"): both readings go lower-case.
        var own = _rules.Classify(text.ToLowerInvariant(), recentUserMessages, out _);
        var glossedContext = recentUserMessages.Select(m => English(m ?? string.Empty) ?? m ?? string.Empty).ToList();
        var glossed = _rules.Classify(english.ToLowerInvariant(), glossedContext, out var normalizedGloss);
        return (MessageClassification.Merge(own, glossed), SpacedLetters.Rejoin(normalizedGloss));
    }

    /// <summary>
    /// The message's English gloss, or null when it is not in another language (<see cref="Glossary"/>). Cached by text:
    /// a branch's earlier messages come back as context on every turn.
    /// </summary>
    private string? English(string text) => _english.GetOrAdd(text, Glossary.ToEnglish);

    /// <summary>
    /// What the encoder reads at classification time: <see cref="SemanticInput"/> of the message, or of its English gloss when
    /// it is in another language. Training reads <see cref="SemanticInput"/> alone: its messages are English, so the
    /// committed model stays exactly what <c>parley train</c> produces.
    /// </summary>
    private string ReadableInput(string text) => SemanticInput(English(text) ?? text);

    private (string[] Context, HarmCategory?[] RuleSevere, bool[] Drops) SemanticContext(IReadOnlyList<string> recentUserMessages)
    {
        var context = new string[recentUserMessages.Count];
        var ruleSevere = new HarmCategory?[recentUserMessages.Count];
        var drops = new bool[recentUserMessages.Count];
        for (var i = 0; i < context.Length; i++)
        {
            context[i] = ReadableInput(recentUserMessages[i] ?? string.Empty);
            (ruleSevere[i], drops[i]) = RuleContext(recentUserMessages[i] ?? string.Empty);
        }

        return (context, ruleSevere, drops);
    }

    private (MessageClassification, SemanticReading?, MessageClassification Result) Combine(MessageClassification rules, SemanticReading reading) =>
        (rules, reading, _combiner!.Combine(rules, reading));

    private (MessageClassification, SemanticReading?, MessageClassification Result) Degrade(MessageClassification rules, Exception ex)
    {
        _onStageFailure?.Invoke(ex);
        return (rules, null, _combiner!.Degrade(rules));
    }

    /// <summary>
    /// What the rule stage read in an earlier message: the severe category it flags, if any (it marks where a harmful thread
    /// began), and whether it let a request go ("weird question, sorry"; a thread before it was dropped). Cached by text, as
    /// the semantic stage caches its scores: a branch's earlier messages come back as context on every turn.
    /// </summary>
    private (HarmCategory? Severe, bool Drops) RuleContext(string text) => _ruleContext.GetOrAdd(text, t =>
    {
        var (rules, _) = RuleStage(t, []);
        var category = SemanticStage.SevereCategories.MaxBy(c => rules[c]);
        return (rules[category] >= _harmThreshold ? category : null, rules.DropsRequest);
    });
}
