using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parley.Abstractions;
using static Parley.Api.Tests.ApiClient;

namespace Parley.Api.Tests;

/// <summary>
/// Safe defaults (issue 9), each against real Kestrel in front of the two-silo cluster: sign-in only in Development,
/// rate limits before and after authentication, security headers, input edges, problem details for every error, and
/// classifier evidence for operators only.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "cluster")]
public sealed class SecurityTests(ApiFixture fixture)
{
    private string Url => fixture.BaseUrl;

    private static Dictionary<string, string?> With(params (string Key, string? Value)[] changes)
    {
        var settings = ApiFixture.ApiSettings();
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string Token(IEnumerable<Claim> claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "parley",
        Audience = "parley-api",
        Subject = new ClaimsIdentity(claims),
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ApiFixture.SigningKey)), SecurityAlgorithms.HmacSha256),
    });

    // ---- 1. sign-in ----

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Dev_sign_in_outside_Development_refuses_to_start(string environment)
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.StartApiAsync(ApiFixture.ApiSettings(), environment: environment));
        Assert.Contains("Parley:Auth:DevSignIn", ex.Message);
        Assert.Contains(environment, ex.Message);
    }

    [Fact]
    public async Task Outside_Development_a_missing_signing_key_refuses_to_start_instead_of_a_random_key()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.StartApiAsync(
            With(("Parley:Auth:DevSignIn", "false"), ("Parley:Auth:SigningKey", "")), environment: "Production"));
        Assert.Contains("Parley:Auth:SigningKey is not set", ex.Message);
    }

    [Fact]
    public async Task The_unsafe_override_runs_the_dev_sign_in_but_never_grants_the_operator_role()
    {
        var url = await fixture.StartApiAsync(With(("Parley:Auth:UnsafeAllowDevSignInOutsideDevelopment", "true")), environment: "Production");
        using var anonymous = new ApiClient(url);
        await Problem(await anonymous.Http.PostAsJsonAsync("api/dev/sign-in", new { userName = "admin", @operator = true }),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        using var plain = await SignInAsync(url, "someone");
        var me = await Json(await plain.Http.GetAsync("api/me"), HttpStatusCode.OK);
        Assert.Empty(me["roles"]!.AsArray());
        await Problem(await plain.Http.GetAsync("api/operator/endings"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Operator_role_comes_from_the_configured_claim_of_the_identity_providers_token()
    {
        var url = await fixture.StartApiAsync(With(("Parley:Auth:DevSignIn", "false"),
            ("Parley:Auth:RoleClaim", "groups"), ("Parley:Auth:OperatorRole", "parley-ops")), environment: "Production");

        using var fromIdp = new ApiClient(url, Token([new("sub", "ops-1"), new("groups", "staff"), new("groups", "parley-ops")]));
        await Json(await fromIdp.Http.GetAsync("api/operator/endings"), HttpStatusCode.OK);

        // The default claim name, or Parley's internal marker claim put into the token, grant nothing.
        using var wrongClaim = new ApiClient(url, Token([new("sub", "u-1"), new("role", "parley-ops"), new("role", "operator")]));
        await Problem(await wrongClaim.Http.GetAsync("api/operator/endings"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        using var forged = new ApiClient(url, Token([new("sub", "u-2"), new("parley:operator", "true")]));
        await Problem(await forged.Http.GetAsync("api/operator/endings"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        // And the dev sign-in is off there.
        await Problem(await fromIdp.Http.PostAsJsonAsync("api/dev/sign-in", new { userName = "x" }), HttpStatusCode.NotFound, ApiErrorCodes.NotFound);
    }

    // ---- 2. rate limits ----

    [Fact]
    public async Task Unauthenticated_flood_gets_429_with_a_truthful_Retry_After()
    {
        var url = await fixture.StartApiAsync(With(("Parley:Api:AddressRateLimitPermits", "10"), ("Parley:Api:RateLimitWindow", "00:00:20")));
        using var attacker = new ApiClient(url, "not-a-valid-token");

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 30 && limited is null; i++)
        {
            var response = await attacker.Http.GetAsync("api/conversations");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }

        Assert.NotNull(limited);
        await Problem(limited, HttpStatusCode.TooManyRequests, ApiErrorCodes.RateLimited);
        var retryAfter = limited.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");

        // 10 per 20 s comes back at one every 2 s: Retry-After says so (not the whole window), and it is not early.
        Assert.InRange(retryAfter.TotalSeconds, 1, 5);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.Http.GetAsync("api/conversations")).StatusCode);
        await Task.Delay(retryAfter);
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.Http.GetAsync("api/conversations")).StatusCode);
    }

    [Fact]
    public async Task Forwarded_client_addresses_count_only_through_a_trusted_proxy()
    {
        static async Task<HttpStatusCode> GetAsync(ApiClient client, string forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/me");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            return (await client.Http.SendAsync(request)).StatusCode;
        }

        var limits = new[] { ("Parley:Api:AddressRateLimitPermits", (string?)"2"), ("Parley:Api:RateLimitWindow", (string?)"00:10:00") };

        // Behind a trusted proxy (loopback here) each forwarded client has its own allowance.
        var proxied = await fixture.StartApiAsync(With([.. limits, ("Parley:Api:TrustedProxies:0", "127.0.0.1")]));
        using var viaProxy = new ApiClient(proxied);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(viaProxy, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(viaProxy, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(viaProxy, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(viaProxy, "203.0.113.2"));

        // Without one the header is ignored: inventing addresses does not buy more requests.
        var direct = await fixture.StartApiAsync(With(limits));
        using var spoofer = new ApiClient(direct);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(spoofer, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(spoofer, "198.51.100.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(spoofer, "198.51.100.3"));
    }

    // ---- 3. headers ----

    [Theory]
    [InlineData("")]
    [InlineData("api/docs")]
    [InlineData("assets/app.js")]
    [InlineData("assets/app.css")]
    [InlineData("api/me")]
    [InlineData("api/no-such-route")]
    public async Task Security_headers_are_on_pages_assets_api_and_errors(string path)
    {
        using var anonymous = new ApiClient(Url);
        var response = await anonymous.Http.GetAsync(path);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("api/docs")]
    public async Task Pages_have_no_inline_script_or_style(string path)
    {
        using var anonymous = new ApiClient(Url);
        var html = await anonymous.Http.GetStringAsync(path);
        Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>", html);
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotMatch(@"\son[a-z]+=", html);
    }

    [Fact]
    public async Task Hsts_is_sent_on_https_outside_Development_only()
    {
        static async Task<HttpResponseMessage> OverHttpsAsync(string url)
        {
            using var client = new ApiClient(url);
            using var request = new HttpRequestMessage(HttpMethod.Get, "");
            request.Headers.Host = "parley.example";
            request.Headers.Add("X-Forwarded-Proto", "https"); // TLS terminated at a trusted proxy
            return await client.Http.SendAsync(request);
        }

        var proxy = ("Parley:Api:TrustedProxies:0", (string?)"127.0.0.1");
        var production = await fixture.StartApiAsync(With(("Parley:Auth:DevSignIn", "false"), proxy), environment: "Production");
        var hsts = (await OverHttpsAsync(production)).Headers.GetValues("Strict-Transport-Security").Single();
        Assert.Contains("max-age=31536000", hsts);

        var development = await fixture.StartApiAsync(With(proxy));
        Assert.False((await OverHttpsAsync(development)).Headers.Contains("Strict-Transport-Security"));
    }

    // ---- 4. input edges ----

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u200C\u200D\u2060\uFEFF")]
    [InlineData(" \u200B \n\t\u00AD ")]
    [InlineData("\u0000\u0007")]
    public async Task A_message_with_nothing_visible_is_message_empty(string text)
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        await Problem(await user.SendRawAsync(id, text), HttpStatusCode.BadRequest, ErrorCodes.MessageEmpty);
    }

    [Fact]
    public async Task Control_characters_other_than_newline_and_tab_are_removed()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        var result = await user.SendAsync(id, "Hello\u0000 there\u0007\u001b[2J,\r\nsecond\tline\u007f\u0085.");
        const string expected = "Hello there[2J,\nsecond\tline\n."; // CR LF and NEL are line endings: they become \n
        Assert.Equal(expected, Str(result["turn"]!["userText"]));
        var page = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        Assert.Equal(expected, Str(page["turns"]![0]!["userText"]));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("en_GB")]
    [InlineData("en-GB;drop")]
    [InlineData("e")]
    [InlineData("en-\u212Aelvin")]
    [InlineData("abcdefghi")]
    public async Task A_locale_that_is_not_a_BCP_47_tag_is_refused(string locale)
    {
        using var user = await SignInAsync(Url);
        await Problem(await user.Http.PostAsJsonAsync("api/conversations", new { locale }), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }

    [Fact]
    public async Task A_huge_locale_is_refused_and_a_valid_one_is_kept()
    {
        using var user = await SignInAsync(Url);
        await Problem(await user.Http.PostAsJsonAsync("api/conversations", new { locale = "en-" + string.Join("-", Enumerable.Repeat("abcdefgh", 6000)) }),
            HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        await Problem(await user.Http.PostAsJsonAsync("api/conversations", new { locale = new string('a', 3) + string.Concat(Enumerable.Repeat("-abcde", 6)) }),
            HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest); // well-formed but longer than InputRules.MaxLocaleLength

        var created = await Json(await user.Http.PostAsJsonAsync("api/conversations", new { locale = "zh-Hant-TW" }), HttpStatusCode.Created);
        Assert.Equal("zh-Hant-TW", Str(created["status"]!["locale"]));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"branchId\":\"1\"}")]
    [InlineData("{\"branchId\":null}")]
    [InlineData("{\"branchId\":1.5}")]
    [InlineData("{\"branchId\":0,\"branchId\":1}")]
    public async Task Switching_branch_needs_a_numeric_branch_id(string body)
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        await user.SendAsync(id, "First message.");
        var response = await user.Http.PutAsync($"api/conversations/{id}/current-branch", new StringContent(body, Encoding.UTF8, "application/json"));
        await Problem(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }

    [Fact]
    public async Task A_title_given_at_creation_is_kept_after_the_first_message()
    {
        using var user = await SignInAsync(Url);
        var created = await Json(await user.Http.PostAsJsonAsync("api/conversations", new { title = "  Trip\nplanning\u0000 " }), HttpStatusCode.Created);
        var id = Str(created["id"]);
        Assert.Equal("Trip planning", Str(created["title"]));
        await user.SendAsync(id, "Where should I go in June?");
        var list = await Json(await user.Http.GetAsync("api/conversations"), HttpStatusCode.OK);
        Assert.Equal("Trip planning", Str(list.AsArray().Single(c => Str(c!["conversationId"]) == id)!["title"]));

        await Problem(await user.Http.PostAsJsonAsync("api/conversations", new { title = new string('t', InputRules.MaxTitleLength + 1) }),
            HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
    }

    [Fact]
    public async Task The_message_limit_is_one_value_for_the_api_and_the_web_page()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        await user.SendAsync(id, new string('a', InputRules.MaxMessageLength));
        await Problem(await user.SendRawAsync(id, new string('a', InputRules.MaxMessageLength + 1)), HttpStatusCode.BadRequest, ErrorCodes.MessageTooLong);
        await Problem(await user.Http.PostAsJsonAsync($"api/conversations/{id}/feedback", new { text = new string('f', InputRules.MaxFeedbackLength + 1) }),
            HttpStatusCode.BadRequest, ErrorCodes.MessageTooLong);

        var page = await user.Http.GetStringAsync("");
        Assert.Contains($"id=\"message\" rows=\"2\" maxlength=\"{InputRules.MaxMessageLength}\"", page);
        Assert.Contains($"maxlength=\"{InputRules.MaxFeedbackLength}\"", page);
        Assert.DoesNotContain("{{", page);
    }

    // ---- 5. every error is a problem ----

    [Fact]
    public async Task Over_long_ids_oversized_headers_and_bad_idempotency_keys_are_problems()
    {
        using var user = await SignInAsync(Url);
        var problem = await Problem(await user.Http.GetAsync("api/conversations/" + new string('a', 10_000)), HttpStatusCode.RequestUriTooLong, ApiErrorCodes.UriTooLong);
        Assert.Null(problem["instance"]); // the oversized path is not echoed back

        using (var request = new HttpRequestMessage(HttpMethod.Get, "api/me"))
        {
            request.Headers.Add("X-Padding", new string('p', 40_000));
            await Problem(await user.Http.SendAsync(request), HttpStatusCode.RequestHeaderFieldsTooLarge, ApiErrorCodes.HeadersTooLarge);
        }

        // A non-ASCII Idempotency-Key reaches the application and is refused there as a shape error.
        using var utf8 = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = user.Http.BaseAddress };
        utf8.DefaultRequestHeaders.Authorization = user.Http.DefaultRequestHeaders.Authorization;
        var id = await user.CreateConversationAsync();
        using (var send = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages") { Content = JsonContent.Create(new { text = "hi" }) })
        {
            send.Headers.TryAddWithoutValidation("Idempotency-Key", "clé-ünïcode");
            await Problem(await utf8.SendAsync(send), HttpStatusCode.BadRequest, ErrorCodes.InvalidRequest);
        }

        await Problem(await user.Http.DeleteAsync("api/me"), HttpStatusCode.MethodNotAllowed, ApiErrorCodes.MethodNotAllowed);
        await Problem(await user.Http.GetAsync("nothing/here"), HttpStatusCode.NotFound, ApiErrorCodes.NotFound);
        await Problem(await user.Http.GetAsync("assets/nope.js"), HttpStatusCode.NotFound, ApiErrorCodes.NotFound);
    }

    // ---- 6. evidence for operators only ----

    [Fact]
    public async Task A_users_transcript_has_no_classifier_scores_and_an_operators_has_them()
    {
        using var user = await SignInAsync(Url);
        var id = await user.CreateConversationAsync();
        await user.SendAllAsync(id, "Hi there.", "You are a useless piece of shit.", "Shut up, you stupid worthless bot.");
        var ended = await user.SendAsync(id, "Fuck you, you idiotic garbage machine.");
        Assert.Equal("end", Str(ended["turn"]!["decision"]));
        Assert.Equal("persistent_abuse", Str(ended["turn"]!["endReason"]));

        static void NoEvidence(JsonNode node) =>
            Assert.DoesNotMatch("(?i)\"(evidence|scores|policyVersion|classifierVersion|imminentRisk|target)\"", node.ToJsonString());

        NoEvidence(ended);
        var transcript = await Json(await user.Http.GetAsync($"api/conversations/{id}/turns"), HttpStatusCode.OK);
        NoEvidence(transcript);
        Assert.Equal("redirect", Str(transcript["turns"]![1]!["decision"]));
        Assert.False(string.IsNullOrEmpty(Str(transcript["turns"]![1]!["reply"])));
        NoEvidence(await Json(await user.Http.GetAsync($"api/conversations/{id}"), HttpStatusCode.OK));
        var branches = await Json(await user.Http.GetAsync($"api/conversations/{id}/branches"), HttpStatusCode.OK);
        NoEvidence(branches);
        Assert.Equal("persistent_abuse", Str(branches[0]!["end"]!["reason"]));
        NoEvidence(await Json(await user.Http.PutAsJsonAsync($"api/conversations/{id}/turns/0.1/rating", new { rating = "down" }), HttpStatusCode.OK));

        // An operator reading their own conversation sees the evidence.
        using var op = await SignInAsync(Url, "op-" + Guid.NewGuid().ToString("N")[..8], @operator: true);
        var opConversation = await op.CreateConversationAsync();
        var opResult = await op.SendAsync(opConversation, "You are a useless piece of shit.");
        Assert.True(opResult["turn"]!["evidence"]!["scores"]!.AsObject().Count > 0);
        Assert.False(string.IsNullOrEmpty(Str(opResult["turn"]!["policyVersion"])));
    }

    // ---- 7. metrics and OpenAPI are settings ----

    [Fact]
    public async Task OpenApi_and_metrics_need_sign_in_unless_made_public()
    {
        static void Metrics(WebApplication app) => app.MapGet("/metrics", () => "parley_decisions 1").RequireOperatorUnlessPublicMetrics(app.Services);

        var closed = await fixture.StartApiAsync(ApiFixture.ApiSettings(), Metrics);
        using var anonymous = new ApiClient(closed);
        await Problem(await anonymous.Http.GetAsync("openapi/v1.json"), HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthorized);
        await Problem(await anonymous.Http.GetAsync("metrics"), HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthorized);
        using var user = await SignInAsync(closed);
        await Json(await user.Http.GetAsync("openapi/v1.json"), HttpStatusCode.OK);
        await Problem(await user.Http.GetAsync("metrics"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        using var op = await SignInAsync(closed, "ops", @operator: true);
        Assert.Equal(HttpStatusCode.OK, (await op.Http.GetAsync("metrics")).StatusCode);

        var open = await fixture.StartApiAsync(With(("Parley:Api:PublicMetrics", "true"), ("Parley:Api:PublicOpenApi", "true")), Metrics);
        using var anyone = new ApiClient(open);
        Assert.Equal(HttpStatusCode.OK, (await anyone.Http.GetAsync("openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anyone.Http.GetAsync("metrics")).StatusCode);
    }
}
