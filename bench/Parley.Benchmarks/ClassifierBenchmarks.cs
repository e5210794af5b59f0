using BenchmarkDotNet.Attributes;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Benchmarks;

/// <summary>
/// Classification of one message (no context, and with three context messages, whose embeddings are cached as in a
/// silo) and one policy step; the rules-only path is the baseline.
/// Messages are the project's own text: short, medium (~280 chars), 2,000 chars, each plain and with evasions.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ClassifierBenchmarks
{
    private const string Short = "Can you help me fix this regex?";
    private const string ShortEvasive = "y0u @re a st*pid ｂｏｔ";
    private const string Medium =
        "I've been trying to get this build working all afternoon and the compiler keeps complaining about a missing namespace. " +
        "I added the package reference, cleaned the solution and restarted the IDE, but it still fails. What else should I check?";
    private const string MediumEvasive =
        "Y O U   A R E   a   w0rthl3ss   p1ece   of   sh!t and I've told you three times already to fix the query, " +
        "you absolute m.o.r.o.n, why do you keep giving me the same broken answer over and over again, ѕtupid bot?";

    private static readonly string Long = string.Concat(Enumerable.Repeat(Medium + " ", 12))[..2000];
    private static readonly string LongEvasive = string.Concat(Enumerable.Repeat(MediumEvasive + " ", 12))[..2000];
    private static readonly string[] Context = ["Help me write a SQL query.", "That didn't work.", "Still broken, try again."];

    private readonly ParleyClassifier _full = ParleyClassifier.CreateDefault();
    private readonly RuleBasedClassifier _rules = new();
    private readonly ConversationPolicy _policy = new();
    private MessageClassification _classification = MessageClassification.Neutral();

    [Params("short", "short-evasive", "medium", "medium-evasive", "long", "long-evasive")]
    public string Message { get; set; } = "short";

    private string Text => Message switch
    {
        "short" => Short,
        "short-evasive" => ShortEvasive,
        "medium" => Medium,
        "medium-evasive" => MediumEvasive,
        "long" => Long,
        _ => LongEvasive,
    };

    [GlobalSetup]
    public void Setup() => _classification = _full.Classify(Text, []);

    // Every call gets a new text (a counter appended), as every message in a conversation is new: otherwise the
    // encoder's cache would answer and the benchmark would time a dictionary look-up.
    private int _n;

    private string Fresh() => Text + " " + _n++;

    [Benchmark(Baseline = true, Description = "rules only")]
    public MessageClassification ClassifyRulesOnly() => _rules.Classify(Fresh(), []);

    [Benchmark(Description = "rules + semantic")]
    public MessageClassification Classify() => _full.Classify(Fresh(), []);

    [Benchmark(Description = "rules + semantic, 3 context msgs")]
    public MessageClassification ClassifyWithContext() => _full.Classify(Fresh(), Context);

    [Benchmark(Description = "policy step")]
    public PolicyOutcome PolicyStep() => _policy.Decide(PolicyState.Initial, _classification);
}
