using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Parley.Grains.Hosting;

namespace Parley.Hosting;

/// <summary>
/// Chooses storage and clustering from configuration, the same way for the silo host, the CLI's in-process silo and tests:
/// <c>Parley:Storage</c> (<see cref="ParleyStorageOptions"/>) and <c>Parley:Cluster</c> (<see cref="ParleyClusterOptions"/>),
/// bound with the options pattern and validated when the host starts (and, because the provider choice is made while the
/// silo is built, once more then).
/// </summary>
public static class ParleyInfrastructure
{
    /// <summary>Adds grain storage for every Parley store, as configured.</summary>
    public static ISiloBuilder AddParleyStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        var storage = Bind<ParleyStorageOptions>(silo.Services, configuration, ParleyStorageOptions.Section);
        if (storage.Provider == StorageProvider.Memory)
        {
            return silo.AddParleyMemoryStorage();
        }

        foreach (var name in ParleyStorage.All)
        {
            silo.AddAzureTableGrainStorage(name, (OptionsBuilder<Orleans.Configuration.AzureTableStorageOptions> table) =>
                table.Configure<IOptions<ParleyStorageOptions>>((o, s) =>
                {
                    o.TableServiceClient = s.Value.CreateTableServiceClient();
                    o.TableName = TableName(name);
                }));
        }

        // Stored state is plain JSON (System.Text.Json): no CLR type names, so renaming a class does not break stored data.
        silo.UseSystemTextJsonGrainStorageSerializer();
        return silo;
    }

    /// <summary>Adds in-memory storage for every Parley store (the embedded default; nothing survives a restart).</summary>
    public static ISiloBuilder AddParleyMemoryStorage(this ISiloBuilder silo)
    {
        foreach (var name in ParleyStorage.All)
        {
            silo.AddMemoryGrainStorage(name);
        }

        return silo;
    }

    /// <summary>The Azure table that holds one Parley store, e.g. <c>ParleyTurns</c>.</summary>
    public static string TableName(string storageName) => "Parley" + char.ToUpperInvariant(storageName[0]) + storageName[1..];

    /// <summary>Configures clustering and endpoints (silo and gateway ports, cluster and service ids).</summary>
    public static ISiloBuilder UseParleyClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var storage = Bind<ParleyStorageOptions>(silo.Services, configuration, ParleyStorageOptions.Section);
        var cluster = Bind<ParleyClusterOptions>(silo.Services, configuration, ParleyClusterOptions.Section, storage);
        if (cluster.Provider == ClusterProvider.Localhost)
        {
            return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        }

        silo.UseAzureStorageClustering(o => o.TableServiceClient = cluster.AccountOr(storage).CreateTableServiceClient());
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = cluster.ServiceId;
            o.ClusterId = cluster.ClusterId;
        });
        silo.ConfigureEndpoints(cluster.AdvertisedIPAddress ?? Dns.GetHostName(), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        return silo;
    }

    /// <summary>Configures a client (the CLI, a separate front end) to reach the cluster the same configuration describes.</summary>
    public static IClientBuilder UseParleyClustering(this IClientBuilder client, IConfiguration configuration)
    {
        var storage = Bind<ParleyStorageOptions>(client.Services, configuration, ParleyStorageOptions.Section);
        var cluster = Bind<ParleyClusterOptions>(client.Services, configuration, ParleyClusterOptions.Section, storage);
        if (cluster.Provider == ClusterProvider.Localhost)
        {
            return client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        }

        client.UseAzureStorageClustering(o => o.TableServiceClient = cluster.AccountOr(storage).CreateTableServiceClient());
        return client.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = cluster.ServiceId;
            o.ClusterId = cluster.ClusterId;
        });
    }

    // Registers the options (bound, validated on start) and returns the values the provider choice is made from, validated now.
    private static T Bind<T>(IServiceCollection services, IConfiguration configuration, string section, ParleyStorageOptions? storage = null)
        where T : class, new()
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ParleyStorageOptions>, StorageOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ParleyClusterOptions>, ClusterOptionsValidator>());
        var value = configuration.GetSection(section).Get<T>() ?? new T();
        var result = value switch
        {
            ParleyStorageOptions s => new StorageOptionsValidator().Validate(null, s),
            ParleyClusterOptions c => new ClusterOptionsValidator(Options.Create(storage ?? new ParleyStorageOptions())).Validate(null, c),
            _ => ValidateOptionsResult.Success,
        };
        if (result.Failed)
        {
            throw new OptionsValidationException(section, typeof(T), result.Failures ?? []);
        }

        return value;
    }
}
