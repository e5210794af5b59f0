using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Parley.Hosting;

/// <summary>Where grain state lives.</summary>
public enum StorageProvider
{
    /// <summary>In memory (the embedded default; nothing survives a restart).</summary>
    Memory,

    /// <summary>Azure Table storage (or Azurite), one table per Parley store.</summary>
    AzureStorage,
}

/// <summary>How silos find each other.</summary>
public enum ClusterProvider
{
    /// <summary>One machine, fixed ports (development and the in-process CLI).</summary>
    Localhost,

    /// <summary>Membership in the <c>OrleansSiloInstances</c> table of an Azure storage account.</summary>
    AzureStorage,
}

/// <summary>An Azure storage account given by a connection string or, with the ambient Azure identity, a table service URI.</summary>
public abstract class AzureAccountOptions
{
    /// <summary>A storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A table service URI, used with the ambient Azure identity (managed identity, workload identity, CLI login).</summary>
    public string? ServiceUri { get; set; }

    /// <summary>True when either is set.</summary>
    public bool HasAccount => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(ServiceUri);

    /// <summary>The table service client for this account.</summary>
    public TableServiceClient CreateTableServiceClient() =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? new TableServiceClient(ConnectionString)
            : new TableServiceClient(new Uri(ServiceUri!), new Azure.Identity.DefaultAzureCredential());
}

/// <summary>Grain storage (configuration section <c>Parley:Storage</c>).</summary>
public sealed class ParleyStorageOptions : AzureAccountOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Storage";

    /// <summary><c>Memory</c> (default) or <c>AzureStorage</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Memory;
}

/// <summary>Clustering and endpoints (configuration section <c>Parley:Cluster</c>).</summary>
public sealed class ParleyClusterOptions : AzureAccountOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Cluster";

    /// <summary><c>Localhost</c> (default) or <c>AzureStorage</c>.</summary>
    public ClusterProvider Provider { get; set; } = ClusterProvider.Localhost;

    /// <summary>The silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients (front ends, the CLI) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at (default: the host name's address).</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>Orleans service id: part of every stored state key, so it must stay the same across deployments.</summary>
    public string ServiceId { get; set; } = "parley";

    /// <summary>Orleans cluster id: silos and clients with the same one form one cluster.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The account membership lives in: this section's, else <c>Parley:Storage</c>'s.</summary>
    public AzureAccountOptions AccountOr(ParleyStorageOptions storage) => HasAccount ? this : storage;
}

/// <summary>Start-up check of <see cref="ParleyStorageOptions"/>.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<ParleyStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, ParleyStorageOptions options) =>
        options.Provider == StorageProvider.AzureStorage && !options.HasAccount
            ? ValidateOptionsResult.Fail($"{ParleyStorageOptions.Section}:ConnectionString (for Azurite: UseDevelopmentStorage=true) or {ParleyStorageOptions.Section}:ServiceUri is required for AzureStorage.")
            : ValidateOptionsResult.Success;
}

/// <summary>Start-up check of <see cref="ParleyClusterOptions"/> (membership may use the storage account).</summary>
public sealed class ClusterOptionsValidator(IOptions<ParleyStorageOptions> storage) : IValidateOptions<ParleyClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ParleyClusterOptions options)
    {
        var failures = new List<string>();
        if (options.SiloPort is < 0 or > 65535 || options.GatewayPort is < 0 or > 65535 || (options.SiloPort != 0 && options.SiloPort == options.GatewayPort))
        {
            failures.Add($"{ParleyClusterOptions.Section}: SiloPort and GatewayPort must be two different ports (1-65535; 0 picks a free one).");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId) || string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{ParleyClusterOptions.Section}: ServiceId and ClusterId must not be empty.");
        }

        if (options.Provider == ClusterProvider.AzureStorage && !options.AccountOr(storage.Value).HasAccount)
        {
            failures.Add($"{ParleyClusterOptions.Section}:ConnectionString or ServiceUri (or those of {ParleyStorageOptions.Section}) is required for AzureStorage clustering.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
