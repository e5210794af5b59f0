using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parley.Cli.Load;

/// <summary>Latency percentiles of one label (a decision, or an operation such as <c>start</c> or <c>rate</c>), in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(List<double> samples)
    {
        if (samples.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        samples.Sort();
        return new LatencySummary(samples.Count, Rank(samples, 0.50), Rank(samples, 0.95), Rank(samples, 0.99), samples[^1]);
    }

    // Nearest rank: the smallest sample with at least q of the samples at or below it.
    private static double Rank(List<double> sorted, double q) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)], 2);
}

/// <summary>What one phase of a load run measured.</summary>
public sealed record PhaseReport
{
    public required string Name { get; init; }
    public required double Seconds { get; init; }
    /// <summary>Successful grain calls of every kind (sends, edits, starts, ratings, feedback, probe calls).</summary>
    public required long Calls { get; init; }
    public double CallsPerSecond => Math.Round(Calls / Seconds, 1);
    /// <summary>User messages that got a decision (sends and edits; for the baselines, their probe calls).</summary>
    public required long Sends { get; init; }
    public double SendsPerSecond => Math.Round(Sends / Seconds, 1);
    /// <summary>Sends refused because the branch had ended (an expected outcome of the mix, not an error).</summary>
    public required long Rejected { get; init; }
    /// <summary>Failed attempts by error code, including those a retry then got through.</summary>
    public required IReadOnlyDictionary<string, long> Errors { get; init; }
    /// <summary>Calls that still failed after their retries.</summary>
    public required long Failed { get; init; }
    /// <summary>Latency of all sends and edits together (for the baselines, of their probe calls).</summary>
    public required LatencySummary SendLatency { get; init; }
    /// <summary>Latency by decision (sends and edits) and by other operation.</summary>
    public required IReadOnlyDictionary<string, LatencySummary> Latency { get; init; }
    /// <summary>When each error code was seen first and last (UTC), and how often.</summary>
    public IReadOnlyDictionary<string, ErrorSpan> ErrorSpans { get; init; } = new Dictionary<string, ErrorSpan>();
    /// <summary>Second by second: sends completed, their latency, errors and failures (for runs with events in them).</summary>
    public IReadOnlyList<TimelineSecond> Timeline { get; init; } = [];
}

/// <summary>The first and last time an error code was seen, and how many attempts failed with it.</summary>
public sealed record ErrorSpan(DateTimeOffset First, DateTimeOffset Last, long Count)
{
    public double Seconds => Math.Round((Last - First).TotalSeconds, 2);
}

/// <summary>One second of a phase: <see cref="Second"/> counts from the phase's start at <see cref="Utc"/>.</summary>
public sealed record TimelineSecond(int Second, DateTimeOffset Utc, long Sends, double P50, double P99, double Max, long Errors, long Failed);

/// <summary>Thread-safe counters and latency samples of one phase.</summary>
public sealed class LoadRecorder
{
    public const string SendLabel = "(all sends)";

    private readonly ConcurrentDictionary<string, List<double>> _samples = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<string, (DateTimeOffset First, DateTimeOffset Last)> _errorTimes = new();
    private readonly ConcurrentDictionary<int, List<double>> _perSecond = new();
    private readonly ConcurrentDictionary<int, long> _errorsPerSecond = new();
    private readonly ConcurrentDictionary<int, long> _failedPerSecond = new();
    private readonly DateTimeOffset _startUtc = DateTimeOffset.UtcNow;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _calls, _sends, _rejected, _failed;

    public long Calls => Interlocked.Read(ref _calls);
    public long Sends => Interlocked.Read(ref _sends);
    public long ErrorCount => _errors.Values.Sum();
    public long Failed => Interlocked.Read(ref _failed);
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>A send or edit that got <paramref name="decision"/>.</summary>
    public void Send(string decision, double ms)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _sends);
        Add(decision, ms);
        Add(SendLabel, ms);
        var list = _perSecond.GetOrAdd(Second, _ => []);
        lock (list)
        {
            list.Add(ms);
        }
    }

    private int Second => (int)_clock.Elapsed.TotalSeconds;

    /// <summary>A send refused because its branch had ended.</summary>
    public void Rejected(double ms)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _rejected);
        Add("rejected", ms);
    }

    /// <summary>Any other successful call.</summary>
    public void Call(string operation, double ms)
    {
        Interlocked.Increment(ref _calls);
        Add(operation, ms);
    }

    public void Error(Exception ex)
    {
        var code = Transient.Code(ex);
        var now = DateTimeOffset.UtcNow;
        _errors.AddOrUpdate(code, 1, (_, n) => n + 1);
        _errorTimes.AddOrUpdate(code, (now, now), (_, t) => (t.First, now > t.Last ? now : t.Last));
        _errorsPerSecond.AddOrUpdate(Second, 1, (_, n) => n + 1);
    }

    public void Fail()
    {
        Interlocked.Increment(ref _failed);
        _failedPerSecond.AddOrUpdate(Second, 1, (_, n) => n + 1);
    }

    public IReadOnlyDictionary<string, long> DecisionCounts() =>
        _samples.Where(s => s.Key != SendLabel).ToDictionary(s => s.Key, s => (long)Count(s.Value));

    public PhaseReport Report(string name, TimeSpan duration) => new()
    {
        Name = name,
        Seconds = Math.Round(duration.TotalSeconds, 2),
        Calls = Calls,
        Sends = Sends,
        Rejected = Interlocked.Read(ref _rejected),
        Errors = new SortedDictionary<string, long>(_errors),
        Failed = Failed,
        SendLatency = LatencySummary.Of(Copy(SendLabel)),
        Latency = new SortedDictionary<string, LatencySummary>(
            _samples.Keys.Where(k => k != SendLabel).ToDictionary(k => k, k => LatencySummary.Of(Copy(k)))),
        ErrorSpans = new SortedDictionary<string, ErrorSpan>(_errorTimes.ToDictionary(e => e.Key, e => new ErrorSpan(e.Value.First, e.Value.Last, _errors[e.Key]))),
        Timeline = Enumerable.Range(0, (int)Math.Ceiling(duration.TotalSeconds)).Select(second =>
        {
            List<double> samples;
            if (_perSecond.TryGetValue(second, out var list))
            {
                lock (list)
                {
                    samples = [.. list];
                }
            }
            else
            {
                samples = [];
            }

            var l = LatencySummary.Of(samples);
            return new TimelineSecond(second, _startUtc.AddSeconds(second), l.Count, l.P50, l.P99, l.Max,
                _errorsPerSecond.GetValueOrDefault(second), _failedPerSecond.GetValueOrDefault(second));
        }).ToList(),
    };

    private void Add(string label, double ms)
    {
        var list = _samples.GetOrAdd(label, _ => []);
        lock (list)
        {
            list.Add(ms);
        }
    }

    private List<double> Copy(string label)
    {
        if (!_samples.TryGetValue(label, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    private static int Count(List<double> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }
}
