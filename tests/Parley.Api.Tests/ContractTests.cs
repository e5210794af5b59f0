using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Parley.Abstractions;
using Parley.Grains.Hosting;
using Parley.Grains.Tests.Storage;
using static Parley.Api.Tests.ApiClient;

using Parley.Eval.Tests;

namespace Parley.Api.Tests;

/// <summary>What the HTTP contract promises in docs/http-api.md, checked against the running API.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "cluster")]
public sealed partial class ContractTests(ApiFixture fixture)
{
    private string Url => fixture.BaseUrl;

    // Every stable code (ErrorCodes and ApiErrorCodes, by reflection) has exactly one row in the documented table, and a
    // ParleyException with that code thrown by an endpoint is answered with that row's status and the code.
    [Fact]
    public async Task Every_error_code_is_documented_once_and_answered_with_its_documented_status()
    {
        var documented = DocumentedStatuses();
        var codes = new[] { typeof(ErrorCodes), typeof(Parley.Api.ApiErrorCodes) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.True(codes.Count >= 20, $"found only {codes.Count} codes");

        var url = await fixture.StartApiAsync(ApiFixture.ApiSettings(), app =>
            app.MapGet("/api/test/throw/{code}", (string code) => Task.FromException<string>(new ParleyException(code, "test"))));
        using var anonymous = new ApiClient(url);
        foreach (var code in codes)
        {
            Assert.True(documented.TryGetValue(code, out var status), $"{code} is not in the error table of docs/http-api.md");
            await Problem(await anonymous.Http.GetAsync($"api/test/throw/{code}"), (HttpStatusCode)status, code);
        }

        Assert.Empty(documented.Keys.Except(codes));
    }

    private static Dictionary<string, int> DocumentedStatuses()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "http-api.md"));
        var table = doc[doc.IndexOf("| status | codes |", StringComparison.Ordinal)..];
        var statuses = new Dictionary<string, int>();
        foreach (Match row in TableRow().Matches(table[..table.IndexOf("\n\n", StringComparison.Ordinal)]))
        {
            foreach (Match code in Code().Matches(row.Groups["codes"].Value))
            {
                Assert.True(statuses.TryAdd(code.Groups[1].Value, int.Parse(row.Groups["status"].Value)), $"{code.Groups[1].Value} is documented twice");
            }
        }

        return statuses;
    }

    [GeneratedRegex(@"^\| (?<status>\d{3}) \| (?<codes>.*) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    // A code is a backticked snake_case word; other backticked words (field names such as endReason) have capitals.
    [GeneratedRegex(@"`([a-z]+(?:_[a-z]+)*)`")]
    private static partial Regex Code();

    [Fact]
    public async Task A_create_retried_with_the_same_idempotency_key_returns_the_same_conversation_and_lists_it_once()
    {
        using var user = await SignInAsync(Url);
        using var other = await SignInAsync(Url);

        async Task<JsonNode> CreateAsync(ApiClient client, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/conversations") { Content = JsonContent.Create(new { title = "Trip" }) };
            request.Headers.Add("Idempotency-Key", key);
            return await Json(await client.Http.SendAsync(request), HttpStatusCode.Created);
        }

        var first = await CreateAsync(user, "create-1");
        var retry = await CreateAsync(user, "create-1");
        var another = await CreateAsync(user, "create-2");
        var otherUsers = await CreateAsync(other, "create-1");   // the same key from someone else is their own conversation
        Assert.Equal(Str(first["id"]), Str(retry["id"]));
        Assert.NotEqual(Str(first["id"]), Str(another["id"]));
        Assert.NotEqual(Str(first["id"]), Str(otherUsers["id"]));
        Assert.Equal("Trip", Str(retry["title"]));

        var list = (await Json(await user.Http.GetAsync("api/conversations"), HttpStatusCode.OK)).AsArray();
        Assert.Equal(1, list.Count(c => Str(c!["conversationId"]) == Str(first["id"])));
        Assert.Equal(2, list.Count);
    }

    [Fact]
    public async Task A_create_that_failed_to_list_the_conversation_answers_503_and_its_retry_lists_it_once()
    {
        using var user = await SignInAsync(Url);
        HttpResponseMessage Create()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/conversations") { Content = JsonContent.Create(new { }) };
            request.Headers.Add("Idempotency-Key", "flaky-create");
            return user.Http.Send(request);
        }

        using (FaultyGrainStorage.Fail(ParleyStorage.Directory, StorageOperation.Write, user.UserId, times: 1))
        {
            await Problem(Create(), HttpStatusCode.ServiceUnavailable, ErrorCodes.StorageUnavailable);
        }

        var created = await Json(Create(), HttpStatusCode.Created);
        var list = (await Json(await user.Http.GetAsync("api/conversations"), HttpStatusCode.OK)).AsArray();
        Assert.Equal(Str(created["id"]), Str(Assert.Single(list)!["conversationId"]));
    }

    [Fact]
    public async Task A_first_message_that_committed_is_answered_200_even_when_titling_fails()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        using (FaultyGrainStorage.Fail(ParleyStorage.Directory, StorageOperation.Write, user.UserId))
        {
            var reply = await user.SendAsync(id, "Help me plan a trip to Lisbon");
            Assert.Equal("0.0", Str(reply["turn"]!["id"]));
        }
    }

    // The send fails after the decision and the reply were streamed (the header write, the commit point, fails): the
    // stream's last event is a problem with the code, and the exchange does not exist.
    [Fact]
    public async Task A_send_that_fails_after_streaming_began_ends_the_stream_with_an_error_event_and_stores_nothing()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        string body;
        using (FaultyGrainStorage.Fail(ParleyStorage.Conversations, StorageOperation.Write, id, times: 1))
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages/stream") { Content = JsonContent.Create(new { text = "Tell me about tides" }) };
            request.Headers.Add("Idempotency-Key", "sse-fail-1");
            var response = await user.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            body = await response.Content.ReadAsStringAsync();
        }

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .Select(lines => (Name: lines.First(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..],
                Data: JsonNode.Parse(lines.First(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..])!))
            .ToList();
        Assert.Equal("decision", events[0].Name);
        Assert.Equal("error", events[^1].Name);
        Assert.DoesNotContain(events, e => e.Name == "done");
        Assert.Equal(ErrorCodes.StorageUnavailable, Str(events[^1].Data["code"]));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, events[^1].Data["status"]!.GetValue<int>());

        var turns = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        Assert.Equal(0, turns["total"]!.GetValue<int>());
    }
}
