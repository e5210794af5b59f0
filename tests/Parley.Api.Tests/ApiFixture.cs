using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Orleans.Dashboard;
using Orleans.TestingHost;
using Parley.Api;
using Parley.Grains.Hosting;
using Parley.Hosting;
using Parley.Moderation.Classification;

namespace Parley.Api.Tests;

/// <summary>
/// A real two-silo TestingHost cluster running Parley's grains, and the HTTP API on real Kestrel (a free loopback port)
/// as an Orleans client of that cluster. Shared by the API and browser tests.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-0123456789abcdef-0123456789";

    public static readonly Dictionary<string, string?> SiloSettings = new()
    {
        ["Parley:Feedback:FlushPeriod"] = "00:00:00.200",
        // The decision tests need real classifications: on a busy two-core machine the classifier's first (cold) call in
        // a fresh cluster can take longer than the production 2 s, and a timeout would fall back to "respond".
        ["Parley:Conversation:ClassifierTimeout"] = "00:00:15",
        ["Parley:Conversation:ChatTimeout"] = "00:00:10",
        ["Parley:Operator:ReportPeriod"] = "00:00:00.200",
    };

    public static Dictionary<string, string?> ApiSettings() => new()
    {
        ["Parley:Auth:SigningKey"] = SigningKey,
        ["Parley:Auth:DevSignIn"] = "true",
        ["Parley:Api:RateLimitPermits"] = "100000",
        ["Parley:Api:AddressRateLimitPermits"] = "100000",
        ["Parley:Api:MaxRequestBodyBytes"] = "65536",
    };

    private static readonly Lazy<string> EmptyContentRoot = new(() => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "api-host-root")).FullName);

    private readonly List<WebApplication> _hosts = [];

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(SiloSettings).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            // Memory storage behind the fault-injecting wrapper: it passes everything through unless a test asks for a fault.
            Parley.Grains.Tests.Storage.FaultyGrainStorage.AddFaultyParleyStorage(silo).AddParley(configuration);
            silo.AddDashboard(); // the Orleans Dashboard's silo side, on by default in production (Parley.Silo)
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        BaseUrl = await StartApiAsync(ApiSettings(), dashboard: true);
    }

    /// <summary>
    /// Starts another API host (own settings, same cluster) and returns its base URL. The environment is Development by
    /// default (the development sign-in runs only there); <see cref="InvalidOperationException"/> when the host refuses to start.
    /// With <paramref name="dashboard"/> it also serves the Orleans Dashboard behind the operator role, as Parley.Silo does.
    /// </summary>
    public async Task<string> StartApiAsync(Dictionary<string, string?> settings, Action<WebApplication>? extraEndpoints = null,
        string environment = "Development", bool dashboard = false)
    {
        // An empty content root: only the settings given here apply (the silo's appsettings files are copied next to the tests).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = EmptyContentRoot.Value });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IClusterClient>(Cluster.Client);
        builder.Services.AddSingleton<IGrainFactory>(Cluster.Client);
        builder.Services.AddParleyApi(builder.Configuration);
        if (dashboard)
        {
            new ClientServices(builder.Services, builder.Configuration).AddDashboard();
        }

        var app = builder.Build();
        try
        {
            app.UseParleyApi();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        app.MapParleyApi();
        if (dashboard)
        {
            app.MapOperatorDashboard((endpoints, path) => endpoints.MapOrleansDashboard(path));
        }

        extraEndpoints?.Invoke(app);
        await app.StartAsync();
        _hosts.Add(app);
        return app.Urls.First().TrimEnd('/');
    }

    // The API hosts use the cluster's client directly; the dashboard's client-side registration wants a client builder.
    private sealed class ClientServices(IServiceCollection services, IConfiguration configuration) : IClientBuilder
    {
        public IServiceCollection Services { get; } = services;

        public IConfiguration Configuration { get; } = configuration;
    }

    private readonly SemaphoreSlim _browserLock = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>
    /// Headless Debian Chromium (installed by test.sh) driven by Playwright for .NET; no browser is downloaded.
    /// PARLEY_CHROMIUM overrides the executable path.
    /// </summary>
    public async Task<IBrowser> BrowserAsync()
    {
        await _browserLock.WaitAsync();
        try
        {
            if (_browser is null)
            {
                var executable = Environment.GetEnvironmentVariable("PARLEY_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
                Assert.True(File.Exists(executable), $"Chromium not found at {executable}: run ./test.sh (it installs Debian's chromium) or set PARLEY_CHROMIUM.");
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new()
                {
                    ExecutablePath = executable,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
                });
            }

            return _browser;
        }
        finally
        {
            _browserLock.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();

        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "API on a two-silo cluster";
}
