using System.Diagnostics.Metrics;

namespace Parley.Grains;

/// <summary>Parley's metrics (meter <c>Parley</c>): decisions, endings, crisis replies, classifier latency, feedback.</summary>
public static class ParleyMetrics
{
    public const string MeterName = "Parley";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>("parley.decisions", description: "User turns by decision.");
    public static readonly Counter<long> Endings = Meter.CreateCounter<long>("parley.endings", description: "Ended branches by reason.");
    public static readonly Counter<long> CrisisReplies = Meter.CreateCounter<long>("parley.crisis_replies", description: "crisis_support replies.");
    public static readonly Counter<long> RejectedSends = Meter.CreateCounter<long>("parley.rejected_sends", description: "Sends refused because the branch had ended.");
    public static readonly Counter<long> ClassifierFailures = Meter.CreateCounter<long>("parley.classifier_failures", description: "Classifications that failed or timed out.");
    public static readonly Counter<long> SemanticStageFailures = Meter.CreateCounter<long>("parley.classifier_semantic_failures", description: "Messages the semantic stage failed on (classified by the rules alone, with no strike).");
    // Classification takes microseconds: buckets from 10 µs up, rather than the default ones that start at 5 ms.
    public static readonly Histogram<double> ClassifierLatency = Meter.CreateHistogram("parley.classifier_latency", "ms", "Time to classify one message.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 50] });
    public static readonly Counter<long> Ratings = Meter.CreateCounter<long>("parley.ratings", description: "Rating changes by new rating.");
    public static readonly Counter<long> WrittenFeedback = Meter.CreateCounter<long>("parley.written_feedback", description: "Written feedback entries.");
}
