using Microsoft.Extensions.Logging.Console;
using Parley.Api;
using Parley.Grains.Hosting;
using Parley.Hosting;
using Parley.Silo.Operations;

// The Parley host. By default (Parley:Role=Silo) one process runs a silo with the grains AND the HTTP API and web chat.
// With Parley:Role=FrontEnd the same program runs only the HTTP API and web chat, as an Orleans client of a cluster,
// so front ends and silos scale separately.
var builder = WebApplication.CreateBuilder(args);
var cluster = builder.Configuration.GetSection("Parley:Cluster");
var role = builder.Configuration.GetValue("Parley:Role", "Silo")!;
var frontEnd = string.Equals(role, "FrontEnd", StringComparison.OrdinalIgnoreCase);
if (!frontEnd && !string.Equals(role, "Silo", StringComparison.OrdinalIgnoreCase))
{
    throw new InvalidOperationException($"Parley:Role '{role}' is not supported; use Silo or FrontEnd.");
}

// Console logs: one line per entry with a UTC time, and a failing silo's repeated errors summarised (ThrottledConsoleFormatter).
// Logging:Console:FormatterName=simple (or json) selects one of .NET's own formats instead.
var formatter = builder.Configuration["Logging:Console:FormatterName"] ?? ThrottledConsoleFormatter.FormatterName;
builder.Logging.AddConsole(o => o.FormatterName = formatter)
    .AddConsoleFormatter<ThrottledConsoleFormatter, ThrottledConsoleFormatterOptions>();

if (frontEnd)
{
    builder.UseOrleansClient(client =>
    {
        client.UseParleyClustering(builder.Configuration);
        client.AddParleyClusterTuning(builder.Configuration);
        client.AddOutgoingGrainCallFilter<FrontEndMetrics>();
        // After the metrics filter, so calls it gives up (stranded on a killed silo) are counted as errors.
        client.AddParleyFailover(builder.Configuration);
        client.AddActivityPropagation();
        client.AddParleyDashboard(builder.Configuration);
    });
}
else
{
    builder.UseOrleans(silo =>
    {
        silo.UseParleyClustering(builder.Configuration);
        silo.AddParleyClusterTuning(builder.Configuration);
        silo.AddParleyStorage(builder.Configuration);
        silo.AddParley(builder.Configuration);
        silo.AddOutgoingGrainCallFilter<FrontEndMetrics>();
        silo.AddActivityPropagation();
        silo.AddParleyDashboard(builder.Configuration);
        if (builder.Configuration.GetValue("Parley:Hosting:Kubernetes", false))
        {
            // Pod labels, POD_IP as the advertised address, ORLEANS_SERVICE_ID/ORLEANS_CLUSTER_ID; clustering stays Azure Table.
            silo.UseKubernetesHosting();
        }
    });
}

builder.Services.AddParleyHealth(frontEnd);
builder.Services.AddParleyShutdownTimeout(builder.Configuration);
builder.Services.AddParleyApi(builder.Configuration);

// Metrics for Prometheus at /metrics (Parley's meters: the grains' decisions, endings, crisis replies, classifier latency
// and feedback on silos, and the front end's view of sends in both roles; plus Orleans' and ASP.NET Core's own meters);
// OTLP metrics and traces when an endpoint is configured.
builder.Services.AddParleyTelemetry(builder.Configuration, frontEnd ? "frontend" : "silo");

var app = builder.Build();

app.UseParleyApi();
app.MapParleyHealth();
app.MapPrometheusScrapingEndpoint("/metrics").DisableRateLimiting().RequireOperatorUnlessPublicMetrics(app.Services);
app.MapParleyApi();
app.MapParleyDashboard(); // the Orleans Dashboard at /dashboard, operator role (Parley:Dashboard:Enabled)

app.Lifetime.ApplicationStarted.Register(() =>
{
    var log = app.Services.GetRequiredService<ILogger<Program>>();
    if (frontEnd)
    {
        // A front end opens no Orleans ports: it connects to the silos' gateways as a client.
        log.LogInformation("Parley front end started: web chat and HTTP API on {Urls} (OpenAPI page /api/docs); an Orleans client of cluster {ClusterId} ({Clustering} clustering). Press Ctrl+C to stop.",
            string.Join(", ", app.Urls), cluster["ClusterId"] ?? "dev", cluster["Provider"] ?? "Localhost");
        return;
    }

    var endpoints = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.EndpointOptions>>().Value;
    log.LogInformation("Parley silo started: web chat and HTTP API on {Urls} (OpenAPI page /api/docs); Orleans silo port {SiloEndpoint}, gateway {GatewayEndpoint}; storage {Storage}. Press Ctrl+C to stop.",
        string.Join(", ", app.Urls), endpoints.SiloListeningEndpoint?.ToString() ?? $"*:{endpoints.SiloPort}",
        endpoints.GatewayListeningEndpoint?.ToString() ?? $"*:{endpoints.GatewayPort}", app.Configuration.GetValue("Parley:Storage:Provider", "Memory"));
});

app.Run();

/// <summary>Entry point (public so integration tests can host it).</summary>
public partial class Program;
