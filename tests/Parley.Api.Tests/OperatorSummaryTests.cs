using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Parley.Api.Tests.ApiClient;

namespace Parley.Api.Tests;

/// <summary>
/// <c>GET /api/operator/summary</c> on the two-silo cluster: both silos with their activations and their reports, and the
/// decisions, endings and feedback that this test causes showing up in it (other tests share the cluster, so counts are
/// compared from the minute this test started on).
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "cluster")]
public sealed class OperatorSummaryTests(ApiFixture fixture)
{
    private static long Count(JsonNode summary, string kind, string key, DateTimeOffset from) =>
        summary["minutes"]!.AsArray()
            .Where(m => DateTimeOffset.Parse(Str(m!["minute"]), System.Globalization.CultureInfo.InvariantCulture) >= from)
            .Sum(m => m![kind]![key]?.GetValue<long>() ?? 0);

    [Fact]
    public async Task Is_for_operators_only()
    {
        using var anonymous = new ApiClient(fixture.BaseUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Http.GetAsync("api/operator/summary")).StatusCode);
        using var user = await SignInAsync(fixture.BaseUrl);
        await Problem(await user.Http.GetAsync("api/operator/summary"), HttpStatusCode.Forbidden, Abstractions.ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Shows_the_silos_and_the_decisions_endings_and_feedback_of_the_cluster()
    {
        using var op = await SignInAsync(fixture.BaseUrl, @operator: true);
        var before = await Json(await op.Http.GetAsync("api/operator/summary"), HttpStatusCode.OK);
        var at = DateTimeOffset.Parse(Str(before["at"]), System.Globalization.CultureInfo.InvariantCulture);
        var from = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
        Assert.Equal(60, before["windowMinutes"]!.GetValue<int>());
        Assert.Equal(60, before["minutes"]!.AsArray().Count);

        // Abuse: redirect, warn, end (persistent_abuse); an end request confirmed through the API (user_requested, no decision of its own).
        using var user = await SignInAsync(fixture.BaseUrl);
        var abused = await user.CreateConversationAsync();
        var turns = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
        {
            turns.Add(await user.SendAsync(abused, "You are a useless piece of shit."));
        }

        Assert.Equal("end", Str(turns[2]["turn"]!["decision"]));
        var ending = await user.CreateConversationAsync();
        Assert.Equal("confirm_end", await user.DecisionOfAsync(ending, "Please end this conversation."));
        await Json(await user.Http.PostAsync($"api/conversations/{ending}/end-request/confirm", null), HttpStatusCode.OK);
        await Json(await user.Http.PutAsJsonAsync($"api/conversations/{abused}/turns/0.0/rating", new { rating = "up" }), HttpStatusCode.OK);

        var expected = new (string Kind, string Key)[]
        {
            ("decisions", "redirect"), ("decisions", "warn"), ("decisions", "end"), ("decisions", "confirm_end"),
            ("endings", "persistent_abuse"), ("endings", "user_requested"),
        };
        var upBefore = before["feedback"]!["overall"]!["up"]!.GetValue<long>();
        JsonNode after = before;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(200))
        {
            after = await Json(await op.Http.GetAsync("api/operator/summary"), HttpStatusCode.OK);
            var missing = expected.Where(e => Count(after, e.Kind, e.Key, from) < Count(before, e.Kind, e.Key, from) + 1).ToList();
            if (missing.Count == 0 && after["feedback"]!["overall"]!["up"]!.GetValue<long>() >= upBefore + 1)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not in the summary: {string.Join(", ", missing)}; feedback up {upBefore} -> " +
                $"{after["feedback"]!["overall"]!["up"]}\n{after.ToJsonString()}");
        }

        // Window totals agree with the minutes, and both silos are listed, active, with activations and a report.
        Assert.True(after["decisions"]!["end"]!.GetValue<long>() >= 1);
        Assert.True(after["endings"]!["persistent_abuse"]!.GetValue<long>() >= 1);
        var silos = after["silos"]!.AsArray();
        Assert.Equal(2, silos.Count(s => Str(s!["status"]) == "Active"));
        Assert.All(silos, s =>
        {
            Assert.True(s!["activations"]!.GetValue<int>() > 0, s.ToJsonString());
            Assert.NotNull(s["reportedAt"]);
        });
        Assert.Equal(silos.Sum(s => s!["activations"]!.GetValue<long>()), after["activations"]!.GetValue<long>());
    }
}
