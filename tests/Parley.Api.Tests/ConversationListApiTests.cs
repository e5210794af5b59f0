using System.Net;
using System.Net.Http.Json;
using Parley.Abstractions;
using static Parley.Api.Tests.ApiClient;

namespace Parley.Api.Tests;

/// <summary>Rename, soft delete and the ended flag of the conversation list, and the confirm-end action, over HTTP.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConversationListApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task Rename_and_soft_delete_change_the_list_only_and_bad_input_gets_typed_errors()
    {
        using var alice = await SignInAsync(fixture.BaseUrl);
        var id = await alice.CreateConversationAsync();
        await alice.SendAsync(id, "Plan a trip to Edinburgh.");

        var renamed = await Json(await alice.Http.PatchAsJsonAsync($"api/conversations/{id}", new { title = "  Edinburgh  " }), HttpStatusCode.OK);
        Assert.Equal("Edinburgh", Str(renamed["title"]));
        var list = await Json(await alice.Http.GetAsync("api/conversations"), HttpStatusCode.OK);
        Assert.Equal("Edinburgh", Str(list[0]!["title"]));

        await Problem(await alice.Http.PatchAsJsonAsync($"api/conversations/{id}", new { title = " " }), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await Problem(await alice.Http.PatchAsJsonAsync($"api/conversations/{id}", new { title = new string('x', 500) }), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await Problem(await alice.Http.PatchAsJsonAsync("api/conversations/nosuchconversation", new { title = "x" }), HttpStatusCode.NotFound, ErrorCodes.ConversationNotFound);
        await Problem(await alice.Http.PatchAsJsonAsync("api/conversations/bad%20id", new { title = "x" }), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        // Another user cannot rename or delete it: it is not in their list.
        using var bob = await SignInAsync(fixture.BaseUrl);
        await Problem(await bob.Http.PatchAsJsonAsync($"api/conversations/{id}", new { title = "mine" }), HttpStatusCode.NotFound, ErrorCodes.ConversationNotFound);
        await Problem(await bob.Http.DeleteAsync($"api/conversations/{id}"), HttpStatusCode.NotFound, ErrorCodes.ConversationNotFound);

        // Soft delete: gone from the list (twice is fine), the conversation and its turns are still stored and readable.
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync($"api/conversations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync($"api/conversations/{id}")).StatusCode);
        Assert.Empty((await Json(await alice.Http.GetAsync("api/conversations"), HttpStatusCode.OK)).AsArray());
        var turns = await Json(await alice.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        Assert.Equal("Plan a trip to Edinburgh.", Str(turns["turns"]![0]!["userText"]));
        await Problem(await alice.Http.PatchAsJsonAsync($"api/conversations/{id}", new { title = "back" }), HttpStatusCode.NotFound, ErrorCodes.ConversationNotFound);
    }

    [Fact]
    public async Task Confirm_end_ends_the_branch_without_a_turn_and_the_list_marks_it_ended()
    {
        using var alice = await SignInAsync(fixture.BaseUrl);
        var id = await alice.CreateConversationAsync();
        await alice.SendAsync(id, "Hello.");
        await Problem(await alice.Http.PostAsync($"api/conversations/{id}/end-request/confirm", null), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);

        Assert.Equal("confirm_end", await alice.DecisionOfAsync(id, "Please end this conversation."));
        using var bob = await SignInAsync(fixture.BaseUrl);
        await Problem(await bob.Http.PostAsync($"api/conversations/{id}/end-request/confirm", null), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        var status = await Json(await alice.Http.PostAsync($"api/conversations/{id}/end-request/confirm", null), HttpStatusCode.OK);
        var end = status["currentBranch"]!["end"]!;
        Assert.Equal("user_requested", Str(end["reason"]));
        Assert.Equal("0.1", Str(end["endedAt"]));
        Assert.Equal(2, status["currentBranch"]!["length"]!.GetValue<int>()); // no turn was stored for the confirmation
        Assert.True((await Json(await alice.Http.GetAsync("api/conversations"), HttpStatusCode.OK))[0]!["ended"]!.GetValue<bool>());

        await Problem(await alice.SendRawAsync(id, "Still there?"), HttpStatusCode.Conflict, ErrorCodes.ConversationEnded);
        await Problem(await alice.Http.PostAsync($"api/conversations/{id}/end-request/confirm", null), HttpStatusCode.Conflict, ErrorCodes.ConversationEnded);
        var endings = await fixture.Cluster.Client.GetGrain<IEndingAuditGrain>(0).GetRecentAsync(1000);
        Assert.Contains(endings, e => e.ConversationId == id && e.End.Reason == EndReason.UserRequested);

        // Editing the first message opens a live branch: the list shows it as not ended again.
        await Json(await alice.Http.PostAsJsonAsync($"api/conversations/{id}/turns/0.0/edit", new { text = "Hi again.", clientMessageId = Guid.NewGuid().ToString() }), HttpStatusCode.OK);
        Assert.False((await Json(await alice.Http.GetAsync("api/conversations"), HttpStatusCode.OK))[0]!["ended"]!.GetValue<bool>());
    }
}
