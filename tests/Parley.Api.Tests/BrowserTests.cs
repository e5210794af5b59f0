using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Api.Tests;

/// <summary>
/// The web chat end to end in headless Chromium against the API on a real two-silo cluster with the real classifier,
/// driven by plain, unmistakable messages (abuse aimed at the assistant, a crisis disclosure, an end request).
/// Screenshots go to the test output directory, folder <c>screenshots</c> (or <c>PARLEY_SCREENSHOTS</c>; test.sh puts them under artifacts/test-results/screenshots).
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "browser")]
public sealed partial class BrowserTests(ApiFixture fixture) : IAsyncLifetime
{
    public static readonly string ScreenshotDirectory =
        Environment.GetEnvironmentVariable("PARLEY_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private string _userName = "";

    public async Task InitializeAsync()
    {
        var browser = await fixture.BrowserAsync();
        _context = await browser.NewContextAsync(new() { Locale = "en-US", ViewportSize = new() { Width = 1100, Height = 900 } });
        _context.SetDefaultTimeout(15_000);
        SetDefaultExpectTimeout(15_000);
        _page = await _context.NewPageAsync();
        _userName = "web-" + Guid.NewGuid().ToString("N")[..8];
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    // Rendered exchanges (not the pending one shown while the reply streams in).
    private ILocator Exchanges => _page.Locator("#transcript > li:not(.pending)");

    private ILocator Assistant(int index) => Exchanges.Nth(index).Locator("[data-role=assistant]");

    private async Task SignInAsync()
    {
        await _page.GotoAsync(fixture.BaseUrl + "/");
        await _page.GetByLabel("User name").FillAsync(_userName);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(_page.Locator("#who-name")).ToHaveTextAsync(_userName);
    }

    // A new conversation is an empty chat until its first message creates it (so the list gets no empty entries).
    private async Task NewConversationAsync()
    {
        var before = await _page.Locator("#conversation-list li").CountAsync();
        await _page.Locator("#new-conversation").ClickAsync();
        await Expect(_page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync();
        await Expect(Exchanges).ToHaveCountAsync(0);
        await Expect(_page.Locator("#conversation-list li")).ToHaveCountAsync(before);
    }

    private async Task SendAsync(string text)
    {
        var before = await Exchanges.CountAsync();
        var box = _page.GetByLabel("Message", new() { Exact = true });
        await box.FillAsync(text);
        await box.PressAsync("Enter");
        await Expect(Exchanges).ToHaveCountAsync(before + 1);
    }

    private ILocator MessageBox => _page.GetByLabel("Message", new() { Exact = true });

    // The open conversation's id, from its address /c/{id}.
    private async Task<string> CurrentConversationIdAsync()
    {
        await Expect(_page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/c/[A-Za-z0-9_-]+$"));
        return await _page.EvaluateAsync<string>("() => decodeURIComponent(location.pathname.slice(3))");
    }

    /// <summary>
    /// Holds the first streaming send at the browser until <see cref="StreamGate.Release"/>: the page sees a send in
    /// flight (as while a reply streams) and the server has not received it yet. Later sends pass straight through.
    /// </summary>
    private async Task<StreamGate> GateFirstSendAsync()
    {
        var gate = new StreamGate();
        await _page.RouteAsync("**/messages/stream", async route =>
        {
            if (Interlocked.Increment(ref gate.Requests) == 1)
            {
                await gate.Opened.Task;
            }

            await route.ContinueAsync();
        });
        return gate;
    }

    private sealed class StreamGate
    {
        public int Requests;

        public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Opened.TrySetResult();

        public async Task WaitForRequestsAsync(int count)
        {
            for (var waited = 0; Volatile.Read(ref Requests) < count; waited += 50)
            {
                Assert.True(waited < 15_000, $"expected {count} streaming sends, saw {Volatile.Read(ref Requests)}");
                await Task.Delay(50);
            }
        }
    }

    private async Task<List<string>> StoredUserTextsAsync(ApiClient client, string conversationId)
    {
        var page = await ApiClient.Json(await client.Http.GetAsync($"api/conversations/{conversationId}/turns"), System.Net.HttpStatusCode.OK);
        return page["turns"]!.AsArray().Select(t => ApiClient.Str(t!["userText"])).ToList();
    }

    private static async Task<List<string>> EventuallyAsync(Func<Task<List<string>>> read, int count)
    {
        for (var waited = 0; ; waited += 100)
        {
            var value = await read();
            if (value.Count >= count || waited >= 15_000)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }

    private async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name);
        await _page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000);
    }

    // axe-core (bundled in Deque.AxeCore.Playwright, nothing downloaded): no serious or critical WCAG violations.
    private async Task AssertAccessibleAsync(string state)
    {
        var result = await _page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Select(n => n.Html).Take(3))}").ToList();
        Assert.True(serious.Count == 0, $"Accessibility violations in the {state} state:\n" + string.Join("\n", serious));
    }

