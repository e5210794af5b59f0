using System.Diagnostics;
using System.Text.Json;
using Parley.Moderation.Classification;
using Parley.Moderation.Semantic;

namespace Parley.Benchmarks;

/// <summary>
/// <c>latency [messages.jsonl]</c>: what a silo pays for the semantic stage, in one process: the time to load the encoder
/// and heads, the extra working set, and per-message latency percentiles (messages of up to 280 characters, each new to
/// the cache) of rules + semantic against the rules alone on the same messages, in the same run.
/// </summary>
public static class LatencyReport
{
    public static void Run(string path)
    {
        var texts = File.ReadLines(path).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!)
            .Where(t => t.Length <= 280).ToList();
        var rules = new RuleBasedClassifier();
        foreach (var t in texts)
        {
            rules.Classify(t, []); // JIT and the rules' regexes (built on first use), so both paths are timed warm
        }

        GC.Collect();
        var before = Process.GetCurrentProcess().WorkingSet64;
        var load = Stopwatch.StartNew();
        var full = new ParleyClassifier(new SemanticStage(new SentenceEmbedder(), SemanticModel.LoadEmbedded()!));
        full.Classify("warm up", []);
        load.Stop();
        GC.Collect();
        var after = Process.GetCurrentProcess().WorkingSet64;

        var rulesTimes = Time(texts, t => rules.Classify(t, []));
        var fullTimes = Time(texts, t => full.Classify(t, []));
        Console.WriteLine($"messages: {texts.Count} (<= 280 chars, median {texts.Select(t => t.Length).Order().ElementAt(texts.Count / 2)} chars) from {path}");
        Console.WriteLine($"semantic stage load (encoder + heads + exemplars, first message): {load.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"extra working set: {(after - before) / 1e6:0} MB");
        Console.WriteLine($"rules only:        p50 {P(rulesTimes, 50) * 1000:0.0} us  p99 {P(rulesTimes, 99) * 1000:0.0} us");
        Console.WriteLine($"rules + semantic:  p50 {P(fullTimes, 50):0.00} ms  p99 {P(fullTimes, 99):0.00} ms  max {fullTimes.Max():0.00} ms");
        Console.WriteLine($"ratio (semantic / rules) at p50: {P(fullTimes, 50) / P(rulesTimes, 50):0}x");
    }

    private static List<double> Time(List<string> texts, Action<string> classify)
    {
        var times = new List<double>(texts.Count);
        foreach (var t in texts)
        {
            var start = Stopwatch.GetTimestamp();
            classify(t);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        times.Sort();
        return times;
    }

    private static double P(List<double> sorted, int percentile) => sorted[Math.Min(sorted.Count - 1, sorted.Count * percentile / 100)];
}
