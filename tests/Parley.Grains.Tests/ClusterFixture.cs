using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Parley.Grains.Hosting;
using Parley.Hosting;

namespace Parley.Grains.Tests;

/// <summary>A real two-silo TestingHost cluster running Parley's grains on in-memory storage, shared by a test collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Parley:Feedback:FlushPeriod"] = "00:00:00.200",
        ["Parley:Conversation:TurnsPerChunk"] = "8",
        // The decision tests need the full classifier: on a loaded machine a call can exceed the production 10 s, and a
        // timeout falls back to the rule stage alone (no strikes).
        ["Parley:Conversation:ClassifierTimeout"] = "00:00:15",
        // ... which with the chat model's time and storage must fit in Orleans' 30 s response timeout (validated at start).
        ["Parley:Conversation:ChatTimeout"] = "00:00:10",
    };

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync() => Cluster = await StartAsync(Settings);

    public Task DisposeAsync() => StopAsync(Cluster);

    /// <summary>Deploys a two-silo cluster on in-memory storage with the given <c>Parley:*</c> settings.</summary>
    public static async Task<InProcessTestCluster> StartAsync(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddParleyMemoryStorage().AddParley(configuration));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static async Task StopAsync(InProcessTestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "two-silo cluster";
}
