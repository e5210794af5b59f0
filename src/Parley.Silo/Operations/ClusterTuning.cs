using System.Net;
using Orleans.Configuration;

namespace Parley.Silo.Operations;

/// <summary>
/// Operational settings layered over <c>UseParleyClustering</c> without changing it: membership probing
/// (<c>Parley:Cluster:Membership:*</c>, bound to Orleans' <see cref="ClusterMembershipOptions"/>), the client's gateway
/// list refresh (<c>Parley:Cluster:Gateway:*</c>, <see cref="GatewayOptions"/>), and listening on the advertised address
/// itself when that is a loopback address (so a local cluster does not open its silo and gateway ports on every interface).
/// </summary>
public static class ClusterTuning
{
    public const string MembershipSection = "Parley:Cluster:Membership";
    public const string GatewaySection = "Parley:Cluster:Gateway";

    public static ISiloBuilder AddParleyClusterTuning(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));
        silo.Services.PostConfigure<EndpointOptions>(BindToLoopback);
        return silo;
    }

    public static IClientBuilder AddParleyClusterTuning(this IClientBuilder client, IConfiguration configuration)
    {
        client.Services.Configure<GatewayOptions>(configuration.GetSection(GatewaySection));
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
