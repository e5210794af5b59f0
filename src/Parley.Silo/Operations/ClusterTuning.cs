using System.Net;
using Orleans.Configuration;

namespace Parley.Silo.Operations;

/// <summary>
/// Operational settings layered over <c>UseParleyClustering</c> without changing it: membership probing
/// (<c>Parley:Cluster:Membership:*</c>, bound to Orleans' <see cref="ClusterMembershipOptions"/>), the client's gateway
/// list refresh (<c>Parley:Cluster:Gateway:*</c>, <see cref="GatewayOptions"/>), the response timeout of grain calls
/// (<c>Parley:Cluster:Messaging:ResponseTimeout</c>, <see cref="SiloMessagingOptions"/> and <see cref="ClientMessagingOptions"/>), and listening on the advertised address
/// itself when that is a loopback address (so a local cluster does not open its silo and gateway ports on every interface).
/// </summary>
public static class ClusterTuning
{
    public const string MembershipSection = "Parley:Cluster:Membership";
    public const string GatewaySection = "Parley:Cluster:Gateway";
    public const string MessagingSection = "Parley:Cluster:Messaging";

    public static ISiloBuilder AddParleyClusterTuning(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));
        // ResponseTimeout (Orleans' default 30 s) bounds how long a call waits for an answer that will never come: a
        // request already delivered to a silo that is then killed is not failed when the silo is declared dead.
        silo.Services.Configure<SiloMessagingOptions>(configuration.GetSection(MessagingSection));
        silo.Services.PostConfigure<EndpointOptions>(BindToLoopback);
        return silo;
    }

    /// <summary>
    /// How long a stopping process may take (<c>Parley:Hosting:ShutdownTimeout</c>, default 90 s; .NET's default is 30 s):
    /// a silo leaving gracefully hands off its grains. On Kubernetes keep
    /// <c>terminationGracePeriodSeconds</c> above it.
    /// </summary>
    public static IServiceCollection AddParleyShutdownTimeout(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.GetValue("Parley:Hosting:ShutdownTimeout", TimeSpan.FromSeconds(90)));

    public static IClientBuilder AddParleyClusterTuning(this IClientBuilder client, IConfiguration configuration)
    {
        client.Services.Configure<GatewayOptions>(configuration.GetSection(GatewaySection));
        client.Services.Configure<ClientMessagingOptions>(configuration.GetSection(MessagingSection));
        return client;
    }

    /// <summary>With a loopback advertised address, listen on it (not on 0.0.0.0); other addresses are left as configured.</summary>
    public static void BindToLoopback(EndpointOptions options)
    {
        if (options.AdvertisedIPAddress is not { } address || !IPAddress.IsLoopback(address))
        {
            return;
        }

        options.SiloListeningEndpoint = new IPEndPoint(address, options.SiloPort);
        if (options.GatewayPort > 0)
        {
            options.GatewayListeningEndpoint = new IPEndPoint(address, options.GatewayPort);
        }
    }
}
