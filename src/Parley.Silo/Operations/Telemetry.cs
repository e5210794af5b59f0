using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Parley.Silo.Operations;

/// <summary>
/// Metrics and traces. Metrics (Parley's meters, Orleans', ASP.NET Core's and Kestrel's) are always scraped at
/// <c>/metrics</c>; with an OTLP endpoint configured (<c>Parley:Telemetry:OtlpEndpoint</c> or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) metrics are also pushed there, and traces are recorded and exported: HTTP request →
/// grain calls (Orleans activity propagation) → storage operations. Spans carry ids (conversation grain id, route), never
/// message text.
/// </summary>
public static class Telemetry
{
    public static string? OtlpEndpoint(IConfiguration configuration) =>
        configuration["Parley:Telemetry:OtlpEndpoint"] is { Length: > 0 } endpoint ? endpoint
        : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } standard ? standard
        : null;

    public static IServiceCollection AddParleyTelemetry(this IServiceCollection services, IConfiguration configuration, string role)
    {
        var otlp = OtlpEndpoint(configuration);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: configuration["Parley:Telemetry:ServiceName"] ?? "parley", serviceInstanceId: $"{role}-{Environment.MachineName}-{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Parley.Grains.ParleyMetrics.MeterName, FrontEndMetrics.MeterName, "Microsoft.Orleans",
                        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(Orleans.Diagnostics.ActivitySources.AllActivitySourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics"))
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }

        return services;
    }
}
