using System.Diagnostics;
using System.Text.Json;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Parley.Moderation.Semantic;

namespace Parley.Benchmarks;

/// <summary>
/// <c>batch-check FILE...</c>: the silo's batched encoder path (<see cref="ParleyClassifier.ClassifyAsync"/>, every message
/// at once, so runs are full batches) against the direct path that <c>parley eval</c> and <c>parley train</c> take
/// (<see cref="ParleyClassifier.Classify"/>, one message at a time), each on its own encoder so that no cache answers for
/// the other. Reads <c>messages.jsonl</c> lines (<c>"text"</c>: a one-message conversation) and <c>scenarios.jsonl</c>
/// lines (<c>"messages"</c>), gives each message its conversation's previous five messages as context, as the grain does,
/// and reports the largest embedding and score differences and every classification or policy decision that differs.
/// </summary>
public static class BatchCheck
{
    private const int ContextMessages = 5;

    public static async Task RunAsync(IReadOnlyList<string> paths)
    {
        var conversations = paths.SelectMany(Read).ToList();
        var model = SemanticModel.LoadEmbedded() ?? throw new InvalidOperationException("No embedded semantic model.");
        using var directEncoder = new SentenceEmbedder();
        using var batchedEncoder = new SentenceEmbedder();
        var direct = new ParleyClassifier(new SemanticStage(directEncoder, model));
        var batched = new ParleyClassifier(new SemanticStage(batchedEncoder, model));
        var calls = conversations.SelectMany((c, n) => c.Select((text, i) =>
            (Conversation: n, Text: text, Context: (IReadOnlyList<string>)c.Skip(Math.Max(0, i - ContextMessages)).Take(Math.Min(i, ContextMessages)).ToList()))).ToList();

        var watch = Stopwatch.StartNew();
        var expected = calls.Select(c => direct.Classify(c.Text, c.Context)).ToList();
        var directSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var actual = await Task.WhenAll(calls.Select(c => batched.ClassifyAsync(c.Text, c.Context)));
        var batchedSeconds = watch.Elapsed.TotalSeconds;

        var embeddingDiff = calls.Select(c => ParleyClassifier.SemanticInput(c.Text)).Distinct()
            .Max(t => directEncoder.Embed(t).Zip(batchedEncoder.Embed(t), (a, b) => Math.Abs(a - b)).Max()); // both cached by now
        var scoreDiff = expected.Zip(actual, (e, a) => e.Scores.Zip(a.Scores, (x, y) => Math.Abs(x - y)).Max()).Max();
        var policy = new ConversationPolicy(new PolicyOptions());
        var classificationsDiffering = expected.Zip(actual).Count(p =>
            (policy.ViolationOf(p.First), p.First.ImminentRisk, p.First.Affirmative, p.First.Target) !=
            (policy.ViolationOf(p.Second), p.Second.ImminentRisk, p.Second.Affirmative, p.Second.Target));

        // The policy over each conversation, with either path's classifications.
        var decisionsDiffering = 0;
        foreach (var group in calls.Select((c, i) => (c.Conversation, i)).GroupBy(x => x.Conversation))
        {
            var (stateA, stateB) = (PolicyState.Initial, PolicyState.Initial);
            foreach (var (_, i) in group)
            {
                var a = policy.Decide(stateA, expected[i]);
                var b = policy.Decide(stateB, actual[i]);
                (stateA, stateB) = (a.State, b.State);
                decisionsDiffering += a.Decision == b.Decision && a.EndReason == b.EndReason ? 0 : 1;
            }
        }

        var (runs, texts) = batchedEncoder.BatchCounts;
        Console.WriteLine($"{calls.Count} messages in {conversations.Count} conversations from {string.Join(", ", paths)}");
        Console.WriteLine($"encoder runs on the batched path: {runs} for {texts} texts (mean batch {texts / (double)Math.Max(1, runs):0.0})");
        Console.WriteLine($"largest embedding difference: {embeddingDiff:E2}; largest score difference: {scoreDiff:E2}");
        Console.WriteLine($"classifications differing (violation, risk, confirmation, target): {classificationsDiffering}; policy decisions differing: {decisionsDiffering}");
        Console.WriteLine($"time: direct {directSeconds:0.0} s, batched {batchedSeconds:0.0} s (ratio {directSeconds / batchedSeconds:0.00}; the batched path's encoder cache was cold too)");
    }

    private static IEnumerable<List<string>> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l =>
        {
            var root = JsonDocument.Parse(l).RootElement;
            return root.TryGetProperty("messages", out var messages)
                ? messages.EnumerateArray().Select(m => m.GetString() ?? string.Empty).ToList()
                : [root.GetProperty("text").GetString() ?? string.Empty];
        });
}
