using Orleans.Concurrency;
using Parley.Abstractions;

namespace Parley.Grains.Operations;

/// <summary>
/// The operators' summary (key 0), in memory only: the latest window each silo reported, merged by minute when read, with
/// the membership's silos and their activation counts and the feedback totals. Reentrant: a report only replaces one
/// dictionary entry (no await), so it may run while a read waits for the management grain.
/// </summary>
[Reentrant]
public sealed class OperatorSummaryGrain(TimeProvider time) : Grain, IOperatorSummaryGrain, IActivitySink
{
    private readonly Dictionary<string, (DateTimeOffset At, List<MinuteActivity> Minutes)> _reports = [];

    public Task ReportAsync(string silo, List<MinuteActivity> minutes)
    {
        _reports[silo] = (time.GetUtcNow(), minutes);
        return Task.CompletedTask;
    }

    public async Task<OperatorSummary> GetSummaryAsync()
    {
        var now = time.GetUtcNow();
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var feedback = GrainFactory.GetGrain<IFeedbackGrain>(0).GetTotalsAsync();
        var hosts = (await management.GetHosts(onlyActive: false)).Where(h => h.Value != SiloStatus.Dead).OrderBy(h => h.Key.ToParsableString()).ToList();
        var active = hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key).ToArray();
        var activations = new Dictionary<SiloAddress, int>();
        try
        {
            var statistics = await management.GetRuntimeStatistics(active);
            for (var i = 0; i < active.Length; i++)
            {
                activations[active[i]] = statistics[i].ActivationCount;
            }
        }
        catch (Exception)
        {
            // A silo that does not answer (dying, not yet declared dead): its activations are shown as unknown.
        }

        var current = ActivityCounters.MinuteOf(now);
        var first = current - ActivityCounters.WindowMinutes + 1;
        var merged = new SortedDictionary<long, (Dictionary<string, long> Decisions, Dictionary<string, long> Endings)>();
        for (var minute = first; minute <= current; minute++)
        {
            merged[minute] = ([], []);
        }

        foreach (var report in _reports.Where(r => r.Value.At >= now.AddMinutes(-ActivityCounters.WindowMinutes)).ToList())
        {
            foreach (var m in report.Value.Minutes)
            {
                if (merged.TryGetValue(ActivityCounters.MinuteOf(m.Minute), out var into))
                {
                    Add(into.Decisions, m.Decisions);
                    Add(into.Endings, m.Endings);
                }
            }
        }

        // Reports older than the window carry nothing the summary shows any more.
        foreach (var stale in _reports.Where(r => r.Value.At < now.AddMinutes(-ActivityCounters.WindowMinutes)).Select(r => r.Key).ToList())
        {
            _reports.Remove(stale);
        }

        return new OperatorSummary
        {
            At = now,
            Silos = hosts.Select(h => new SiloSummary
            {
                Address = h.Key.ToParsableString(),
                Status = h.Value.ToString(),
                Activations = activations.TryGetValue(h.Key, out var count) ? count : null,
                ReportedAt = _reports.TryGetValue(h.Key.ToParsableString(), out var r) ? r.At : null,
            }).ToList(),
            WindowMinutes = ActivityCounters.WindowMinutes,
            Minutes = merged.Select(m => new MinuteActivity
            {
                Minute = DateTimeOffset.FromUnixTimeSeconds(m.Key * 60),
                Decisions = m.Value.Decisions,
                Endings = m.Value.Endings,
            }).ToList(),
            Feedback = await feedback,
        };
    }

    private static void Add(Dictionary<string, long> into, IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (key, value) in counts)
        {
            into[key] = into.GetValueOrDefault(key) + value;
        }
    }
}
