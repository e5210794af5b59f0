using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parley.Api.Tests;

/// <summary>
/// The real program as an operator runs it, in two processes: a silo (localhost clustering, memory storage) and a front
/// end (<c>Parley:Role=FrontEnd</c>) connected to its gateway. Checks what issue 11 found wrong: the health endpoints
/// answer for their role, the front end's <c>/metrics</c> carries Parley metrics, the front end's log does not claim a
/// gateway port, the silo's Orleans ports bind to the loopback address it advertises, and both stop gracefully on SIGTERM.
/// (The multi-silo kill/stop/join test under load is a script, deploy/local/scale-test.sh, documented in docs/operations.md.)
/// </summary>
public sealed class OperationsProcessTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Host : IAsyncDisposable
    {
        private readonly StringBuilder _log = new();

        public Host(Dictionary<string, string> environment)
        {
            var dll = SiloStartupTests.SiloDll();
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Parley__Auth__SigningKey"] = ApiFixture.SigningKey;
            start.Environment["Parley__Api__PublicMetrics"] = "true";
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            Process = Process.Start(start)!;
            Process.OutputDataReceived += (_, e) => Append(e.Data);
            Process.ErrorDataReceived += (_, e) => Append(e.Data);
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(line);
                }
            }
        }

        public async Task<int> StopAsync()
        {
            using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await Process.WaitForExitAsync(timeout.Token);
            return Process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }

            Process.Dispose();
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, string url, Host host)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            Assert.False(host.Process.HasExited, $"{url} exited:\n{host.Log}");
            try
            {
                if ((await http.GetAsync(url + "/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.True(DateTime.UtcNow < deadline, $"{url} not ready within 3 minutes:\n{host.Log}");
            await Task.Delay(300);
        }
    }

    private static string Token(string userId, params string[] roles) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "parley",
        Audience = "parley-api",
        Subject = new ClaimsIdentity(new[] { new Claim("sub", userId), new Claim("name", userId) }.Concat(roles.Select(r => new Claim("role", r)))),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ApiFixture.SigningKey)), SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task A_silo_and_a_front_end_process_serve_health_metrics_and_honest_logs_and_stop_gracefully()
    {
        var (siloPort, gatewayPort, siloHttp, frontHttp) = (FreePort(), FreePort(), FreePort(), FreePort());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var silo = new Host(new()
        {
            ["Urls"] = $"http://127.0.0.1:{siloHttp}",
            ["Parley__Cluster__SiloPort"] = $"{siloPort}",
            ["Parley__Cluster__GatewayPort"] = $"{gatewayPort}",
            ["Parley__Cluster__ClusterId"] = $"ops-test-{siloPort}",
        });
        var siloUrl = $"http://127.0.0.1:{siloHttp}";
        await WaitReadyAsync(http, siloUrl, silo);

        // The silo's Orleans ports listen on the loopback address it advertises, and its log says so.
        Assert.Contains($"Orleans silo port 127.0.0.1:{siloPort}, gateway 127.0.0.1:{gatewayPort}", silo.Log);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(siloUrl + "/health/live")).StatusCode);
        var health = await http.GetAsync(siloUrl + "/health");
        var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.True(health.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("Healthy", body["checks"]!["silos-reachable"]!["status"]!.GetValue<string>());

        await using var front = new Host(new()
        {
            ["Urls"] = $"http://127.0.0.1:{frontHttp}",
            ["Parley__Role"] = "FrontEnd",
            ["Parley__Cluster__GatewayPort"] = $"{gatewayPort}",
            ["Parley__Cluster__ClusterId"] = $"ops-test-{siloPort}",
        });
        var frontUrl = $"http://127.0.0.1:{frontHttp}";
        await WaitReadyAsync(http, frontUrl, front);
        Assert.Contains("Parley front end started", front.Log);
        Assert.DoesNotContain("gateway port", front.Log, StringComparison.OrdinalIgnoreCase);

        // A send through the front end shows up in the front end's own metrics.
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token("ops-alice"));
        var created = await http.PostAsJsonAsync(frontUrl + "/api/conversations", new { title = "ops" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var sent = await http.PostAsJsonAsync($"{frontUrl}/api/conversations/{id}/messages", new { text = "Hello, could you help me plan a trip?", clientMessageId = "m1" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var metrics = await http.GetStringAsync(frontUrl + "/metrics");
        Assert.Contains("parley_frontend_sends", metrics);
        Assert.Contains("decision=\"respond\"", metrics);

        // SIGTERM: both leave gracefully (exit code 0).
        Assert.Equal(0, await front.StopAsync());
        Assert.Equal(0, await silo.StopAsync());
        Assert.Contains("Application is shutting down", silo.Log);
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient http, string url, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    [Trait("Category", "cluster")]
    public async Task The_Orleans_Dashboard_on_a_silo_and_a_front_end_is_for_operators_only_and_can_be_turned_off()
    {
        var (siloPort, gatewayPort, siloHttp, frontHttp, offHttp) = (FreePort(), FreePort(), FreePort(), FreePort(), FreePort());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var silo = new Host(new()
        {
            ["Urls"] = $"http://127.0.0.1:{siloHttp}",
            ["Parley__Cluster__SiloPort"] = $"{siloPort}",
            ["Parley__Cluster__GatewayPort"] = $"{gatewayPort}",
            ["Parley__Cluster__ClusterId"] = $"dash-test-{siloPort}",
        });
        var siloUrl = $"http://127.0.0.1:{siloHttp}";
        await WaitReadyAsync(http, siloUrl, silo);
        await using var front = new Host(new()
        {
            ["Urls"] = $"http://127.0.0.1:{frontHttp}",
            ["Parley__Role"] = "FrontEnd",
            ["Parley__Cluster__GatewayPort"] = $"{gatewayPort}",
            ["Parley__Cluster__ClusterId"] = $"dash-test-{siloPort}",
        });
        await using var off = new Host(new()
        {
            ["Urls"] = $"http://127.0.0.1:{offHttp}",
            ["Parley__Role"] = "FrontEnd",
            ["Parley__Cluster__GatewayPort"] = $"{gatewayPort}",
            ["Parley__Cluster__ClusterId"] = $"dash-test-{siloPort}",
            ["Parley__Dashboard__Enabled"] = "false",
        });
        var frontUrl = $"http://127.0.0.1:{frontHttp}";
        var offUrl = $"http://127.0.0.1:{offHttp}";
        await WaitReadyAsync(http, frontUrl, front);
        await WaitReadyAsync(http, offUrl, off);

        var (user, op) = (Token("dash-user"), Token("dash-op", "operator"));
        foreach (var url in new[] { siloUrl, frontUrl })
        {
            foreach (var path in new[] { "/dashboard/", "/dashboard/index.min.js", "/dashboard/DashboardCounters", "/dashboard/ClusterStats", "/dashboard/Trace" })
            {
                Assert.True(await GetAsync(http, url + path, null) == HttpStatusCode.Unauthorized, $"anonymous {url}{path}");
                Assert.True(await GetAsync(http, url + path, user) == HttpStatusCode.Forbidden, $"non-operator {url}{path}");
            }

            Assert.Equal(HttpStatusCode.OK, await GetAsync(http, url + "/dashboard/", op));
            using var request = new HttpRequestMessage(HttpMethod.Get, url + "/dashboard/DashboardCounters");
            request.Headers.Authorization = new("Bearer", op);
            using var counters = await http.SendAsync(request);
            var body = JsonNode.Parse(await counters.Content.ReadAsStringAsync())!;
            Assert.True(counters.StatusCode == HttpStatusCode.OK, body.ToJsonString());
            Assert.Equal($"127.0.0.1:{siloPort}", Assert.Single(body["hosts"]!.AsArray())!["siloAddress"]!.GetValue<string>().Split('@')[0]);
        }

        // Turned off on a front end: no dashboard there, while the operators' summary still answers.
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(http, offUrl + "/dashboard/", op));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(http, offUrl + "/api/operator/summary", op));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(http, offUrl + "/api/operator/summary", user));
    }

    [Fact]
    public async Task With_Kubernetes_hosting_on_the_silo_wires_Orleans_Kubernetes_agent_and_outside_a_pod_stops_at_start()
    {
        // Kubernetes cannot run here: this shows the switch and the pod variables reach Microsoft.Orleans.Hosting.Kubernetes,
        // whose agent then needs the in-cluster API (service account token, KUBERNETES_SERVICE_HOST) and stops the start.
        await using var silo = new Host(new()
        {
            ["Urls"] = $"http://127.0.0.1:{FreePort()}",
            ["Parley__Cluster__SiloPort"] = $"{FreePort()}",
            ["Parley__Cluster__GatewayPort"] = $"{FreePort()}",
            ["Parley__Hosting__Kubernetes"] = "true",
            ["POD_NAME"] = "parley-silo-0",
            ["POD_NAMESPACE"] = "parley",
            ["POD_IP"] = "127.0.0.1",
            ["ORLEANS_SERVICE_ID"] = "parley",
            ["ORLEANS_CLUSTER_ID"] = "k8s-test",
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await silo.Process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, silo.Process.ExitCode);
        Assert.Contains("KubernetesClusterAgent", silo.Log);
        Assert.Contains("Unable to load in-cluster configuration", silo.Log);
    }
}
