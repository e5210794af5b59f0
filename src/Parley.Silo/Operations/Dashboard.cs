using Orleans.Dashboard;
using Parley.Api;

namespace Parley.Silo.Operations;

/// <summary>
/// The Orleans Dashboard (<c>Microsoft.Orleans.Dashboard</c>) at <see cref="OperatorDashboard.Path"/>, operators only
/// (<see cref="OperatorDashboard.MapOperatorDashboard"/>). <c>Parley:Dashboard:Enabled</c> (default true) in both roles:
/// a silo runs the dashboard's collectors (its grain, a per-silo statistics service and a grain-call profiler that only
/// measures while someone has the page open) and serves the page; a front end serves the page from the silos' collectors,
/// so the silos must have it on too. The other keys of <c>Parley:Dashboard</c> bind to Orleans' <see cref="DashboardOptions"/>
/// (<c>CounterUpdateIntervalMs</c>, <c>HistoryLength</c>, <c>HideTrace</c>).
/// </summary>
public static class Dashboard
{
    private const string Section = "Parley:Dashboard";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue($"{Section}:Enabled", true);

    public static ISiloBuilder AddParleyDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (IsEnabled(configuration))
        {
            silo.AddDashboard(o => configuration.GetSection(Section).Bind(o));
        }

        return silo;
    }

    public static IClientBuilder AddParleyDashboard(this IClientBuilder client, IConfiguration configuration)
    {
        if (IsEnabled(configuration))
        {
            client.AddDashboard(o => configuration.GetSection(Section).Bind(o));
        }

        return client;
    }

    public static void MapParleyDashboard(this WebApplication app)
    {
        if (IsEnabled(app.Configuration))
        {
            app.MapOperatorDashboard((endpoints, path) => endpoints.MapOrleansDashboard(path));
        }
    }
}
