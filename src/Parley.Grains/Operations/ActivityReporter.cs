using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Abstractions;
using Parley.Grains.Hosting;

namespace Parley.Grains.Operations;

/// <summary>The write side of the operators' summary grain (key 0), called only by each silo's <see cref="ActivityReporter"/>.</summary>
[Alias("parley.IActivitySink")]
public interface IActivitySink : IGrainWithIntegerKey
{
    /// <summary>Replaces what <paramref name="silo"/> reported before with its whole current window.</summary>
    [Alias("Report")]
    Task ReportAsync(string silo, List<MinuteActivity> minutes);
}

/// <summary>
/// Sends this silo's <see cref="ActivityCounters"/> window to the summary grain every <see cref="OperatorOptions.ReportPeriod"/>
/// while the silo is active, and once more as it stops. Whole windows, not deltas: a report that is lost or repeated
/// changes nothing, and a summary grain that moved to another silo is complete again after one period.
/// </summary>
internal sealed class ActivityReporter(
    ActivityCounters counters,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<OperatorOptions> options,
    ILogger<ActivityReporter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan FinalReportTimeout = TimeSpan.FromSeconds(2);

    private CancellationTokenSource? _stop;
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ActivityReporter), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null || _loop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();

        // The last period's counts, best effort: a stopping silo does not wait a grain call's whole response timeout for it.
        try
        {
            await ReportAsync().WaitAsync(FinalReportTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            logger.LogInformation("The final report to the operators' summary did not finish in time; its counts are not in the summary");
        }
    }

    private async Task LoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.ReportPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await ReportAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task ReportAsync()
    {
        try
        {
            await grains.GetGrain<IActivitySink>(0).ReportAsync(silo.SiloAddress.ToParsableString(), counters.Snapshot());
        }
        catch (Exception ex)
        {
            // The next report carries the same counts; nothing is lost by skipping one.
            logger.LogWarning(ex, "Reporting decision counts to the operators' summary failed; the next report will carry them");
        }
    }
}
