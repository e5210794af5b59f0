using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Api.Tests;

/// <summary>A thin HTTP client for one signed-in user.</summary>
public sealed class ApiClient : IDisposable
{
    private int _sent;

    public ApiClient(string baseUrl, string? token = null)
    {
        Http = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
        if (token is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public HttpClient Http { get; }

    public string UserId { get; private set; } = "";

    public static async Task<ApiClient> SignInAsync(string baseUrl, string? userName = null, bool @operator = false)
    {
        using var anonymous = new ApiClient(baseUrl);
        var name = userName ?? "u-" + Guid.NewGuid().ToString("N")[..10];
        var response = await anonymous.Http.PostAsJsonAsync("api/dev/sign-in", new { userName = name, @operator });
        var body = await Json(response, HttpStatusCode.OK);
        return new ApiClient(baseUrl, body["token"]!.GetValue<string>()) { UserId = body["userId"]!.GetValue<string>() };
    }

    public async Task<string> CreateConversationAsync(string? locale = null)
    {
        var body = await Json(await Http.PostAsJsonAsync("api/conversations", new { locale }), HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    public Task<HttpResponseMessage> SendRawAsync(string id, string text, string? messageId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{id}/messages") { Content = JsonContent.Create(new { text }) };
        request.Headers.Add("Idempotency-Key", messageId ?? $"m-{Interlocked.Increment(ref _sent)}-{Guid.NewGuid():N}");
        return Http.SendAsync(request);
    }

    public async Task<JsonNode> SendAsync(string id, string text, string? messageId = null) =>
        await Json(await SendRawAsync(id, text, messageId), HttpStatusCode.OK);

    public async Task<string> DecisionOfAsync(string id, string text) => (await SendAsync(id, text))["turn"]!["decision"]!.GetValue<string>();

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, string contentType = "application/json") =>
        Http.PostAsync(path, new StringContent(json, Encoding.UTF8, contentType));

    public static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    /// <summary>Asserts a problem-details response with the status and stable code, and returns it.</summary>
    public static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(code, problem["code"]?.GetValue<string>());
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.Equal("urn:parley:error:" + code, problem["type"]!.GetValue<string>());
        return problem;
    }

    public static string Str(JsonNode? node) => node?.GetValue<string>() ?? "";

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

    public void Dispose() => Http.Dispose();
}
