using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Parley.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Api.Tests;

/// <summary>
/// The web chat's issue-10 features: markdown, the conversation list, loading/offline/error states, Stop and Retry, the
/// ending, the crisis card, the phone layout, deep links, the first-visit state, timestamps and a 1,000-turn transcript.
/// Each would fail on the old page.
/// </summary>
public sealed partial class BrowserTests
{
    private const string MarkdownReply = """
        ### Reading a file

        Here is **one way**, with a [link](https://example.org/docs) and a list:

        - open the file
        - read it *line by line*

        | step | cost |
        |------|------|
        | open | low  |

        ```python
        def read(path):
            with open(path) as f:
                return f.read()
        ```

        <img src="x" onerror="window.__xss = 1"><script>window.__xss = 2</script><a href="javascript:window.__xss = 3">bad link</a>
        """;

    // Answers the first streaming send with a reply the built-in responder cannot write (markdown), as the server's event
    // stream would carry it: the decision, the reply in two pieces, then "done" with the exchange.
    private async Task StreamMarkdownReplyAsync(string userText)
    {
        await _page.RouteAsync("**/messages/stream", async route =>
        {
            var turn = new
            {
                id = "0.0", clientMessageId = route.Request.Headers["idempotency-key"], userText, sentAt = DateTimeOffset.UtcNow,
                decision = "respond", reply = MarkdownReply, rating = "none",
            };
            var half = MarkdownReply.Length / 2;
            var body = $"event: decision\ndata: {JsonSerializer.Serialize(new { turnId = "0.0", decision = "respond" })}\n\n" +
                       $"event: chunk\ndata: {JsonSerializer.Serialize(new { text = MarkdownReply[..half] })}\n\n" +
                       $"event: chunk\ndata: {JsonSerializer.Serialize(new { text = MarkdownReply[half..] })}\n\n" +
                       $"event: done\ndata: {JsonSerializer.Serialize(new { turn, branchId = 0, duplicate = false, branchEnded = false })}\n\n";
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/event-stream", Body = body });
        });
    }

