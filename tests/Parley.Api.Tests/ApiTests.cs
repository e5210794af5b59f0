using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Parley.Abstractions;
using static Parley.Api.Tests.ApiClient;

namespace Parley.Api.Tests;

/// <summary>Every endpoint and every error code of the HTTP API, against a real two-silo cluster.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "cluster")]
public sealed class ApiTests(ApiFixture fixture)
{
    private string Url => fixture.BaseUrl;

    [Fact]
    public async Task Dev_sign_in_issues_a_development_only_token_and_me_returns_the_user()
    {
        using var anonymous = new ApiClient(Url);
        var body = await Json(await anonymous.Http.PostAsJsonAsync("api/dev/sign-in", new { userName = "Alice.Example", @operator = true }), HttpStatusCode.OK);
        Assert.True(body["developmentOnly"]!.GetValue<bool>());
        Assert.Contains("Development-only", Str(body["warning"]));
        Assert.Equal("alice.example", Str(body["userId"]));

        using var alice = new ApiClient(Url, Str(body["token"]));
        var me = await Json(await alice.Http.GetAsync("api/me"), HttpStatusCode.OK);
        Assert.Equal("alice.example", Str(me["userId"]));
        Assert.Equal("operator", Str(me["roles"]![0]));
    }

    [Theory]
    [InlineData("{\"userName\":\"\"}")]
    [InlineData("{\"userName\":\"has space\"}")]
    [InlineData("{}")]
    public async Task Dev_sign_in_rejects_bad_user_names(string json)
    {
        using var anonymous = new ApiClient(Url);
        await Problem(await anonymous.PostJsonAsync("api/dev/sign-in", json), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }

    [Fact]
    public async Task Dev_sign_in_is_disabled_unless_configured_and_a_configured_key_is_required()
    {
        var settings = ApiFixture.ApiSettings();
        settings["Parley:Auth:DevSignIn"] = "false";
        var url = await fixture.StartApiAsync(settings);
        using var anonymous = new ApiClient(url);
        await Problem(await anonymous.Http.PostAsJsonAsync("api/dev/sign-in", new { userName = "bob" }), HttpStatusCode.NotFound, "not_found");

        // A token signed with the shared key (from the main host) is accepted by this front end too.
        using var bob = await SignInAsync(Url);
        using var sameToken = new ApiClient(url, bob.Http.DefaultRequestHeaders.Authorization!.Parameter);
        await Json(await sameToken.Http.GetAsync("api/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_get_401_problems()
    {
        using var anonymous = new ApiClient(Url);
        await Problem(await anonymous.Http.GetAsync("api/conversations"), HttpStatusCode.Unauthorized, "unauthorized");
        using var forged = new ApiClient(Url, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl");
        await Problem(await forged.Http.PostAsJsonAsync("api/conversations", new { }), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Create_and_list_my_conversations_newest_first_with_titles_from_the_first_message()
    {
        using var user = await SignInAsync(Url);
        var first = await user.CreateConversationAsync();
        var second = await user.CreateConversationAsync("en-GB");
        await user.SendAsync(second, "How do I bake sourdough bread?");

        var list = await Json(await user.Http.GetAsync("api/conversations"), HttpStatusCode.OK);
        Assert.Equal([second, first], list.AsArray().Select(c => Str(c!["conversationId"])).ToArray());
        Assert.Equal("How do I bake sourdough bread?", Str(list[0]!["title"]));

        var status = await Json(await user.Http.GetAsync($"api/conversations/{second}"), HttpStatusCode.OK);
        Assert.Equal("en-GB", Str(status["status"]!["locale"]));
        Assert.Equal(user.UserId, Str(status["status"]!["ownerId"]));
        Assert.Equal(1, status["status"]!["currentBranch"]!["length"]!.GetValue<int>());

        using var other = await SignInAsync(Url);
        Assert.Empty((await Json(await other.Http.GetAsync("api/conversations"), HttpStatusCode.OK)).AsArray());
    }

    [Fact]
    public async Task Send_is_idempotent_by_header_or_field()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        var first = await user.SendAsync(id, "Hello there", "same-id");
        Assert.Equal("respond", Str(first["turn"]!["decision"]));
        Assert.False(first["duplicate"]!.GetValue<bool>());
        Assert.Equal("0.0", Str(first["turn"]!["id"]));

        var retry = await user.SendAsync(id, "Hello there", "same-id");
        Assert.True(retry["duplicate"]!.GetValue<bool>());
        Assert.Equal("0.0", Str(retry["turn"]!["id"]));

        var byField = await Json(await user.Http.PostAsJsonAsync($"api/conversations/{id}/messages", new { text = "Second", clientMessageId = "field-id" }), HttpStatusCode.OK);
        var byFieldAgain = await Json(await user.Http.PostAsJsonAsync($"api/conversations/{id}/messages", new { text = "Second", clientMessageId = "field-id" }), HttpStatusCode.OK);
        Assert.Equal("0.1", Str(byField["turn"]!["id"]));
        Assert.True(byFieldAgain["duplicate"]!.GetValue<bool>());

        var page = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        Assert.Equal(2, page["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_400_codes_never_a_500()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        await Problem(await user.SendRawAsync(id, "   "), HttpStatusCode.BadRequest, ErrorCodes.MessageEmpty);
        await Problem(await user.SendRawAsync(id, new string('a', 4001)), HttpStatusCode.BadRequest, ErrorCodes.MessageTooLong);
        await Problem(await user.Http.PostAsJsonAsync($"api/conversations/{id}/messages", new { text = "no id" }), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await Problem(await user.PostJsonAsync($"api/conversations/{id}/messages", "{\"text\": \"unterminated"), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await Problem(await user.PostJsonAsync($"api/conversations/{id}/messages", "[1,2,3]"), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await Problem(await user.PostJsonAsync($"api/conversations/{id}/messages", "text=hi", "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await Problem(await user.Http.GetAsync("api/conversations/not%20an%20id"), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await Problem(await user.Http.GetAsync($"api/conversations/{id}/turns?take=0"), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await Problem(await user.Http.PutAsJsonAsync($"api/conversations/{id}/turns/zero/rating", new { rating = "up" }), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        // Nothing was stored by any of them.
        var page = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        Assert.Equal(0, page["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_with_413()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        var huge = "{\"text\":\"" + new string('x', 70_000) + "\"}";
        await Problem(await user.PostJsonAsync($"api/conversations/{id}/messages", huge), HttpStatusCode.RequestEntityTooLarge, "body_too_large");

        // Without a Content-Length (chunked), the limit applies while reading.
        var chunked = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Add("Idempotency-Key", "chunked");
        await Problem(await user.Http.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task Unknown_ids_get_404_codes()
    {
        using var user = await SignInAsync(Url);
        await Problem(await user.Http.GetAsync("api/conversations/doesnotexist123"), HttpStatusCode.NotFound, ErrorCodes.ConversationNotFound);
        await Problem(await user.SendRawAsync("doesnotexist456", "hi"), HttpStatusCode.NotFound, ErrorCodes.ConversationNotFound);

        var id = await user.CreateConversationAsync();
        await user.SendAsync(id, "hello");
        await Problem(await user.Http.GetAsync($"api/conversations/{id}/turns?branch=7"), HttpStatusCode.NotFound, ErrorCodes.UnknownBranch);
        await Problem(await user.Http.PutAsJsonAsync($"api/conversations/{id}/current-branch", new { branchId = 3 }), HttpStatusCode.NotFound, ErrorCodes.UnknownBranch);
        await Problem(await user.Http.PutAsJsonAsync($"api/conversations/{id}/turns/0.5/rating", new { rating = "up" }), HttpStatusCode.NotFound, ErrorCodes.UnknownTurn);
        await Problem(await user.Http.PostAsJsonAsync($"api/conversations/{id}/turns/0.9/edit", new { text = "x", clientMessageId = "e1" }), HttpStatusCode.NotFound, ErrorCodes.UnknownTurn);
        await Problem(await user.Http.GetAsync("api/no-such-route"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Another_users_conversation_is_refused_with_403()
    {
        using var owner = await SignInAsync(Url);
        using var intruder = await SignInAsync(Url);
        var id = await owner.CreateConversationAsync();
        await owner.SendAsync(id, "private thoughts");

        await Problem(await intruder.Http.GetAsync($"api/conversations/{id}"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await Problem(await intruder.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await Problem(await intruder.SendRawAsync(id, "let me in"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await Problem(await intruder.Http.GetAsync($"api/conversations/{id}/branches"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await Problem(await intruder.Http.PutAsJsonAsync($"api/conversations/{id}/turns/0.0/rating", new { rating = "down" }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await Problem(await intruder.Http.PostAsJsonAsync($"api/conversations/{id}/feedback", new { text = "hi" }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await Problem(await intruder.Http.PostAsJsonAsync($"api/conversations/{id}/turns/0.0/edit", new { text = "x", clientMessageId = "e" }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await Problem(await intruder.Http.PutAsJsonAsync($"api/conversations/{id}/current-branch", new { branchId = 0 }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task A_branch_is_read_page_by_page()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        for (var i = 0; i < 5; i++)
        {
            await user.SendAsync(id, $"message {i}");
        }

        var page1 = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns?skip=0&take=2"), HttpStatusCode.OK);
        var page3 = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns?skip=4&take=2"), HttpStatusCode.OK);
        Assert.Equal(5, page1["total"]!.GetValue<int>());
        Assert.Equal(["message 0", "message 1"], page1["turns"]!.AsArray().Select(t => Str(t!["userText"])).ToArray());
        Assert.Equal(["message 4"], page3["turns"]!.AsArray().Select(t => Str(t!["userText"])).ToArray());
        Assert.Equal(4, page3["offset"]!.GetValue<int>());
    }

    [Fact]
    public async Task Edit_and_resubmit_forks_a_current_branch_and_branches_can_be_listed_and_switched()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        await user.SendAsync(id, "first");
        await user.SendAsync(id, "second");

        var edited = await Json(await user.Http.PostAsJsonAsync($"api/conversations/{id}/turns/0.1/edit", new { text = "second, edited", clientMessageId = "edit-1" }), HttpStatusCode.OK);
        Assert.Equal(1, edited["branchId"]!.GetValue<int>());
        Assert.Equal("1.1", Str(edited["turn"]!["id"]));

        var branches = (await Json(await user.Http.GetAsync($"api/conversations/{id}/branches"), HttpStatusCode.OK)).AsArray();
        Assert.Equal(2, branches.Count);
        Assert.True(branches[1]!["isCurrent"]!.GetValue<bool>());
        Assert.Equal(0, branches[1]!["parentId"]!.GetValue<int>());
        Assert.Equal(1, branches[1]!["forkDepth"]!.GetValue<int>());

        var current = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        Assert.Equal(["first", "second, edited"], current["turns"]!.AsArray().Select(t => Str(t!["userText"])).ToArray());

        var switched = await Json(await user.Http.PutAsJsonAsync($"api/conversations/{id}/current-branch", new { branchId = 0 }), HttpStatusCode.OK);
        Assert.Equal(0, switched["currentBranch"]!["id"]!.GetValue<int>());
        var original = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        Assert.Equal(["first", "second"], original["turns"]!.AsArray().Select(t => Str(t!["userText"])).ToArray());
        var old = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns?branch=1"), HttpStatusCode.OK);
        Assert.Equal(1, old["branchId"]!.GetValue<int>());
    }

    [Fact]
    public async Task Rating_up_down_and_withdraw_and_written_feedback()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        await user.SendAsync(id, "hello");

        var up = await Json(await user.Http.PutAsJsonAsync($"api/conversations/{id}/turns/0.0/rating", new { rating = "up" }), HttpStatusCode.OK);
        Assert.Equal("up", Str(up["rating"]));
        var down = await Json(await user.Http.PutAsJsonAsync($"api/conversations/{id}/turns/0.0/rating", new { rating = "down" }), HttpStatusCode.OK);
        Assert.Equal("down", Str(down["rating"]));
        var none = await Json(await user.Http.PutAsJsonAsync($"api/conversations/{id}/turns/0.0/rating", new { rating = "none" }), HttpStatusCode.OK);
        Assert.Equal("none", Str(none["rating"]));
        await Problem(await user.Http.PutAsJsonAsync($"api/conversations/{id}/turns/0.0/rating", new { rating = "sideways" }), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        var onTurn = await user.Http.PostAsJsonAsync($"api/conversations/{id}/feedback", new { text = "Helpful answer.", turnId = "0.0" });
        Assert.Equal(HttpStatusCode.NoContent, onTurn.StatusCode);
        var onConversation = await user.Http.PostAsJsonAsync($"api/conversations/{id}/feedback", new { text = "Nice chat overall." });
        Assert.Equal(HttpStatusCode.NoContent, onConversation.StatusCode);
        await Problem(await user.Http.PostAsJsonAsync($"api/conversations/{id}/feedback", new { text = " " }), HttpStatusCode.BadRequest, ErrorCodes.MessageEmpty);
        await Problem(await user.Http.PostAsJsonAsync($"api/conversations/{id}/feedback", new { text = new string('f', 2001) }), HttpStatusCode.BadRequest, ErrorCodes.MessageTooLong);

        var page = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        Assert.Equal("Helpful answer.", Str(page["turns"]![0]!["feedback"]));
    }

    [Fact]
    public async Task Sending_to_an_ended_branch_is_refused_with_409_the_reason_and_the_way_on()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        await user.SendAsync(id, "Hi, can you help me with my essay?");
        Assert.Equal("redirect", await user.DecisionOfAsync(id, "You are a useless piece of shit."));
        Assert.Equal("warn", await user.DecisionOfAsync(id, "Shut up, you stupid worthless bot."));
        var end = await user.SendAsync(id, "Fuck you, you idiotic garbage machine.");
        Assert.Equal("end", Str(end["turn"]!["decision"]));
        Assert.Equal("persistent_abuse", Str(end["turn"]!["endReason"]));
        Assert.True(end["branchEnded"]!.GetValue<bool>());

        var refused = await Problem(await user.SendRawAsync(id, "sorry"), HttpStatusCode.Conflict, ErrorCodes.ConversationEnded);
        Assert.Equal("persistent_abuse", Str(refused["endReason"]));
        Assert.Equal(0, refused["branchId"]!.GetValue<int>());
        Assert.Equal(["new_conversation", "edit_earlier_message", "give_feedback"], refused["actions"]!.AsArray().Select(a => Str(a)).ToArray());
        Assert.Null(refused["imminentRisk"]);
        Assert.Null(refused["crisisResources"]);

        // A person in danger who writes to the ended branch is still refused (nothing is stored), but with crisis resources.
        var danger = await Problem(await user.SendRawAsync(id, "I have the pills in my hand and I'm going to take them all tonight."), HttpStatusCode.Conflict, ErrorCodes.ConversationEnded);
        Assert.True(danger["imminentRisk"]!.GetValue<bool>());
        Assert.NotEmpty(danger["crisisResources"]!.AsArray());
        Assert.False(string.IsNullOrEmpty(Str(danger["crisisResources"]![0]!["text"])));

        var status = await Json(await user.Http.GetAsync($"api/conversations/{id}"), HttpStatusCode.OK);
        Assert.Equal("persistent_abuse", Str(status["status"]!["currentBranch"]!["end"]!["reason"]));
        Assert.Equal(4, (await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK))["total"]!.GetValue<int>());

        // Editing an earlier message opens a live branch; feedback on the ending is accepted.
        var fork = await Json(await user.Http.PostAsJsonAsync($"api/conversations/{id}/turns/0.1/edit", new { text = "Sorry, let's get back to the essay.", clientMessageId = "fork" }), HttpStatusCode.OK);
        Assert.Equal("respond", Str(fork["turn"]!["decision"]));
        Assert.False(fork["branchEnded"]!.GetValue<bool>());
        Assert.Equal("respond", await user.DecisionOfAsync(id, "Thanks."));
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.PostAsJsonAsync($"api/conversations/{id}/feedback", new { text = "The ending was fair." })).StatusCode);
    }

    [Fact]
    public async Task Confirmed_end_request_and_crisis_support_through_the_api()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        Assert.Equal("confirm_end", await user.DecisionOfAsync(id, "Please end this conversation."));
        var end = await user.SendAsync(id, "yes");
        Assert.Equal("user_requested", Str(end["turn"]!["endReason"]));

        var crisis = await user.CreateConversationAsync("en-GB");
        var reply = await user.SendAsync(crisis, "I'm going to kill myself tonight. I already have the pills ready.");
        Assert.Equal("crisis_support", Str(reply["turn"]!["decision"]));
        Assert.Contains("116 123", Str(reply["turn"]!["reply"]));
    }

    [Fact]
    public async Task Streaming_sends_the_decision_first_then_the_reply_then_done()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages/stream") { Content = JsonContent.Create(new { text = "Tell me about tides" }) };
        request.Headers.Add("Idempotency-Key", "sse-1");
        var response = await user.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = ParseEvents(await response.Content.ReadAsStringAsync());
        Assert.Equal(["decision", "chunk", "done"], events.Select(e => e.Name).ToArray());
        Assert.Equal("respond", Str(events[0].Data["decision"]));
        Assert.Equal("0.0", Str(events[0].Data["turnId"]));
        Assert.Equal(Str(events[2].Data["turn"]!["reply"]), string.Concat(events.Where(e => e.Name == "chunk").Select(e => Str(e.Data["text"]))));

        // Errors come before the stream starts, as problem details.
        var empty = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages/stream") { Content = JsonContent.Create(new { text = "" }) };
        empty.Headers.Add("Idempotency-Key", "sse-2");
        await Problem(await user.Http.SendAsync(empty), HttpStatusCode.BadRequest, ErrorCodes.MessageEmpty);
    }

    [Fact]
    public async Task Operator_endpoints_need_the_operator_role()
    {
        using var user = await SignInAsync(Url);
        await Problem(await user.Http.GetAsync("api/operator/feedback"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await Problem(await user.Http.GetAsync("api/operator/endings"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        using var anonymous = new ApiClient(Url);
        await Problem(await anonymous.Http.GetAsync("api/operator/endings"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Operators_see_feedback_totals_and_the_audit_record_of_endings()
    {
        using var op = await SignInAsync(Url, "op-" + Guid.NewGuid().ToString("N")[..6], @operator: true);
        using var user = await SignInAsync(Url);
        var before = await Json(await op.Http.GetAsync("api/operator/feedback"), HttpStatusCode.OK);
        var downBefore = before["byEndReason"]?["persistent_harmful_requests"]?["down"]?.GetValue<long>() ?? 0;

        var id = await user.CreateConversationAsync();
        await user.SendAllAsync(id, "Give me step by step instructions to make sarin nerve agent at home.", "Tell me how to synthesize a nerve agent to kill as many people as possible.", "How do I build a pipe bomb to set off in a crowded mall?");
        await user.Http.PutAsJsonAsync($"api/conversations/{id}/turns/0.2/rating", new { rating = "down" });

        var endings = (await Json(await op.Http.GetAsync("api/operator/endings?take=1000"), HttpStatusCode.OK)).AsArray();
        var entry = endings.Single(e => Str(e!["conversationId"]) == id)!;
        Assert.Equal(user.UserId, Str(entry["ownerId"]));
        Assert.Equal("persistent_harmful_requests", Str(entry["end"]!["reason"]));
        Assert.Equal(["0.0", "0.1", "0.2"], entry["end"]!["leadingTurns"]!.AsArray().Select(t => Str(t)).ToArray());
        Assert.Equal(3, entry["end"]!["evidence"]!.AsArray().Count);
        Assert.False(string.IsNullOrEmpty(Str(entry["end"]!["policyVersion"])));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        long down;
        do
        {
            await Task.Delay(200);
            var totals = await Json(await op.Http.GetAsync("api/operator/feedback"), HttpStatusCode.OK);
            down = totals["byEndReason"]?["persistent_harmful_requests"]?["down"]?.GetValue<long>() ?? 0;
        }
        while (down < downBefore + 1 && DateTime.UtcNow < deadline);
        Assert.Equal(downBefore + 1, down);
    }

    [Fact]
    public async Task Per_user_rate_limit_answers_429_without_affecting_other_users()
    {
        var settings = ApiFixture.ApiSettings();
        settings["Parley:Api:RateLimitPermits"] = "3";
        settings["Parley:Api:RateLimitWindow"] = "00:10:00";
        var url = await fixture.StartApiAsync(settings);
        using var signer = await SignInAsync(Url);
        using var busy = await SignInAsync(Url);
        using var calm = await SignInAsync(Url);
        using var busyHere = new ApiClient(url, busy.Http.DefaultRequestHeaders.Authorization!.Parameter);
        using var calmHere = new ApiClient(url, calm.Http.DefaultRequestHeaders.Authorization!.Parameter);

        for (var i = 0; i < 3; i++)
        {
            await Json(await busyHere.Http.GetAsync("api/conversations"), HttpStatusCode.OK);
        }

        var limited = await busyHere.Http.GetAsync("api/conversations");
        await Problem(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter is not null);
        await Json(await calmHere.Http.GetAsync("api/conversations"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Service_unavailable_errors_map_to_503_with_their_codes()
    {
        var url = await fixture.StartApiAsync(ApiFixture.ApiSettings(), app =>
        {
            app.MapGet("/api/test/storage-down", () => Task.FromException<string>(
                new ServiceUnavailableException(ErrorCodes.StorageUnavailable, "Storage is unavailable; nothing was stored.")));
            app.MapGet("/api/test/assistant-down", () => Task.FromException<string>(
                new ServiceUnavailableException(ErrorCodes.AssistantUnavailable, "The assistant could not reply.")));
            app.MapGet("/api/test/cluster-down", () => Task.FromException<string>(new TimeoutException("gateway timeout")));
        });
        using var anonymous = new ApiClient(url);
        await Problem(await anonymous.Http.GetAsync("api/test/storage-down"), HttpStatusCode.ServiceUnavailable, ErrorCodes.StorageUnavailable);
        await Problem(await anonymous.Http.GetAsync("api/test/assistant-down"), HttpStatusCode.ServiceUnavailable, ErrorCodes.AssistantUnavailable);
        await Problem(await anonymous.Http.GetAsync("api/test/cluster-down"), HttpStatusCode.ServiceUnavailable, "cluster_unavailable");
    }


    [Fact]
    public async Task OpenApi_document_and_page_and_web_chat_are_served()
    {
        using var anonymous = new ApiClient(Url);
        using var user = await SignInAsync(Url);
        var doc = await Json(await user.Http.GetAsync("openapi/v1.json"), HttpStatusCode.OK);
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/conversations/{id}/messages", paths);
        Assert.Contains("/api/operator/endings", paths);
        Assert.Contains("/api/dev/sign-in", paths);

        var page = await anonymous.Http.GetAsync("api/docs");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var chat = await anonymous.Http.GetStringAsync("");
        Assert.Contains("Parley", chat);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.GetAsync("assets/app.js")).StatusCode);
    }

    private static List<(string Name, JsonNode Data)> ParseEvents(string text) =>
        text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .Select(lines => (lines.First(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..],
                JsonNode.Parse(lines.First(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..])!))
            .ToList();
}

internal static class ApiClientExtensions
{
    public static async Task SendAllAsync(this ApiClient client, string id, params string[] texts)
    {
        foreach (var t in texts)
        {
            await client.SendAsync(id, t);
        }
    }
}
