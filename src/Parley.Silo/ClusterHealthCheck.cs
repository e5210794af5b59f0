using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Grains.Classification;

/// <summary>
/// Healthy when a grain call succeeds: a classification on the stateless worker pool. In a co-hosted silo that worker is local,
/// so it shows this silo can run grains (not that others are reachable); in the FrontEnd role the call goes through a gateway.
/// </summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IClassifierGrain>(0).ClassifyAsync("health check", []).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy("grain calls succeed");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("grain calls fail", ex);
        }
    }
}
