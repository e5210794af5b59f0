using Parley.Abstractions;
using Parley.Grains.Hosting;

// The Parley silo: grains plus (later) the HTTP API and web chat, in one ASP.NET Core host.
var builder = WebApplication.CreateBuilder(args);

builder.UseOrleans(silo =>
{
    silo.UseParleyClustering(builder.Configuration);
    silo.AddParleyStorage(builder.Configuration);
    silo.AddParley(builder.Configuration);
});

builder.Services.AddHealthChecks();

var app = builder.Build();

app.MapHealthChecks("/health");
app.MapGet("/", () => Results.Text(
    "Parley is running. Front ends connect through the Orleans gateway (see README.md); GET /health for a health check.\n"));

app.Lifetime.ApplicationStarted.Register(() =>
{
    var log = app.Services.GetRequiredService<ILogger<Program>>();
    var cluster = app.Configuration.GetSection("Parley:Cluster");
    log.LogInformation("Parley silo started: HTTP on {Urls}; Orleans silo port {SiloPort}, gateway port {GatewayPort}; storage {Storage}. Press Ctrl+C to stop.",
        string.Join(", ", app.Urls), cluster.GetValue("SiloPort", 11111), cluster.GetValue("GatewayPort", 30000),
        app.Configuration.GetValue("Parley:Storage:Provider", "Memory"));
});

app.Run();

/// <summary>Entry point (public so integration tests can host it).</summary>
public partial class Program;
