namespace Parley.Abstractions;

/// <summary>
/// The operators' summary of the cluster (one grain, key 0; kept in memory, nothing stored): the silos and their
/// activations, decisions and endings per minute over the last hour, and the feedback totals. Read by operators.
/// </summary>
[Alias("parley.IOperatorSummaryGrain")]
public interface IOperatorSummaryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The summary now. Each silo reports its own counts every <c>Parley:Operator:ReportPeriod</c> (10 s), so the newest
    /// minute lags by up to that long; a silo that dies takes its unreported counts with it.
    /// </summary>
    [Alias("GetSummary")]
    Task<OperatorSummary> GetSummaryAsync();
}

/// <summary>The operators' summary of the cluster.</summary>
[GenerateSerializer, Immutable, Alias("parley.OperatorSummary")]
public sealed record OperatorSummary
{
    /// <summary>When it was made.</summary>
    [Id(0)] public DateTimeOffset At { get; init; }

    /// <summary>The silos the membership lists and has not declared dead.</summary>
    [Id(1)] public IReadOnlyList<SiloSummary> Silos { get; init; } = [];

    /// <summary>How many minutes <see cref="Minutes"/> covers (60).</summary>
    [Id(2)] public int WindowMinutes { get; init; }

    /// <summary>Every minute of the window, oldest first, the current (incomplete) minute last; minutes without traffic are zero.</summary>
    [Id(3)] public IReadOnlyList<MinuteActivity> Minutes { get; init; } = [];

    /// <summary>The cluster-wide feedback totals (all time).</summary>
    [Id(4)] public FeedbackTotals Feedback { get; init; } = new();

    /// <summary>Activations on all listed silos (grains of every kind, Orleans' own included).</summary>
    public long Activations => Silos.Sum(s => (long)(s.Activations ?? 0));

    /// <summary>Decisions in the last complete minute (the one before the current minute).</summary>
    public long DecisionsLastMinute => Minutes.Count >= 2 ? Minutes[^2].DecisionTotal : 0;

    /// <summary>Decisions over the window by decision (wire names, e.g. <c>respond</c>, <c>end</c>).</summary>
    public IReadOnlyDictionary<string, long> Decisions => Sum(Minutes.Select(m => m.Decisions));

    /// <summary>Endings over the window by end reason (wire names, e.g. <c>persistent_abuse</c>).</summary>
    public IReadOnlyDictionary<string, long> Endings => Sum(Minutes.Select(m => m.Endings));

    private static SortedDictionary<string, long> Sum(IEnumerable<IReadOnlyDictionary<string, long>> counts)
    {
        var sum = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in counts.SelectMany(c => c))
        {
            sum[key] = sum.GetValueOrDefault(key) + value;
        }

        return sum;
    }
}

/// <summary>One silo as the operators' summary shows it.</summary>
[GenerateSerializer, Immutable, Alias("parley.SiloSummary")]
public sealed record SiloSummary
{
    /// <summary>Its address (<c>host:port@generation</c>).</summary>
    [Id(0)] public string Address { get; init; } = "";

    /// <summary>Its membership status: <c>Active</c>, <c>Joining</c>, <c>ShuttingDown</c>, ...</summary>
    [Id(1)] public string Status { get; init; } = "";

    /// <summary>Its activations (every grain kind), or null when it did not answer.</summary>
    [Id(2)] public int? Activations { get; init; }

    /// <summary>When it last reported its decision counts, or null if it has not (yet).</summary>
    [Id(3)] public DateTimeOffset? ReportedAt { get; init; }
}

/// <summary>Decisions and endings in one minute, summed over the silos.</summary>
[GenerateSerializer, Immutable, Alias("parley.MinuteActivity")]
public sealed record MinuteActivity
{
    /// <summary>The start of the minute (UTC).</summary>
    [Id(0)] public DateTimeOffset Minute { get; init; }

    /// <summary>Decisions by decision (wire names).</summary>
    [Id(1)] public IReadOnlyDictionary<string, long> Decisions { get; init; } = new Dictionary<string, long>();

    /// <summary>Endings by end reason (wire names); an ending confirmed by the user has no decision of its own.</summary>
    [Id(2)] public IReadOnlyDictionary<string, long> Endings { get; init; } = new Dictionary<string, long>();

    /// <summary>All decisions in the minute.</summary>
    public long DecisionTotal => Decisions.Values.Sum();
}