    [Fact]
    public async Task A_markdown_reply_is_rendered_safely_with_highlighted_code_and_copy_buttons()
    {
        await _page.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        await _context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = fixture.BaseUrl });
        await SignInAsync();
        await StreamMarkdownReplyAsync("How do I read a file in Python?");
        await SendAsync("How do I read a file in Python?");

        var reply = Assistant(0);
        await Expect(reply.Locator("h3")).ToHaveTextAsync("Reading a file");
        await Expect(reply.Locator("strong")).ToHaveTextAsync("one way");
        await Expect(reply.Locator("ul li")).ToHaveCountAsync(2);
        await Expect(reply.Locator("table th").First).ToHaveTextAsync("step");
        await Expect(reply.GetByRole(AriaRole.Link, new() { Name = "link" })).ToHaveAttributeAsync("rel", "noopener noreferrer");
        var code = reply.Locator(".code-block pre code");
        await Expect(code).ToContainTextAsync("def read(path):");
        await Expect(code.Locator(".hljs-keyword").First).ToHaveTextAsync("def");   // highlighted
        await Expect(reply.Locator(".code-bar")).ToContainTextAsync("python");

        // Sanitized: no image, no script, no javascript: link; nothing ran; nothing broke the Content-Security-Policy.
        await Expect(reply.Locator("img, script")).ToHaveCountAsync(0);
        await Expect(reply).ToContainTextAsync("<img src=\"x\""); // raw HTML is shown as text
        await Expect(reply.Locator("a[href^='javascript']")).ToHaveCountAsync(0);
        Assert.Null(await _page.EvaluateAsync<int?>("window.__xss ?? null"));
        Assert.Equal("", string.Join("; ", await _page.EvaluateAsync<string[]>("window.__csp")));

        // Copy buttons: the code block copies its code, the reply copies its markdown.
        await reply.GetByRole(AriaRole.Button, new() { Name = "Copy code" }).ClickAsync();
        Assert.Equal("def read(path):\n    with open(path) as f:\n        return f.read()\n", await _page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await reply.GetByRole(AriaRole.Button, new() { Name = "Copy reply" }).ClickAsync();
        Assert.Equal(MarkdownReply, await _page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await Expect(reply.Locator(".reply-actions .copy")).ToHaveAttributeAsync("aria-label", "Copied");
        await ScreenshotAsync("markdown.png");
        await _page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync("markdown-phone.png");
        await AssertAccessibleAsync("markdown");
    }

    [Fact]
    public async Task The_list_marks_ended_conversations_shows_relative_dates_renames_deletes_and_holds_no_empty_ones()
    {
        await SignInAsync();
        await NewConversationAsync();
        await NewConversationAsync();
        await Expect(_page.Locator("#conversation-list li")).ToHaveCountAsync(0); // the old page created two empty conversations
        await SendAsync("Can you suggest a weekend trip?");
        var trip = await CurrentConversationIdAsync();
        var list = _page.Locator("#conversation-list li");
        await Expect(list).ToHaveCountAsync(1);
        await Expect(list.First.Locator(".meta")).ToHaveTextAsync("just now");
        await Expect(list.First.Locator(".meta time")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^Started "));

        // Rename: the list, the tab title and the stored list follow.
        await list.First.GetByRole(AriaRole.Button, new() { Name = "Rename Can you suggest a weekend trip?" }).ClickAsync();
        var name = _page.GetByLabel("New name for the conversation");
        await Expect(name).ToBeFocusedAsync();
        await name.FillAsync("Weekend trip ideas");
        await name.PressAsync("Enter");
        await Expect(list.First.Locator(".name")).ToHaveTextAsync("Weekend trip ideas");
        await Expect(_page).ToHaveTitleAsync("Weekend trip ideas – Parley chat");

        // A second conversation that ends: marked in the list.
        await NewConversationAsync();
        await SendAsync("Please end this conversation.");
        var ending = await CurrentConversationIdAsync();
        await Assistant(0).GetByRole(AriaRole.Button, new() { Name = "Yes, end the conversation" }).ClickAsync();
        var endedItem = _page.Locator("#conversation-list li", new() { HasText = "Please end this conversation." });
        await Expect(endedItem.Locator(".ended-mark")).ToHaveTextAsync("Ended");
        await Expect(_page.Locator("#conversation-list li", new() { HasText = "Weekend trip ideas" }).Locator(".ended-mark")).ToHaveCountAsync(0);
        await ScreenshotAsync("list-ended.png");

        // Delete (soft): gone from the list, also after a reload; still readable by id.
        await _page.Locator("#conversation-list li", new() { HasText = "Weekend trip ideas" })
            .GetByRole(AriaRole.Button, new() { Name = "Delete Weekend trip ideas" }).ClickAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(list).ToHaveCountAsync(1);
        await _page.ReloadAsync();
        await Expect(list).ToHaveCountAsync(1);
        await Expect(list.First.Locator(".name")).ToHaveTextAsync("Please end this conversation.");
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        var listed = await ApiClient.Json(await sameUser.Http.GetAsync("api/conversations"), System.Net.HttpStatusCode.OK);
        Assert.Equal([ending], listed.AsArray().Select(c => ApiClient.Str(c!["conversationId"])).ToList());
        Assert.True(listed[0]!["ended"]!.GetValue<bool>());
        Assert.Equal(["Can you suggest a weekend trip?"], await StoredUserTextsAsync(sameUser, trip));
    }

    [Fact]
    public async Task A_spinner_shows_while_a_conversation_loads_and_an_unreachable_server_is_said_plainly()
    {
        await SignInAsync();
        await SendAsync("Tell me about tides.");
        await Expect(_page.Locator("#conversation-list li")).ToHaveCountAsync(1); // the list catches up after the first send
        await NewConversationAsync();
        await SendAsync("Hello from B.");

        // Loading: the transcript read is held; the page says it is loading (the old page showed "nothing selected").
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _page.RouteAsync("**/turns?*", async route => { await held.Task; await route.ContinueAsync(); });
        await _page.Locator("#conversation-list button.open", new() { HasText = "Tell me about tides." }).ClickAsync();
        await Expect(_page.Locator("#loading")).ToBeVisibleAsync();
        await Expect(_page.Locator("#loading .spinner")).ToBeVisibleAsync();
        await Expect(_page.Locator("#welcome")).ToBeHiddenAsync();
        held.SetResult();
        await Expect(Exchanges).ToHaveCountAsync(1);
        await Expect(_page.Locator("#loading")).ToBeHiddenAsync();
        await _page.UnrouteAllAsync();

        // Offline: a send keeps the message with a Retry, and clicking a conversation says the server can't be reached,
        // in plain words (the old page said "Something went wrong: Failed to fetch").
        await _context.SetOfflineAsync(true);
        await MessageBox.FillAsync("Are you there?");
        await MessageBox.PressAsync("Enter");
        var failed = _page.Locator("#transcript > li.pending.failed");
        await Expect(failed).ToContainTextAsync("can't be reached");
        await Expect(failed.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
        await _page.Locator("#conversation-list button.open", new() { HasText = "Hello from B." }).ClickAsync();
        var offline = _page.Locator("#offline");
        await Expect(offline).ToBeVisibleAsync();
        await Expect(offline).ToContainTextAsync("can't be reached");
        await ScreenshotAsync("offline.png");
        var text = await _page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("Failed to fetch", text);
        Assert.DoesNotContain("message id", text);

        // Back online, Try again opens the conversation that was clicked.
        await _context.SetOfflineAsync(false);
        await offline.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();
        await Expect(offline).ToBeHiddenAsync();
        await Expect(Exchanges.First.Locator("[data-role=user]")).ToContainTextAsync("Hello from B.");
    }

    [Fact]
    public async Task Retry_after_a_lost_reply_keeps_the_client_message_id_and_stores_the_message_once()
    {
        await SignInAsync();
        // The first attempt reaches the server (and is stored) but its answer is lost on the way back; the second fails
        // with the server's "assistant unavailable" problem; the third goes through.
        var keys = new List<string>();
        await _page.RouteAsync("**/messages/stream", async route =>
        {
            lock (keys)
            {
                keys.Add(route.Request.Headers["idempotency-key"]);
            }

            switch (keys.Count)
            {
                case 1:
                    await route.FetchAsync();
                    await route.AbortAsync("connectionreset");
                    break;
                case 2:
                    await route.FulfillAsync(new()
                    {
                        Status = 503, ContentType = "application/problem+json",
                        Body = """{"status":503,"code":"assistant_unavailable","title":"Assistant unavailable","detail":"The assistant could not reply right now; nothing was stored. Retry with the same message id."}""",
                    });
                    break;
                default:
                    await route.ContinueAsync();
                    break;
            }
        });

        await MessageBox.FillAsync("How do tides work?");
        await MessageBox.PressAsync("Enter");
        var failed = _page.Locator("#transcript > li.pending.failed");
        await Expect(failed).ToBeVisibleAsync();
        var id = await CurrentConversationIdAsync();
        await failed.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(failed).ToContainTextAsync("The assistant couldn't reply just now");
        var text = await _page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("message id", text);
        Assert.DoesNotContain("Failed to fetch", text);
        await failed.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(Exchanges).ToHaveCountAsync(1);
        await Expect(_page.Locator("#transcript > li.pending")).ToHaveCountAsync(0);

        Assert.Equal(3, keys.Count);
        Assert.Single(keys.Distinct());
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        Assert.Equal(["How do tides work?"], await StoredUserTextsAsync(sameUser, id));
    }

    [Fact]
    public async Task Stop_cuts_a_pending_reply_and_gives_the_unsent_message_back()
    {
        await SignInAsync();
        await SendAsync("Hello.");
        var id = await CurrentConversationIdAsync();
        var requests = 0;
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _page.RouteAsync("**/messages/stream", async route =>
        {
            Interlocked.Increment(ref requests);
            await released.Task;
            try
            {
                await route.ContinueAsync();
            }
            catch (PlaywrightException)
            {
                // the page aborted the request: nothing reaches the server
            }
        });
        await MessageBox.FillAsync("Write me a very long essay.");
        await MessageBox.PressAsync("Enter");
        var stop = _page.GetByRole(AriaRole.Button, new() { Name = "Stop" });
        await Expect(stop).ToBeVisibleAsync();
        await Expect(_page.Locator("#send")).ToBeHiddenAsync();
        await stop.ClickAsync();
        await Expect(_page.Locator("#transcript > li.pending")).ToHaveCountAsync(0);
        await Expect(MessageBox).ToHaveValueAsync("Write me a very long essay.");
        await Expect(_page.Locator("#send-error")).ToContainTextAsync("Stopped");
        await Expect(_page.Locator("#send")).ToBeEnabledAsync();
        released.SetResult();
        await Task.Delay(500);
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        Assert.Equal(["Hello."], await StoredUserTextsAsync(sameUser, id));
        Assert.Equal(1, requests);
        await Expect(Exchanges).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task After_an_abuse_ending_the_editor_opens_highlighted_on_the_message_before_the_first_redirect()
    {
        await SignInAsync();
        await SendAsync("Can you help me plan a trip?");
        await SendAsync("Which trains go to Edinburgh?");
        await SendAsync("You are a useless piece of shit.");
        await SendAsync("Shut up, you stupid worthless bot.");
        await SendAsync("Fuck you, you idiotic garbage machine.");
        await Expect(Assistant(4)).ToHaveAttributeAsync("data-decision", "end");
        var banner = _page.Locator("#ended-banner");
        await Expect(banner).ToBeFocusedAsync();

        // The banner and the ending reply say different things.
        var replyText = await Assistant(4).Locator(".text").InnerTextAsync();
        foreach (var line in (await banner.InnerTextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Assert.DoesNotContain(line, replyText);
        }

        await banner.GetByRole(AriaRole.Button, new() { Name = "Edit an earlier message" }).ClickAsync();
        var editor = _page.GetByLabel("Edit your message (opens a new branch)");
        await Expect(editor).ToBeFocusedAsync();
        await Expect(editor).ToHaveValueAsync("Which trains go to Edinburgh?");
        var target = Exchanges.Nth(1).Locator("[data-role=user]");
        await Expect(target).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("edit-target"));
        Assert.NotEqual("none", await target.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        await Expect(target).ToBeInViewportAsync();
        await ScreenshotAsync("edit-earlier.png");
        await _page.Keyboard.PressAsync("Escape");
        await _page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync("ended-phone.png");
    }

    [Fact]
    public async Task The_crisis_card_has_call_and_site_links_from_structured_data_and_is_not_repeated_word_for_word()
    {
        await SignInAsync();
        await SendAsync("I'm going to kill myself tonight. I already have the pills ready.");
        await Expect(Assistant(0)).ToHaveAttributeAsync("data-decision", "crisis_support");
        var card = Assistant(0).GetByRole(AriaRole.Region, new() { Name = "Crisis resources" });
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.Locator("a[href='tel:988']")).ToHaveTextAsync("Call 988");
        await Expect(card.Locator("a[href='sms:988']")).ToBeVisibleAsync();
        await Expect(card.Locator("a[href='https://988lifeline.org']")).ToBeVisibleAsync();
        await Expect(card.Locator("a[href='tel:911']")).ToBeVisibleAsync();
        // The resource lines appear once, in the card, not again in the reply's words.
        var replyText = await Assistant(0).InnerTextAsync();
        Assert.Equal(1, CountOf(replyText, "988 Suicide & Crisis Lifeline"));

        // The next support reply keeps the card one click away instead of repeating it.
        await SendAsync("I really want to die.");
        await Expect(Assistant(1)).ToHaveAttributeAsync("data-decision", "crisis_support");
        await Expect(Assistant(1).GetByRole(AriaRole.Region, new() { Name = "Crisis resources" })).ToBeHiddenAsync();
        await Assistant(1).GetByText("Help lines, as above").ClickAsync();
        await Expect(Assistant(1).GetByRole(AriaRole.Region, new() { Name = "Crisis resources" })).ToBeVisibleAsync();
        await Expect(Assistant(1).Locator("a[href='tel:988']")).ToBeVisibleAsync();
        await _page.SetViewportSizeAsync(390, 844);
        await Assistant(0).ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync("crisis-phone.png");

        // The structured resources come with the conversation (the server's configured lines, with their links).
        using var sameUser = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        var conversation = await ApiClient.Json(await sameUser.Http.GetAsync($"api/conversations/{await CurrentConversationIdAsync()}"), System.Net.HttpStatusCode.OK);
        var links = conversation["crisisResources"]!.AsArray().SelectMany(r => r!["links"]!.AsArray()).Select(l => ApiClient.Str(l!["href"])).ToList();
        Assert.Contains("tel:988", links);
        Assert.Contains("https://988lifeline.org", links);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task At_phone_size_the_list_is_a_menu_the_box_stays_at_the_bottom_and_controls_fit()
    {
        await _page.SetViewportSizeAsync(390, 844);
        await SignInAsync();
        var menu = _page.GetByRole(AriaRole.Button, new() { Name = "Conversations" });
        await Expect(menu).ToBeVisibleAsync();
        await Expect(_page.Locator("#sidebar")).ToBeHiddenAsync();
        string[] messages = ["Can you help me plan a trip?", "Which trains go to Edinburgh?", "What is a good museum there?", "And a café nearby?", "Thanks, anything else?"];
        foreach (var m in messages)
        {
            await SendAsync(m);
        }

        // The message box stays at the bottom of the window wherever the transcript is scrolled.
        await _page.EvaluateAsync("window.scrollTo(0, 0)");
        var box = await _page.Locator("#composer").BoundingBoxAsync();
        Assert.True(box!.Y + box.Height >= 844 - 2 && box.Y + box.Height <= 844 + 1, $"composer bottom at {box.Y + box.Height}");

        // A reply's actions fit one row.
        var tops = await Assistant(0).Locator(".reply-actions button").EvaluateAllAsync<double[]>("bs => bs.map(b => Math.round(b.getBoundingClientRect().top))");
        Assert.Equal(4, tops.Length);
        Assert.Single(tops.Distinct());

        // Branch arrows are at least 44 × 44.
        await Exchanges.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Edit message" }).ClickAsync();
        await _page.GetByLabel("Edit your message (opens a new branch)").FillAsync("Which buses go to Edinburgh?");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Save and resubmit" }).ClickAsync();
        await Expect(Exchanges.Nth(1).Locator(".version-count")).ToHaveTextAsync("2/2");
        foreach (var arrow in new[] { "Previous version", "Next version" })
        {
            var b = await Exchanges.Nth(1).GetByRole(AriaRole.Button, new() { Name = arrow }).BoundingBoxAsync();
            Assert.True(b!.Width >= 44 && b.Height >= 44, $"{arrow} is {b.Width}×{b.Height}");
        }

        // The menu opens the list; picking a conversation closes it.
        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(_page.Locator("#sidebar")).ToBeVisibleAsync();
        await ScreenshotAsync("phone-menu.png");
        await _page.Locator("#conversation-list button.open").First.ClickAsync();
        await Expect(_page.Locator("#sidebar")).ToBeHiddenAsync();
        await Expect(Exchanges).ToHaveCountAsync(2);
        await ScreenshotAsync("phone-chat.png");
        var overflow = await _page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                     .map(e => e.tagName + '#' + e.id + '.' + e.className).join(' ')
            """);
        Assert.True(overflow.Length == 0, "the page scrolls sideways at phone width: " + overflow);
        await AssertAccessibleAsync("phone");
    }

    [Fact]
    public async Task A_deep_link_opens_its_conversation_after_sign_in_and_a_new_tab_keeps_the_session()
    {
        await SignInAsync();
        await SendAsync("Tell me about tides.");
        var id = await CurrentConversationIdAsync();

        // A new tab of the same browser: signed in, the conversation opens.
        var tab = await _context.NewPageAsync();
        await tab.GotoAsync(fixture.BaseUrl + "/c/" + id);
        await Expect(tab.Locator("#transcript > li:not(.pending)")).ToHaveCountAsync(1);
        await Expect(tab.Locator("#who-name")).ToHaveTextAsync(_userName);
        await tab.CloseAsync();

        // Another browser (no session): sign in first, then the linked conversation opens.
        var browser = await fixture.BrowserAsync();
        await using var other = await browser.NewContextAsync(new() { Locale = "en-US" });
        var page = await other.NewPageAsync();
        await page.GotoAsync(fixture.BaseUrl + "/c/" + id);
        await page.GetByLabel("User name").FillAsync(_userName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.Locator("#transcript > li:not(.pending)")).ToHaveCountAsync(1);
        await Expect(page.Locator("#transcript")).ToContainTextAsync("Tell me about tides.");
        await Expect(page).ToHaveTitleAsync("Tell me about tides. – Parley chat");
    }

    [Fact]
    public async Task The_first_visit_says_what_the_assistant_is_and_links_to_the_help_on_endings()
    {
        await SignInAsync();
        var welcome = _page.Locator("#welcome");
        await Expect(welcome).ToBeVisibleAsync();
        await Expect(welcome).ToContainTextAsync("an AI assistant");
        await Expect(_page.Locator("#welcome-ending")).ToContainTextAsync("may end a conversation");
        await ScreenshotAsync("empty.png");
        await AssertAccessibleAsync("empty");
        await _page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync("empty-phone.png");

        await _page.Locator("#welcome-ending").GetByRole(AriaRole.Link, new() { Name = "how endings work" }).ClickAsync();
        await Expect(_page).ToHaveURLAsync(fixture.BaseUrl + "/help");
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("When Parley may end a conversation, and what you can do then");
        await Expect(_page.Locator("main")).ToContainTextAsync("Edit an earlier message");
        await AssertAccessibleAsync("help");
    }

    [Fact]
    public async Task Hovering_a_message_shows_when_it_was_sent()
    {
        await SignInAsync();
        await SendAsync("What is a haiku?");
        var stamp = Exchanges.First.Locator("[data-role=user] time.stamp");
        await Expect(stamp).ToHaveCSSAsync("opacity", "0");
        await Exchanges.First.Locator("[data-role=user]").HoverAsync();
        await Expect(stamp).ToHaveCSSAsync("opacity", "1");
        await Expect(stamp).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Expect(stamp).ToHaveAttributeAsync("datetime", new System.Text.RegularExpressions.Regex("^\\d{4}-"));
    }

    [Fact]
    public async Task A_thousand_turn_transcript_renders_incrementally_and_a_send_does_not_refetch_it()
    {
        // 1,000 exchanges through the real grains (the same classifier and policy as over HTTP).
        using var owner = await ApiClient.SignInAsync(fixture.BaseUrl, _userName);
        var id = await owner.CreateConversationAsync();
        var grain = fixture.Cluster.Client.GetGrain<IConversationGrain>(id);
        for (var i = 0; i < 1000; i++)
        {
            await grain.SendAsync(owner.UserId, $"m{i}", $"Question {i}: what is {i} plus {i}?");
        }

        var turnReads = 0;
        _page.Request += (_, r) => { if (r.Url.Contains("/turns", StringComparison.Ordinal)) Interlocked.Increment(ref turnReads); };
        await SignInAsync();
        var clock = Stopwatch.StartNew();
        await _page.GotoAsync(fixture.BaseUrl + "/c/" + id);
        await Expect(Exchanges).ToHaveCountAsync(50);
        var shown = clock.ElapsedMilliseconds;
        await Expect(Exchanges.Last).ToContainTextAsync("Question 999");
        await Expect(Exchanges.Last).ToBeInViewportAsync();

        // Scrolling up loads earlier pages, keeping frames short.
        // Frame times while scrolling up 48,000 px (earlier pages load and render on the way), then, as the baseline of
        // this machine at this moment (it is shared), while scrolling the same distance back down over what is loaded.
        const string scroll = """
            async (step) => {
              const frames = []; let last = performance.now(), running = true;
              const tick = (t) => { frames.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
              requestAnimationFrame(tick);
              for (let i = 0; i < 120; i++) { window.scrollBy(0, step); await new Promise(r => requestAnimationFrame(r)); }
              running = false;
              return frames;
            }
            """;
        static double P95(double[] frames) => frames.Order().ElementAt((int)(frames.Length * 0.95));
        var loading = await _page.EvaluateAsync<double[]>(scroll, -400);
        var baseline = await _page.EvaluateAsync<double[]>(scroll, 400);
        var (p95, longest, baseP95) = (P95(loading), loading.Max(), P95(baseline));
        await Expect(Exchanges).Not.ToHaveCountAsync(50);
        var loaded = await Exchanges.CountAsync();

        // A send appends its exchange without reading the transcript again.
        await _page.EvaluateAsync("window.scrollTo(0, document.scrollingElement.scrollHeight)");
        var before = Volatile.Read(ref turnReads);
        await SendAsync("One more question.");
        await Expect(Exchanges.Last).ToContainTextAsync("One more question.");
        Assert.Equal(before, Volatile.Read(ref turnReads));

        // Page load on localhost (navigation start to the load event, page and module scripts).
        var load = await _page.EvaluateAsync<double>("""
            async () => { await new Promise(r => setTimeout(r, 0)); const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }
            """);
        await _page.GotoAsync(fixture.BaseUrl + "/");
        var reload = await _page.EvaluateAsync<double>("""
            async () => { await new Promise(r => setTimeout(r, 50)); const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }
            """);
        var report = $"1,000-turn transcript: first 50 exchanges shown after {shown} ms; frames while scrolling up 48,000 px and loading: 95th percentile {p95:F0} ms, longest {longest:F0} ms; " +
                     $"scrolling back down over loaded turns: 95th percentile {baseP95:F0} ms; " +
                     $"({loaded} exchanges loaded by then); page load (navigation to load event): {load:F0} ms with the transcript, {reload:F0} ms empty";
        Directory.CreateDirectory(ScreenshotDirectory);
        // The timings are a measurement (docs/web-chat.md), not a pass mark: on a shared machine they are noise for a test.
        await File.WriteAllTextAsync(Path.Combine(ScreenshotDirectory, "performance.txt"), report + "\n");
    }
}
