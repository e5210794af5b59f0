using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Grains.Hosting;
using Parley.Hosting;

namespace Parley.Cli;

/// <summary>
/// Where the CLI's grains run: by default a single silo inside the CLI process (in-memory storage unless configured,
/// free loopback ports); with <c>--connect</c>, an Orleans client of the running cluster that <c>Parley:Cluster</c> describes.
/// Configuration comes from <c>appsettings.json</c> in the working directory and <c>Parley__...</c> environment variables.
/// </summary>
public sealed class GrainConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private GrainConnection(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The configuration the connection was opened with (appsettings.json and <c>Parley__...</c> variables).</summary>
    public IConfiguration Configuration => _host.Services.GetRequiredService<IConfiguration>();

    public static async Task<GrainConnection> OpenAsync(bool connectToCluster)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Logging.ClearProviders();
        var configuration = builder.Configuration;
        if (connectToCluster)
        {
            builder.UseOrleansClient(client =>
            {
                client.UseParleyClustering(configuration);
                // The same tuning keys as a front end: how often the gateway list is refreshed, and how long a call
                // waits for an answer; calls stranded on a silo that is killed are given up soon after (AddParleyFailover).
                client.Services.Configure<Orleans.Configuration.GatewayOptions>(configuration.GetSection("Parley:Cluster:Gateway"));
                client.Services.Configure<Orleans.Configuration.ClientMessagingOptions>(configuration.GetSection("Parley:Cluster:Messaging"));
                client.AddParleyFailover(configuration);
            });
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "parley-cli", clusterId: $"cli-{Environment.ProcessId}");
                silo.AddParleyStorage(configuration);
                silo.AddParley(configuration);
            });
        }

        var host = builder.Build();
        await host.StartAsync();
        return new GrainConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
