using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

using Parley.Grains.Hosting;

namespace Parley.Hosting;

/// <summary>
/// Chooses storage and clustering from configuration, the same way for the silo host, the CLI's in-process silo and tests:
/// <c>Parley:Storage:Provider</c> = <c>Memory</c> (default) | <c>AzureStorage</c>, and
/// <c>Parley:Cluster:Provider</c> = <c>Localhost</c> (default) | <c>AzureStorage</c>.
/// </summary>
public static class ParleyInfrastructure
{
    /// <summary>Adds grain storage for every Parley store, as configured.</summary>
    public static ISiloBuilder AddParleyStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection("Parley:Storage");
        var provider = section["Provider"] ?? "Memory";
        if (provider.Equals("Memory", StringComparison.OrdinalIgnoreCase))
        {
            return silo.AddParleyMemoryStorage();
        }

        if (!provider.Equals("AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Parley:Storage:Provider must be Memory or AzureStorage, not '{provider}'.");
        }

        var tables = TableClientFor(section, "Parley:Storage");
        foreach (var name in ParleyStorage.All)
        {
            silo.AddAzureTableGrainStorage(name, o =>
            {
                o.TableServiceClient = tables;
                o.TableName = TableName(name);
            });
        }

        // Stored state is plain JSON (System.Text.Json): no CLR type names, so renaming a class does not break stored data.
        silo.UseSystemTextJsonGrainStorageSerializer();
        return silo;
    }

    /// <summary>The Azure table that holds one Parley store, e.g. <c>ParleyTurns</c>.</summary>
    public static string TableName(string storageName) => "Parley" + char.ToUpperInvariant(storageName[0]) + storageName[1..];

    /// <summary>Configures clustering and endpoints (silo and gateway ports, cluster and service ids).</summary>
    public static ISiloBuilder UseParleyClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection("Parley:Cluster");
        var siloPort = section.GetValue("SiloPort", 11111);
        var gatewayPort = section.GetValue("GatewayPort", 30000);
        var serviceId = section["ServiceId"] ?? "parley";
        var clusterId = section["ClusterId"] ?? "dev";
        var provider = section["Provider"] ?? "Localhost";
        if (provider.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            return silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
        }

        if (!provider.Equals("AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Parley:Cluster:Provider must be Localhost or AzureStorage, not '{provider}'.");
        }

        var tables = TableClientFor(section, "Parley:Cluster", configuration.GetSection("Parley:Storage"));
        silo.UseAzureStorageClustering(o => o.TableServiceClient = tables);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = serviceId;
            o.ClusterId = clusterId;
        });
        var advertised = section["AdvertisedIPAddress"];
        silo.ConfigureEndpoints(
            advertised is null ? Dns.GetHostName() : advertised,
            siloPort, gatewayPort, listenOnAnyHostAddress: true);
        return silo;
    }

    /// <summary>Configures a client (the CLI, a separate front end) to reach the cluster the same configuration describes.</summary>
    public static IClientBuilder UseParleyClustering(this IClientBuilder client, IConfiguration configuration)
    {
        var section = configuration.GetSection("Parley:Cluster");
        var serviceId = section["ServiceId"] ?? "parley";
        var clusterId = section["ClusterId"] ?? "dev";
        var provider = section["Provider"] ?? "Localhost";
        if (provider.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            return client.UseLocalhostClustering(section.GetValue("GatewayPort", 30000), serviceId, clusterId);
        }

        var tables = TableClientFor(section, "Parley:Cluster", configuration.GetSection("Parley:Storage"));
        client.UseAzureStorageClustering(o => o.TableServiceClient = tables);
        return client.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = serviceId;
            o.ClusterId = clusterId;
        });
    }

    private static TableServiceClient TableClientFor(IConfigurationSection section, string name, IConfigurationSection? fallback = null)
    {
        var connection = section["ConnectionString"] ?? fallback?["ConnectionString"];
        var uri = section["ServiceUri"] ?? fallback?["ServiceUri"];
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return new TableServiceClient(connection);
        }

        if (!string.IsNullOrWhiteSpace(uri))
        {
            // A service URI without a key uses the ambient Azure identity (managed identity, workload identity, CLI login).
            return new TableServiceClient(new Uri(uri), new Azure.Identity.DefaultAzureCredential());
        }

        throw new InvalidOperationException(
            $"{name}:ConnectionString (for Azurite: UseDevelopmentStorage=true) or {name}:ServiceUri is required for AzureStorage.");
    }
}
