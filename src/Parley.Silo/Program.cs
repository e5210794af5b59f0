using OpenTelemetry.Metrics;
using Parley.Api;
using Parley.Grains.Hosting;
using Parley.Hosting;

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

if (frontEnd)
{
    builder.UseOrleansClient(client => client.UseParleyClustering(builder.Configuration));
}
else
{
    builder.UseOrleans(silo =>
    {
        silo.UseParleyClustering(builder.Configuration);
        silo.AddParleyStorage(builder.Configuration);
        silo.AddParley(builder.Configuration);
    });
}

builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
builder.Services.AddParleyApi(builder.Configuration);

// Metrics for Prometheus at /metrics: Parley's decisions, endings, crisis replies, classifier latency and feedback,
// plus Orleans' and ASP.NET Core's own meters.
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(Parley.Grains.ParleyMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
    .AddPrometheusExporter());

var app = builder.Build();

app.UseParleyApi();
app.MapHealthChecks("/health").DisableRateLimiting();
app.MapPrometheusScrapingEndpoint("/metrics").DisableRateLimiting().RequireOperatorUnlessPublicMetrics(app.Services);
app.MapParleyApi();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var log = app.Services.GetRequiredService<ILogger<Program>>();
    log.LogInformation("Parley {Role} started: web chat and HTTP API on {Urls} (OpenAPI page /api/docs); Orleans gateway port {GatewayPort}; storage {Storage}. Press Ctrl+C to stop.",
        frontEnd ? "front end" : "silo", string.Join(", ", app.Urls), cluster.GetValue("GatewayPort", 30000),
        frontEnd ? "(cluster)" : app.Configuration.GetValue("Parley:Storage:Provider", "Memory"));
});

app.Run();

/// <summary>Entry point (public so integration tests can host it).</summary>
public partial class Program;