    [Fact]
    public async Task The_web_chat_and_the_api_page_work_under_the_content_security_policy()
    {
        // Record every CSP violation from the first script on (init scripts are not subject to the page's policy).
        await _page.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        var errors = new List<string>();
        _page.PageError += (_, e) => errors.Add(e);

        var response = await _page.GotoAsync(fixture.BaseUrl + "/");
        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy"));
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("How do tides work?");
        await Expect(Assistant(0)).ToHaveAttributeAsync("data-decision", "respond");
        await Exchanges.First.GetByRole(AriaRole.Button, new() { Name = "Thumbs up" }).ClickAsync();
        Assert.Empty(await _page.EvaluateAsync<string[]>("window.__csp"));

        // The policy is enforced: an injected inline script does not run, and is reported.
        Assert.Null(await _page.EvaluateAsync<string?>(
            "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = \"yes\"'; document.body.append(s); return window.__ran ?? null; }"));
        await _page.WaitForFunctionAsync("window.__csp.some(v => v.startsWith('script-src'))");

        // The API page (its script is a file now) loads the operations once it has a token.
        await _page.GotoAsync(fixture.BaseUrl + "/api/docs");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Get a token" }).ClickAsync();
        await Expect(_page.Locator("#ops details").Nth(10)).ToBeVisibleAsync();
        Assert.Empty(await _page.EvaluateAsync<string[]>("window.__csp"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Enter_while_a_reply_is_pending_does_not_send_again()
    {
        await SignInAsync();
        await NewConversationAsync();
        var gate = await GateFirstSendAsync();

        await MessageBox.FillAsync("How do tides work?");
        await MessageBox.PressAsync("Enter");
        await gate.WaitForRequestsAsync(1);
        var id = await CurrentConversationIdAsync();
        await Expect(_page.Locator("#send")).ToBeHiddenAsync(); // Stop takes its place while the reply is pending

        // Enter again at once (the old page re-sent the same text), then a new message typed while the reply is pending:
        // Enter obeys the disabled Send button, and the new text stays in the box for later.
        await MessageBox.PressAsync("Enter");
        await MessageBox.FillAsync("And what about the moon?");
        await MessageBox.PressAsync("Enter");
        await Task.Delay(500);
        Assert.Equal(1, Volatile.Read(ref gate.Requests));
        await Expect(MessageBox).ToHaveValueAsync("And what about the moon?");

        gate.Release();
        await Expect(Exchanges).ToHaveCountAsync(1);
        await Expect(_page.Locator("#send")).ToBeEnabledAsync();
        await Expect(_page.Locator("#stop")).ToBeHiddenAsync();
        await Expect(MessageBox).ToHaveValueAsync("And what about the moon?");
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        Assert.Equal(["How do tides work?"], await StoredUserTextsAsync(sameUser, id));

        // Once the reply is in, Enter sends the waiting message.
        await MessageBox.PressAsync("Enter");
        await Expect(Exchanges).ToHaveCountAsync(2);
        Assert.Equal(["How do tides work?", "And what about the moon?"], await StoredUserTextsAsync(sameUser, id));
    }

    [Fact]
    public async Task Sending_clears_the_box_at_once_and_shows_a_typing_indicator_until_the_reply_arrives()
    {
        await SignInAsync();
        await NewConversationAsync();
        var gate = await GateFirstSendAsync();
        await MessageBox.FillAsync("How do tides work?");
        await MessageBox.PressAsync("Enter");

        // While the server has not even received the message: the box is empty, the message shows, the assistant is "typing".
        await Expect(MessageBox).ToHaveValueAsync("");
        var pending = _page.Locator("#transcript > li.pending");
        await Expect(pending.Locator(".msg.user")).ToContainTextAsync("How do tides work?");
        var typing = pending.GetByRole(AriaRole.Status, new() { Name = "Assistant is typing" });
        await Expect(typing).ToBeVisibleAsync();
        Assert.Equal(0, await Exchanges.CountAsync());
        await ScreenshotAsync("typing.png");

        gate.Release();
        await Expect(Exchanges).ToHaveCountAsync(1);
        await Expect(Assistant(0)).ToContainTextAsync("Built-in responder");
        await Expect(_page.GetByRole(AriaRole.Status, new() { Name = "Assistant is typing" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_pending_send_stays_in_the_conversation_it_was_typed_in_when_switching()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("Tell me about tides.");
        var a = await CurrentConversationIdAsync();
        await NewConversationAsync();
        await SendAsync("Hello from B.");
        var b = await CurrentConversationIdAsync();
        await _page.Locator("#conversation-list button", new() { HasText = "Tell me about tides." }).ClickAsync();
        await Expect(Exchanges).ToHaveCountAsync(1);

        var gate = await GateFirstSendAsync();
        await MessageBox.FillAsync("Pending for A.");
        await MessageBox.PressAsync("Enter");
        await gate.WaitForRequestsAsync(1);

        // Switch to B while A's reply is pending; record everything B's transcript ever shows from now on.
        await _page.Locator("#conversation-list button", new() { HasText = "Hello from B." }).ClickAsync();
        await Expect(Exchanges).ToHaveCountAsync(1);
        await Expect(Exchanges.First).ToContainTextAsync("Hello from B.");
        await _page.EvaluateAsync("""
            () => { window.__seen = []; const t = document.getElementById('transcript');
                    new MutationObserver(() => window.__seen.push(t.textContent)).observe(t, { childList: true, subtree: true, characterData: true }); }
            """);

        // Enter in B does not post A's pending message into B; B is free to send its own.
        await MessageBox.PressAsync("Enter");
        await Task.Delay(500);
        Assert.Equal(1, Volatile.Read(ref gate.Requests));
        await Expect(_page.Locator("#send")).ToBeEnabledAsync();
        await MessageBox.FillAsync("Second for B.");
        await MessageBox.PressAsync("Enter");
        await Expect(Exchanges).ToHaveCountAsync(2);

        gate.Release();
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        Assert.Equal(["Tell me about tides.", "Pending for A."], await EventuallyAsync(() => StoredUserTextsAsync(sameUser, a), 2));
        Assert.Equal(["Hello from B.", "Second for B."], await StoredUserTextsAsync(sameUser, b));
        await Task.Delay(500);
        await Expect(Exchanges).ToHaveCountAsync(2);
        Assert.DoesNotContain(await _page.EvaluateAsync<string[]>("window.__seen"), seen => seen.Contains("Pending for A."));

        // A shows its own message and reply.
        await _page.Locator("#conversation-list button", new() { HasText = "Tell me about tides." }).ClickAsync();
        await Expect(Exchanges).ToHaveCountAsync(2);
        await Expect(Exchanges.Nth(1).Locator("[data-role=user]")).ToContainTextAsync("Pending for A.");
    }

    [Fact]
    public async Task The_newest_reply_the_warning_and_the_ended_banner_scroll_into_view()
    {
        await _page.SetViewportSizeAsync(1100, 700);
        await SignInAsync();
        await NewConversationAsync();
        var fullyVisible = new LocatorAssertionsToBeInViewportOptions { Ratio = 1 };
        string[] benign = ["Can you help me plan a trip?", "Which trains go to Edinburgh?", "What is a good museum there?"];
        for (var i = 0; i < benign.Length; i++)
        {
            await SendAsync(benign[i]);
            await Expect(Assistant(i)).ToBeInViewportAsync(fullyVisible);
        }

        await SendAsync("You are a useless piece of shit.");
        await Expect(Assistant(3)).ToHaveAttributeAsync("data-decision", "redirect");
        await Expect(Assistant(3)).ToBeInViewportAsync(fullyVisible);
        await SendAsync("Shut up, you stupid worthless bot.");
        await Expect(Assistant(4)).ToHaveAttributeAsync("data-decision", "warn");
        await Expect(Assistant(4)).ToBeInViewportAsync(fullyVisible);
        await SendAsync("Fuck you, you idiotic garbage machine.");
        await Expect(Assistant(5)).ToHaveAttributeAsync("data-decision", "end");
        var banner = _page.Locator("#ended-banner");
        await Expect(banner).ToBeInViewportAsync(fullyVisible);
        Assert.True(await _page.EvaluateAsync<bool>("() => document.scrollingElement.scrollHeight > window.innerHeight + 300"),
            "the transcript should be taller than the window for this test to mean anything");

        // Reopening the ended conversation shows its end: from a fresh page load and from the conversation list.
        var id = await CurrentConversationIdAsync();
        await _page.GotoAsync("about:blank");
        await _page.GotoAsync(fixture.BaseUrl + "/#c=" + id);
        await Expect(Exchanges).ToHaveCountAsync(6);
        await Expect(banner).ToBeInViewportAsync(fullyVisible);
        await NewConversationAsync();
        await _page.Locator("#conversation-list button", new() { HasText = "Can you help me plan a trip?" }).ClickAsync();
        await Expect(Exchanges).ToHaveCountAsync(6);
        await Expect(banner).ToBeInViewportAsync(fullyVisible);
    }

    [Fact]
    public async Task Sign_in_chat_and_start_a_new_conversation()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("How do tides work?");
        await Expect(Exchanges.First.Locator("[data-role=user]")).ToContainTextAsync("How do tides work?");
        await Expect(Assistant(0)).ToHaveAttributeAsync("data-decision", "respond");
        await Expect(Assistant(0)).ToContainTextAsync("Built-in responder");
        await Expect(_page.Locator("#conversation-list .name").First).ToHaveTextAsync("How do tides work?");
        await Expect(_page.Locator("#conversation-list button[aria-current=true]")).ToHaveCountAsync(1);

        // A new conversation joins the list with its first message, not before.
        await NewConversationAsync();
        await Expect(Exchanges).ToHaveCountAsync(0);
        await Expect(_page.Locator("#conversation-list li")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#conversation-list button[aria-current=true]")).ToHaveCountAsync(0);
        await SendAsync("What is a haiku?");
        await Expect(_page.Locator("#conversation-list li")).ToHaveCountAsync(2);
        await Expect(_page.Locator("#conversation-list button[aria-current=true]")).ToHaveCountAsync(1);

        // Going back to the first conversation shows its transcript.
        await _page.Locator("#conversation-list button", new() { HasText = "How do tides work?" }).ClickAsync();
        await Expect(Exchanges).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Warn_then_ending_banner_with_its_actions_and_edit_opens_a_live_branch()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("Can you help me plan a trip?");
        await SendAsync("You are a useless piece of shit.");
        await Expect(Assistant(1)).ToHaveAttributeAsync("data-decision", "redirect");
        await Expect(Assistant(1).Locator(".badge")).ToHaveTextAsync("Boundary");
        await SendAsync("Shut up, you stupid worthless bot.");
        await Expect(Assistant(2)).ToHaveAttributeAsync("data-decision", "warn");
        await Expect(Assistant(2).Locator(".badge")).ToHaveTextAsync("Warning");
        var redirectColor = await Assistant(1).EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var warnColor = await Assistant(2).EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(redirectColor, warnColor);

        await SendAsync("Fuck you, you idiotic garbage machine.");
        await Expect(Assistant(3)).ToHaveAttributeAsync("data-decision", "end");
        var banner = _page.Locator("#ended-banner");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToContainTextAsync("The assistant ended this conversation");
        await Expect(Assistant(3)).ToContainTextAsync("insults aimed at me continued"); // the ending reply says why ...
        await Expect(_page.Locator("#ended-reason")).ToBeHiddenAsync();            // ... so the banner does not say it again
        await Expect(banner).ToBeFocusedAsync();
        await Expect(_page.Locator("#composer")).ToBeHiddenAsync();
        await Expect(_page.Locator("#message")).ToBeDisabledAsync();
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Start a new conversation" })).ToBeVisibleAsync();
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Edit an earlier message" })).ToBeVisibleAsync();
        await ScreenshotAsync("ended.png");
        await AssertAccessibleAsync("ended");

        // Feedback about the ending.
        await banner.GetByRole(AriaRole.Button, new() { Name = "Give feedback about the ending" }).ClickAsync();
        await _page.GetByLabel("Your feedback about the ending").FillAsync("I was frustrated, but fair enough.");
        await banner.GetByRole(AriaRole.Button, new() { Name = "Send feedback" }).ClickAsync();
        await Expect(_page.Locator("#ending-feedback-done")).ToBeVisibleAsync();

        // Edit an earlier message: forks a live branch, shown as version 2/2.
        await banner.GetByRole(AriaRole.Button, new() { Name = "Edit an earlier message" }).ClickAsync();
        var edit = _page.GetByLabel("Edit your message (opens a new branch)");
        await Expect(edit).ToBeFocusedAsync();
        await Expect(edit).ToHaveValueAsync("Can you help me plan a trip?"); // the message before the first redirect
        await edit.FillAsync("Could you suggest a route through Scotland?");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save and resubmit" }).ClickAsync();
        await Expect(banner).ToBeHiddenAsync();
        await Expect(Exchanges).ToHaveCountAsync(1);
        await Expect(Assistant(0)).ToHaveAttributeAsync("data-decision", "respond");
        await Expect(_page.Locator("#composer")).ToBeVisibleAsync();
        await Expect(Exchanges.Nth(0).Locator(".version-count")).ToHaveTextAsync("2/2");
        await SendAsync("Thanks!");
        await Expect(Assistant(1)).ToHaveAttributeAsync("data-decision", "respond");

        // Branch navigation back to the ended version.
        await Exchanges.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Previous version" }).ClickAsync();
        await Expect(Exchanges.Nth(0).Locator(".version-count")).ToHaveTextAsync("1/2");
        await Expect(Exchanges).ToHaveCountAsync(4);
        await Expect(banner).ToBeVisibleAsync();
        await Exchanges.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Next version" }).ClickAsync();
        await Expect(Exchanges).ToHaveCountAsync(2);
        await Expect(banner).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_send_refused_because_the_conversation_ended_elsewhere_shows_why_and_the_banner()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("Hello");
        var id = await CurrentConversationIdAsync();

        // The same user ends the conversation from another client (confirmed end request).
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        Assert.Equal("confirm_end", await sameUser.DecisionOfAsync(id, "Please end this conversation."));
        Assert.Equal("end", await sameUser.DecisionOfAsync(id, "yes"));

        var box = _page.GetByLabel("Message", new() { Exact = true });
        await box.FillAsync("Are you still there?");
        await box.PressAsync("Enter");
        await Expect(_page.Locator("#send-error")).ToContainTextAsync("Your message was not sent: this conversation has ended.");
        await Expect(_page.Locator("#ended-banner")).ToBeVisibleAsync();
        await Expect(_page.Locator("#ended-banner")).ToBeFocusedAsync();
        await Expect(Exchanges).ToHaveCountAsync(3);
        await Expect(Assistant(2)).ToContainTextAsync("as you asked");
    }

    [Fact]
    public async Task Yes_end_the_conversation_is_an_action_that_posts_no_message()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("Please end this conversation.");
        var id = await CurrentConversationIdAsync();
        await Expect(Assistant(0)).ToHaveAttributeAsync("data-decision", "confirm_end");
        await Expect(Assistant(0).GetByRole(AriaRole.Button, new() { Name = "No, let's continue" })).ToBeVisibleAsync();
        await Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Yes, end the conversation" }).ClickAsync();
        var banner = _page.Locator("#ended-banner");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToBeFocusedAsync();
        await Expect(_page.Locator("#ended-reason")).ToContainTextAsync("you asked to end it");
        await Expect(Exchanges).ToHaveCountAsync(1); // the old page posted "yes" on the user's behalf: two exchanges
        await Expect(Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Yes, end the conversation" })).ToHaveCountAsync(0);

        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        Assert.Equal(["Please end this conversation."], await StoredUserTextsAsync(sameUser, id));
        var status = await ApiClient.Json(await sameUser.Http.GetAsync($"api/conversations/{id}"), System.Net.HttpStatusCode.OK);
        Assert.Equal("user_requested", ApiClient.Str(status["status"]!["currentBranch"]!["end"]!["reason"]));
        await _page.ReloadAsync();
        await Expect(banner).ToBeVisibleAsync();
        await Expect(_page.Locator("#conversation-list li").First).ToContainTextAsync("Ended");
    }

    [Fact]
    public async Task No_lets_continue_declines_the_end_request_without_posting_a_message()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("Please end this conversation.");
        var id = await CurrentConversationIdAsync();
        await Expect(Assistant(0)).ToHaveAttributeAsync("data-decision", "confirm_end");
        await Assistant(0).GetByRole(AriaRole.Button, new() { Name = "No, let's continue" }).ClickAsync();
        await Expect(Assistant(0)).ToContainTextAsync("You chose to continue the conversation.");
        await Expect(Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Yes, end the conversation" })).ToHaveCountAsync(0);
        await Expect(MessageBox).ToBeFocusedAsync();
        await Expect(Exchanges).ToHaveCountAsync(1);
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        Assert.Equal(["Please end this conversation."], await StoredUserTextsAsync(sameUser, id));

        // The decision holds after a reload, and a later "yes" is an ordinary message, not a confirmation.
        await _page.ReloadAsync();
        await Expect(Assistant(0)).ToContainTextAsync("You chose to continue the conversation.");
        await SendAsync("yes");
        await Expect(Assistant(1)).ToHaveAttributeAsync("data-decision", "respond");
        await Expect(_page.Locator("#ended-banner")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Escape_closes_the_feedback_edit_and_ending_feedback_forms_and_returns_focus()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("Please end this conversation.");

        var feedback = Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Give feedback on this reply" });
        await feedback.ClickAsync();
        await Expect(_page.GetByLabel("Your feedback on this reply")).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("Escape");
        await Expect(_page.GetByLabel("Your feedback on this reply")).ToHaveCountAsync(0);
        await Expect(feedback).ToBeFocusedAsync();

        var edit = Exchanges.First.GetByRole(AriaRole.Button, new() { Name = "Edit message" });
        await edit.ClickAsync();
        await Expect(_page.GetByLabel("Edit your message (opens a new branch)")).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("Escape");
        await Expect(_page.GetByLabel("Edit your message (opens a new branch)")).ToHaveCountAsync(0);
        await Expect(edit).ToBeFocusedAsync();

        await Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Yes, end the conversation" }).ClickAsync();
        var banner = _page.Locator("#ended-banner");
        await Expect(banner).ToBeVisibleAsync();
        var endingFeedback = banner.GetByRole(AriaRole.Button, new() { Name = "Give feedback about the ending" });
        await endingFeedback.ClickAsync();
        await Expect(_page.GetByLabel("Your feedback about the ending")).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("Escape");
        await Expect(_page.GetByLabel("Your feedback about the ending")).ToBeHiddenAsync();
        await Expect(endingFeedback).ToBeFocusedAsync();
    }

    [Fact]
    public async Task The_tab_title_follows_the_open_conversation()
    {
        await SignInAsync();
        await Expect(_page).ToHaveTitleAsync("Parley chat");
        await NewConversationAsync();
        await Expect(_page).ToHaveTitleAsync("Parley chat");
        await SendAsync("How do tides work?");
        await Expect(_page).ToHaveTitleAsync("How do tides work? – Parley chat");
        await NewConversationAsync();
        await SendAsync("What is a haiku?");
        await Expect(_page).ToHaveTitleAsync("What is a haiku? – Parley chat");
        await _page.Locator("#conversation-list button", new() { HasText = "How do tides work?" }).ClickAsync();
        await Expect(_page).ToHaveTitleAsync("How do tides work? – Parley chat");
        await _page.ReloadAsync();
        await Expect(_page).ToHaveTitleAsync("How do tides work? – Parley chat");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(_page).ToHaveTitleAsync("Parley chat");
    }

    [Fact]
    public async Task Thumbs_up_shows_the_vote_and_clicking_again_withdraws_it_and_written_feedback_is_sent()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("What is a haiku?");
        var up = Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Thumbs up" });
        var down = Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Thumbs down" });
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "false");
        await up.ClickAsync();
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "true");

        // The vote is stored: it survives a reload.
        await _page.ReloadAsync();
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(down).ToHaveAttributeAsync("aria-pressed", "false");
        await up.ClickAsync();
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "false");
        await _page.ReloadAsync();
        await Expect(up).ToHaveAttributeAsync("aria-pressed", "false");

        await Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Give feedback on this reply" }).ClickAsync();
        await _page.GetByLabel("Your feedback on this reply").FillAsync("Clear and short.");
        await Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Send feedback" }).ClickAsync();
        await Expect(Assistant(0)).ToContainTextAsync("Thank you, your feedback was sent.");

        var id = await CurrentConversationIdAsync();
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        var page = await ApiClient.Json(await sameUser.Http.GetAsync($"api/conversations/{id}/turns"), System.Net.HttpStatusCode.OK);
        Assert.Equal("Clear and short.", ApiClient.Str(page["turns"]![0]!["feedback"]));
        Assert.Equal("none", ApiClient.Str(page["turns"]![0]!["rating"]));
    }

    [Fact]
    public async Task A_crisis_reply_shows_the_resources_prominently()
    {
        await SignInAsync();
        await NewConversationAsync();
        await SendAsync("I'm going to kill myself tonight. I already have the pills ready.");
        await Expect(Assistant(0)).ToHaveAttributeAsync("data-decision", "crisis_support");
        var resources = Assistant(0).GetByRole(AriaRole.Region, new() { Name = "Crisis resources" });
        await Expect(resources).ToBeVisibleAsync();
        await Expect(resources).ToContainTextAsync("Help is available right now");
        await Expect(resources.Locator("li").First).ToContainTextAsync("988");
        await Expect(_page.Locator("#composer")).ToBeVisibleAsync();
        await ScreenshotAsync("crisis.png");
        await AssertAccessibleAsync("crisis");
    }

    [Fact]
    public async Task Works_at_phone_width_and_by_keyboard()
    {
        await _page.SetViewportSizeAsync(375, 740);
        await _page.GotoAsync(fixture.BaseUrl + "/");
        await AssertAccessibleAsync("sign-in");
        await _page.GetByLabel("User name").FocusAsync();
        await _page.Keyboard.TypeAsync(_userName);
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.Locator("#who-name")).ToHaveTextAsync(_userName);
        await Expect(_page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync(); // a new conversation is ready
        await _page.Keyboard.TypeAsync("Typed with the keyboard on a phone.");
        await _page.Keyboard.PressAsync("Enter");
        await Expect(Exchanges).ToHaveCountAsync(1);
        var overflow = await _page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                     .map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).join(' ')
            """);
        Assert.True(overflow.Length == 0, "the page scrolls sideways at phone width: " + overflow);
        await ScreenshotAsync("phone.png");
    }
}
