using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Api.Tests;

/// <summary>
/// The operators' page and the Orleans Dashboard in a real browser: an operator signs in on <c>/operator</c>, sees the
/// cluster summary, opens the dashboard (a session cookie; the page has no way to send a bearer header) and the dashboard
/// shows the two silos; a signed-in non-operator is told so and the dashboard refuses them.
/// </summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task An_operator_opens_the_summary_and_the_Orleans_Dashboard()
    {
        await _page.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        var blocked = new List<string>();
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                blocked.Add(message.Text);
            }
        };

        // Before signing in, the dashboard refuses the browser.
        var refused = await _page.GotoAsync(fixture.BaseUrl + "/dashboard/");
        Assert.Equal(401, refused!.Status);

        blocked.Clear(); // the browser logs that 401

        await _page.GotoAsync(fixture.BaseUrl + "/operator");
        await _page.GetByLabel("Development sign-in as an operator (development only): user name").FillAsync("op-" + _userName);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign in as operator" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Cluster summary" })).ToBeVisibleAsync();
        await Expect(_page.Locator("#silos tbody tr")).ToHaveCountAsync(2);
        await Expect(_page.Locator("#minutes tbody tr")).ToHaveCountAsync(15);
        await ScreenshotAsync("operator-summary.png");
        await AssertAccessibleAsync("operator summary");

        await _page.GetByRole(AriaRole.Button, new() { Name = "Open the Orleans Dashboard" }).ClickAsync();
        await Expect(_page).ToHaveURLAsync(fixture.BaseUrl + "/dashboard/");
        await Expect(_page.GetByText("Active Silos").First).ToBeVisibleAsync();
        await Expect(_page.GetByText("Total Activations").First).ToBeVisibleAsync();
        await ScreenshotAsync("orleans-dashboard.png");
        // Nothing blocked: no refused request, and nothing the dashboard's own Content-Security-Policy stops.
        Assert.Empty(await _page.EvaluateAsync<string[]>("() => window.__csp"));
        var cookie = Assert.Single(await _context.CookiesAsync(), c => c.Name == OperatorDashboard.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/dashboard", cookie.Path);
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task A_non_operator_is_told_and_the_dashboard_refuses_them()
    {
        await SignInAsync(); // the web chat's sign-in: a token without the operator role, kept in localStorage
        await _page.GotoAsync(fixture.BaseUrl + "/operator");
        await Expect(_page.Locator("#op-status")).ToHaveTextAsync("This token has no operator role.");
        await Expect(_page.Locator("#summary")).ToBeHiddenAsync();
        var refused = await _page.GotoAsync(fixture.BaseUrl + "/dashboard/");
        Assert.Equal(401, refused!.Status); // no session cookie: the chat's token lives in localStorage, not in a cookie
    }
}
