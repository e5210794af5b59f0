using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Parley.Silo.Operations;

/// <summary>
/// Three health endpoints with different questions:
/// <list type="bullet">
/// <item><c>/health/live</c>: the process serves HTTP (no checks; a Kubernetes liveness probe).</item>
/// <item><c>/health/ready</c>: this process should get traffic: a silo has joined the cluster (status Active, which it
/// reaches only after the classifier model is loaded) and is not shutting down; a front end reaches the cluster and is not
/// shutting down (a Kubernetes readiness probe).</item>
/// <item><c>/health</c>: the cluster as a whole serves: a grain call round-trips AND every silo the membership lists as
/// active answers. While a killed silo is not yet declared dead, calls to its grains fail, and this says so (503).</item>
/// </list>
/// Each answers JSON: the overall status and every check's status and description.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";
    private const string Cluster = "cluster";

    public static IServiceCollection AddParleyHealth(this IServiceCollection services, bool frontEnd)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("grain-round-trip", tags: [Cluster])
            .AddCheck<SiloReachabilityCheck>("silos-reachable", tags: [Cluster])
            .AddCheck<StoppingCheck>("not-stopping", tags: [Ready]);
        if (frontEnd)
        {
            checks.AddCheck<ClusterHealthCheck>("cluster-reachable", tags: [Ready]);
        }
        else
        {
            checks.AddCheck<SiloJoinedCheck>("silo-active", tags: [Ready]);
        }

        return services;
    }

    public static void MapParleyHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", Options(_ => false)).DisableRateLimiting();
        endpoints.MapHealthChecks("/health/ready", Options(c => c.Tags.Contains(Ready))).DisableRateLimiting();
        endpoints.MapHealthChecks("/health", Options(c => c.Tags.Contains(Cluster))).DisableRateLimiting();
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteAsync,
    };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}

/// <summary>Unhealthy from the moment the host starts stopping, so a load balancer stops sending new requests.</summary>
internal sealed class StoppingCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("shutting down")
            : HealthCheckResult.Healthy("running"));
}

/// <summary>Healthy when this silo is Active in the cluster's membership (joined, classifier loaded, not leaving).</summary>
internal sealed class SiloJoinedCheck(IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {local.SiloAddress} is active")
            : HealthCheckResult.Unhealthy($"silo {local.SiloAddress} is {status}"));
    }
}

/// <summary>
/// Asks every silo the membership lists as active for its runtime statistics (a system call to that silo, not a grain
/// activation). A silo that was killed stays "active" until the others declare it dead; until then its grains are
/// unavailable and this check names it.
/// </summary>
internal sealed class SiloReachabilityCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var management = grains.GetGrain<IManagementGrain>(0);
            var silos = await management.GetHosts(onlyActive: true).WaitAsync(Timeout, cancellationToken);
            var answers = await Task.WhenAll(silos.Keys.Select(async silo =>
            {
                try
                {
                    await management.GetRuntimeStatistics([silo]).WaitAsync(Timeout, cancellationToken);
                    return (silo, error: (string?)null);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    return (silo, error: ex.GetType().Name);
                }
            }));
            var failed = answers.Where(a => a.error is not null).ToList();
            var data = answers.ToDictionary(a => a.silo.ToString(), a => (object)(a.error ?? "ok"));
            return failed.Count == 0
                ? HealthCheckResult.Healthy($"{answers.Length} active silo(s) answer", data)
                : HealthCheckResult.Unhealthy(
                    $"{failed.Count} of {answers.Length} active silo(s) do not answer: {string.Join(", ", failed.Select(f => $"{f.silo} ({f.error})"))}",
                    data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the membership cannot be read", ex);
        }
    }
}
