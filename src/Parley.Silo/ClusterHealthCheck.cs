using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Abstractions;

/// <summary>Healthy when a grain call round-trips through the cluster (a classification on the stateless worker pool).</summary>
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
