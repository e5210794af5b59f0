using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Parley.Api.Tests.ApiClient;

namespace Parley.Api.Tests;

/// <summary>
/// The Orleans Dashboard behind the operator role, against real Kestrel in front of the two-silo cluster (whose silos run
/// the dashboard's silo side): every route the dashboard maps, found in the host's own endpoint list rather than written
/// out here, refuses anonymous callers (401) and signed-in non-operators (403); an operator gets the page and its data,
/// by bearer token or by the dashboard session cookie, which is worth nothing outside <c>/dashboard</c>.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "cluster")]
public sealed class DashboardTests(ApiFixture fixture)
{
    private static readonly string[] OperatorPages =
        ["/dashboard/", "/dashboard/index.html", "/dashboard/index.min.js", "/dashboard/index.css", "/dashboard/version",
         "/dashboard/DashboardCounters", "/dashboard/ClusterStats", "/dashboard/TopGrainMethods", "/dashboard/GrainTypes", "/dashboard/Reminders"];

    private async Task<(string Url, WebApplication App)> StartAsync(bool dashboard = true)
    {
        WebApplication? app = null;
        var url = await fixture.StartApiAsync(ApiFixture.ApiSettings(), a => app = a, dashboard: dashboard);
        return (url, app!);
    }

    // Every GET route the host maps under /dashboard, with its parameters filled in ({**path} -> "1", which {page:int} takes too).
    private static List<string> DashboardRoutes(WebApplication app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.StartsWith(OperatorDashboard.Path, StringComparison.Ordinal))
            .Select(p => System.Text.RegularExpressions.Regex.Replace(p, @"\{[^}]*\}", "1"))
            .Distinct().ToList();

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        // Headers only: the trace route streams for as long as it is read.
        using var response = await http.GetAsync(path.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    [Fact]
    public async Task Every_dashboard_route_refuses_anonymous_callers_and_non_operators()
    {
        var (url, app) = await StartAsync();
        var routes = DashboardRoutes(app);
        // The dashboard's page, assets and data routes are all there (so the loop below covers them).
        foreach (var expected in new[] { "/dashboard/", "/dashboard/index.min.js", "/dashboard/DashboardCounters", "/dashboard/SiloStats/1", "/dashboard/Reminders/1", "/dashboard/Trace", "/dashboard/GrainState" })
        {
            Assert.Contains(expected, routes);
        }

        using var anonymous = new ApiClient(url);
        using var user = await SignInAsync(url);
        foreach (var route in routes.Append("/dashboard"))
        {
            Assert.True(await StatusAsync(anonymous.Http, route) == HttpStatusCode.Unauthorized, $"anonymous {route}");
            Assert.True(await StatusAsync(user.Http, route) == HttpStatusCode.Forbidden, $"non-operator {route}");
        }

        // A non-operator cannot open a dashboard session either, and an invalid token is no operator's.
        await Problem(await user.Http.PostAsync("api/operator/dashboard-session", null), HttpStatusCode.Forbidden, Abstractions.ErrorCodes.Forbidden);
        using var forged = new ApiClient(url, "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(forged.Http, "/dashboard/DashboardCounters"));
    }

    [Fact]
    public async Task An_operator_gets_the_page_and_its_data_and_the_grain_state_view_is_off()
    {
        var (url, _) = await StartAsync();
        using var op = await SignInAsync(url, @operator: true);
        foreach (var page in OperatorPages)
        {
            Assert.True(await StatusAsync(op.Http, page) == HttpStatusCode.OK, page);
        }

        var counters = await Json(await op.Http.GetAsync("dashboard/DashboardCounters"), HttpStatusCode.OK);
        var hosts = counters["hosts"]!.AsArray();
        Assert.Equal(2, hosts.Count(h => Str(h!["status"]) == "Active"));
        var silo = Str(hosts[0]!["siloAddress"]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(op.Http, $"/dashboard/SiloProperties/{silo}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(op.Http, $"/dashboard/HistoricalStats/{silo}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(op.Http, "/dashboard/Trace"));

        await Problem(await op.Http.GetAsync("dashboard/GrainState?grainId=0&grainType=Parley.Grains.Feedback.FeedbackGrain"),
            HttpStatusCode.NotFound, ApiErrorCodes.NotFound);
        // Its page gets a policy that allows the bundle's inline styles and data: fonts, but still only same-origin script files.
        using var index = await op.Http.GetAsync("dashboard/");
        Assert.Contains("<title>Orleans Dashboard</title>", await index.Content.ReadAsStringAsync());
        var policy = Assert.Single(index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("style-src 'self' 'unsafe-inline';", policy);
        using var chat = await op.Http.GetAsync("");
        Assert.DoesNotContain("unsafe-inline", Assert.Single(chat.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task A_dashboard_session_cookie_opens_the_dashboard_only_and_sign_out_removes_it()
    {
        var (url, _) = await StartAsync();
        using var op = await SignInAsync(url, @operator: true);
        var started = await op.Http.PostAsync("api/operator/dashboard-session", null);
        var session = await Json(started, HttpStatusCode.OK);
        Assert.Equal("/dashboard/", Str(session["url"]));
        var setCookie = Assert.Single(started.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(OperatorDashboard.CookieName + "=", setCookie);
        Assert.Contains("path=/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        // A browser: no Authorization header, only the cookie (sent by the container for /dashboard paths).
        var cookies = new CookieContainer();
        cookies.SetCookies(new Uri(url), setCookie);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(url + "/") };
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(browser, "/dashboard/"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(browser, "/dashboard/DashboardCounters"));

        // The same token sent as that cookie to the API is not a sign-in there.
        var token = setCookie.Split(';')[0][(OperatorDashboard.CookieName.Length + 1)..];
        using var cookieOnApi = new HttpRequestMessage(HttpMethod.Get, "api/operator/summary");
        cookieOnApi.Headers.Add("Cookie", $"{OperatorDashboard.CookieName}={token}");
        using var anonymous = new ApiClient(url);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.SendAsync(cookieOnApi)).StatusCode);

        // A non-operator's token in the cookie is refused like their bearer.
        using var user = await SignInAsync(url);
        using var userCookie = new HttpRequestMessage(HttpMethod.Get, "dashboard/DashboardCounters");
        userCookie.Headers.Add("Cookie", $"{OperatorDashboard.CookieName}={user.Http.DefaultRequestHeaders.Authorization!.Parameter}");
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.Http.SendAsync(userCookie)).StatusCode);

        // Ending the session (the web chat's sign-out does) expires the cookie.
        var ended = await browser.DeleteAsync("api/operator/dashboard-session");
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        var cleared = Assert.Single(ended.Headers.GetValues("Set-Cookie"));
        Assert.Contains("path=/dashboard", cleared, StringComparison.OrdinalIgnoreCase);
        cookies.SetCookies(new Uri(url), cleared);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(browser, "/dashboard/DashboardCounters"));
    }

    [Fact]
    public async Task Without_the_dashboard_there_is_no_page_and_no_session()
    {
        var (url, app) = await StartAsync(dashboard: false);
        Assert.Empty(DashboardRoutes(app));
        using var op = await SignInAsync(url, @operator: true);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(op.Http, "/dashboard/"));
        await Problem(await op.Http.PostAsync("api/operator/dashboard-session", null), HttpStatusCode.NotFound, ApiErrorCodes.NotFound);
    }

    [Fact]
    public async Task The_dashboard_is_not_in_the_OpenAPI_document()
    {
        using var op = await SignInAsync(fixture.BaseUrl, @operator: true);
        var document = await op.Http.GetStringAsync("openapi/v1.json");
        Assert.Contains("/api/operator/summary", document);
        Assert.DoesNotContain("DashboardCounters", document);
    }

    [Fact]
    public async Task The_operator_page_is_served_and_its_script_reads_the_summary()
    {
        using var anonymous = new ApiClient(fixture.BaseUrl);
        var page = await anonymous.Http.GetStringAsync("operator");
        Assert.Contains("/assets/operator.js", page);
        var script = await anonymous.Http.GetStringAsync("assets/operator.js");
        Assert.Contains("/api/operator/summary", script);
        Assert.Contains("/api/operator/dashboard-session", script);
    }
}
