using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;
using Parley.Grains.Hosting;
using Parley.Hosting;

namespace Parley.Grains.Tests.Durability;

/// <summary>Builds real multi-silo TestingHost clusters whose grain state lives in Azure Table storage (Azurite).</summary>
public static class DurableCluster
{
    /// <summary>Grain state keys include the service id, so every durable cluster uses the same one to find earlier clusters' data.</summary>
    public const string ServiceId = "parley-durable-tests";

    /// <summary>Starts <paramref name="silos"/> silos on Azure Table storage at <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The Azurite connection string.</param>
    /// <param name="silos">How many silos.</param>
    /// <param name="flushPeriod">How often the feedback shards settle prepared ratings (default 0.5 s).</param>
    /// <param name="settings">Further <c>Parley:*</c> settings, over the ones below.</param>
    /// <param name="client">Further configuration of the cluster's client.</param>
    public static async Task<InProcessTestCluster> StartAsync(string connectionString, short silos, string? flushPeriod = null,
        IDictionary<string, string?>? settings = null, Action<IClientBuilder, IConfiguration>? client = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parley:Storage:Provider"] = "AzureStorage",
            ["Parley:Storage:ConnectionString"] = connectionString,
            ["Parley:Feedback:FlushPeriod"] = flushPeriod ?? "00:00:00.500",
            // The 10 s response timeout below must hold classification (2 s), the reply and storage (validated at start).
            ["Parley:Conversation:ChatTimeout"] = "00:00:03",
            ["Parley:Conversation:ClassifierTimeout"] = "00:00:02", // with the chat timeout, inside the 10 s response timeout below
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = ServiceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddParleyStorage(configuration).AddParley(configuration);
            // Fast failure detection (the Orleans failover-test recipe) and short call timeouts, so a killed silo is noticed quickly.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.NumMissedProbesLimit = 1;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
        builder.ConfigureClient(c =>
        {
            c.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            client?.Invoke(c, configuration);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

/// <summary>One Azurite (in memory) shared by the durable-storage tests.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public Azurite Azurite { get; private set; } = null!;

    public async Task InitializeAsync() => Azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DurableCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "durable storage (Azurite)";
}
