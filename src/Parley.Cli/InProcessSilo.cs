using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Grains.Hosting;

namespace Parley.Cli;

/// <summary>A single silo inside the CLI process (in-memory storage, free loopback ports), so commands use the real grains.</summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<InProcessSilo> StartAsync(IConfiguration? configuration = null)
    {
        var builder = Host.CreateApplicationBuilder();
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "parley-cli", clusterId: $"cli-{Environment.ProcessId}");
            silo.AddParleyStorage(builder.Configuration);
            silo.AddParley(builder.Configuration);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessSilo(host);
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
