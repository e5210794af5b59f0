using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Metadata;

namespace Parley.Hosting;

/// <summary>Tuning of <see cref="StrandedCallGuard"/> (configuration section <c>Parley:Cluster:Failover</c>, clients only).</summary>
public sealed class FailoverOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Cluster:Failover";

    /// <summary>
    /// After a silo is lost, how long a call that was already in flight may still take before it is given up with
    /// <see cref="SiloUnavailableException"/> (default 1 s). Calls on healthy silos normally finish well within it; a call
    /// still running then was most likely sent to (or through) the lost silo and would otherwise wait for the whole
    /// response timeout. 0 disables the guard.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the client asks a gateway for the cluster's silo list (Orleans'
    /// <see cref="TypeManagementOptions.TypeMapRefreshInterval"/>, default 1 min there; 2 s here), so that a silo declared
    /// dead is noticed even when no gateway connection to it closes (a machine that vanished without closing its sockets).
    /// </summary>
    public TimeSpan SiloListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Fails calls stranded on a lost silo soon after the loss, instead of at the response timeout. An Orleans client does
/// not fail its outstanding calls when a silo dies (only silos do that for their own calls, when the silo is declared
/// dead): a request already handed to a gateway that is then killed, or forwarded by a gateway to a silo that is then
/// killed, waits for <c>ResponseTimeout</c> (30 s by default). This guard hears of a lost silo from two sources: a
/// gateway connection closing (at once on a process crash) and a silo leaving the cluster's silo list (within
/// <see cref="FailoverOptions.SiloListRefreshPeriod"/> of the death declaration). Every call that was in flight at that
/// moment and is still unanswered <see cref="FailoverOptions.Grace"/> later is given up with a
/// <see cref="SiloUnavailableException"/>, which callers treat as transient and retry with the same ids (the grains
/// are idempotent on them, so a retry of a call that did complete returns its first result).
/// </summary>
/// <remarks>
/// The given-up call is not cancelled on the silo: if it was in fact alive and slow, it completes there, and the retry
/// waits behind it (conversation grains are not reentrant) and returns its result. Calls without an idempotency key
/// (written feedback) may then be recorded twice, as they may after any timeout.
/// </remarks>
public sealed partial class StrandedCallGuard : IOutgoingGrainCallFilter, IClusterConnectionStatusObserver
{
    private readonly TimeSpan _grace;
    private readonly ILogger<StrandedCallGuard> _logger;
    private TaskCompletionSource<string> _loss = NewLoss();

    public StrandedCallGuard(IOptions<FailoverOptions> options, ILogger<StrandedCallGuard> logger)
    {
        _grace = options.Value.Grace;
        _logger = logger;
    }

    /// <summary>How many calls were given up since start (for tests and diagnostics).</summary>
    public long GivenUp => Interlocked.Read(ref _givenUp);

    private long _givenUp;

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (_grace <= TimeSpan.Zero)
        {
            await context.Invoke();
            return;
        }

        // The loss signal current when the call starts: only a silo lost while the call is in flight can strand it.
        var loss = Volatile.Read(ref _loss).Task;
        var call = context.Invoke();
        if (call.IsCompleted || await Task.WhenAny(call, loss) == call)
        {
            await call;
            return;
        }

        if (await Task.WhenAny(call, Task.Delay(_grace)) == call)
        {
            await call;
            return;
        }

        // Observe the abandoned call's eventual failure (its response timeout) so it is not reported as unobserved.
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Interlocked.Increment(ref _givenUp);
        LogGivenUp(_logger, context.InterfaceName, context.MethodName, loss.Result);
        throw new SiloUnavailableException(
            $"A silo was lost ({loss.Result}) while this call to {context.InterfaceName}.{context.MethodName} was in flight, and it had no answer " +
            $"{_grace.TotalSeconds:0.#} s later; retry it with the same ids.");
    }

    /// <summary>Signals a lost silo to every call in flight; calls started from now on wait for the next loss.</summary>
    public void OnSiloLost(string what)
    {
        var lost = Interlocked.Exchange(ref _loss, NewLoss());
        LogLost(_logger, what);
        lost.TrySetResult(what);
    }

    void IClusterConnectionStatusObserver.NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            OnSiloLost($"a gateway connection closed, {currentNumberOfGateways} left");
        }
    }

    void IClusterConnectionStatusObserver.NotifyClusterConnectionLost() => OnSiloLost("every gateway connection closed");

    private static TaskCompletionSource<string> NewLoss() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo lost: {What}; calls in flight get their grace period")]
    private static partial void LogLost(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up {Interface}.{Method}: in flight when a silo was lost ({What}) and unanswered after the grace period")]
    private static partial void LogGivenUp(ILogger logger, string @interface, string method, string what);
}

/// <summary>Watches the client's view of the cluster's silos and reports a silo that left it to the guard.</summary>
internal sealed class SiloListWatcher(IServiceProvider services, StrandedCallGuard guard) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not in the constructor: the manifest provider belongs to the Orleans client, which may start later.
        var manifests = services.GetRequiredService<IClusterManifestProvider>();
        HashSet<SiloAddress>? known = null;
        try
        {
            await foreach (var manifest in manifests.Updates.WithCancellation(stoppingToken))
            {
                var silos = manifest.Silos.Keys.ToHashSet();
                if (known is not null && known.FirstOrDefault(s => !silos.Contains(s)) is { } gone)
                {
                    guard.OnSiloLost($"silo {gone} left the cluster's silo list");
                }

                known = silos;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Registration of the guard on an Orleans client.</summary>
public static class StrandedCallGuardExtensions
{
    /// <summary>
    /// Adds the <see cref="StrandedCallGuard"/> (an outgoing grain call filter and a gateway-connection observer) and the
    /// silo-list watcher to a client, tuned by <c>Parley:Cluster:Failover</c>. Register it after other outgoing filters
    /// that should see the calls it gives up as failures.
    /// </summary>
    public static IClientBuilder AddParleyFailover(this IClientBuilder client, IConfiguration configuration)
    {
        client.Services.Configure<FailoverOptions>(configuration.GetSection(FailoverOptions.Section));
        client.Services.AddSingleton<StrandedCallGuard>();
        client.Services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<StrandedCallGuard>());
        client.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<StrandedCallGuard>());
        client.Services.AddOptions<TypeManagementOptions>().Configure<IOptions<FailoverOptions>>((o, failover) =>
            o.TypeMapRefreshInterval = failover.Value.SiloListRefreshPeriod);
        client.Services.AddHostedService<SiloListWatcher>();
        return client;
    }
}
