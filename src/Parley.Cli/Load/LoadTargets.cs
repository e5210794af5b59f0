using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parley.Abstractions;

namespace Parley.Cli.Load;

/// <summary>A user turn as the load generator sees it: its id (<c>"branch.depth"</c>) and decision name.</summary>
public sealed record LoadTurn(string TurnId, string Decision);

/// <summary>A stored user turn read back for verification.</summary>
public sealed record StoredTurn(string TurnId, string ClientMessageId);

/// <summary>Where the synthetic users' conversations go: the grains (in-process or through the grain client) or the HTTP API.</summary>
public interface ILoadTarget
{
    string Transport { get; }

    /// <summary>Starts a conversation; <paramref name="key"/> is the id to use where the transport lets the caller choose it.
    /// Returns the conversation's id.</summary>
    Task<string> StartAsync(string key, string userId);

    /// <summary>Sends a message; a send on an ended branch throws <see cref="ConversationEndedException"/>.</summary>
    Task<LoadTurn> SendAsync(string conversationId, string userId, string clientMessageId, string text);

    Task<LoadTurn> EditAsync(string conversationId, string userId, string turnId, string clientMessageId, string text);

    Task RateAsync(string conversationId, string userId, string turnId, bool up);

    Task FeedbackAsync(string conversationId, string userId, string text);

    /// <summary>Every stored user turn of every branch (turns a branch shares with its parent appear once).</summary>
    Task<IReadOnlyList<StoredTurn>> ReadAllTurnsAsync(string conversationId, string userId);
}

/// <summary>The grains, through an in-process silo or the grain client.</summary>
public sealed class GrainLoadTarget(IGrainFactory grains, string transport) : ILoadTarget
{
    public string Transport => transport;

    public async Task<string> StartAsync(string key, string userId)
    {
        await grains.GetGrain<IConversationGrain>(key).StartAsync(userId);
        return key;
    }

    public async Task<LoadTurn> SendAsync(string conversationId, string userId, string clientMessageId, string text) =>
        Of(await grains.GetGrain<IConversationGrain>(conversationId).SendAsync(userId, clientMessageId, text));

    public async Task<LoadTurn> EditAsync(string conversationId, string userId, string turnId, string clientMessageId, string text) =>
        Of(await grains.GetGrain<IConversationGrain>(conversationId).EditAsync(userId, Parse(turnId), clientMessageId, text));

    public Task RateAsync(string conversationId, string userId, string turnId, bool up) =>
        grains.GetGrain<IConversationGrain>(conversationId).RateAsync(userId, Parse(turnId), up ? Rating.Up : Rating.Down);

    public Task FeedbackAsync(string conversationId, string userId, string text) =>
        grains.GetGrain<IConversationGrain>(conversationId).LeaveFeedbackAsync(userId, null, text);

    public async Task<IReadOnlyList<StoredTurn>> ReadAllTurnsAsync(string conversationId, string userId)
    {
        var conversation = grains.GetGrain<IConversationGrain>(conversationId);
        var turns = new Dictionary<string, StoredTurn>();
        foreach (var branch in await conversation.GetBranchesAsync(userId))
        {
            for (var skip = 0; ; skip += 100)
            {
                var page = await conversation.GetTranscriptAsync(userId, branch.Id, skip, 100);
                foreach (var t in page.Turns)
                {
                    turns.TryAdd(t.Id.ToString(), new StoredTurn(t.Id.ToString(), t.ClientMessageId));
                }

                if (skip + page.Turns.Count >= page.Total || page.Turns.Count == 0)
                {
                    break;
                }
            }
        }

        return [.. turns.Values];
    }

    private static LoadTurn Of(SendResult result) => new(result.Turn.Id.ToString(), result.Turn.Decision.Name());

    private static TurnId Parse(string id) => TurnId.TryParse(id, out var t) ? t : throw new ArgumentException($"bad turn id '{id}'", nameof(id));
}

/// <summary>An HTTP error answer of the API: its status and problem <c>code</c>. 5xx, 408 and 429 are transient.</summary>
public sealed class HttpLoadException(HttpStatusCode status, string code, string detail)
    : Exception($"{(int)status} {code}: {detail}")
{
    public HttpStatusCode Status => status;
    public string Code => $"http {(int)status} {code}";
    public bool IsTransient => (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}

/// <summary>
/// The HTTP API of one or more front ends or silos, requests spread round-robin over the base URLs. Each
/// synthetic user gets a bearer token signed with <c>Parley:Auth:SigningKey</c> (issuer and audience from
/// <c>Parley:Auth</c>), as a front end's identity provider would issue it.
/// </summary>
public sealed class HttpLoadTarget : ILoadTarget, IDisposable
{
    private readonly IReadOnlyList<Uri> _urls;
    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _tokens = [];
    private readonly SigningCredentials _credentials;
    private readonly string _issuer, _audience;
    private long _next;

    public HttpLoadTarget(IReadOnlyList<Uri> baseUrls, IConfiguration configuration)
    {
        _urls = baseUrls.Count > 0 ? baseUrls : throw new InputException("--http needs at least one URL.");
        var key = configuration["Parley:Auth:SigningKey"];
        if (string.IsNullOrEmpty(key) || Encoding.UTF8.GetByteCount(key) < 32)
        {
            throw new InputException("--http needs Parley:Auth:SigningKey (Parley__Auth__SigningKey, the key the API validates tokens with, at least 32 bytes).");
        }

        _credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
        _issuer = configuration["Parley:Auth:Issuer"] ?? "parley";
        _audience = configuration["Parley:Auth:Audience"] ?? "parley-api";
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public string Transport => $"HTTP ({string.Join(", ", _urls)})";

    public async Task<string> StartAsync(string key, string userId)
    {
        var body = await SendAsync(HttpMethod.Post, "api/conversations", userId, new { title = key });
        return body!["id"]!.GetValue<string>();
    }

    public async Task<LoadTurn> SendAsync(string conversationId, string userId, string clientMessageId, string text) =>
        Of(await SendAsync(HttpMethod.Post, $"api/conversations/{conversationId}/messages", userId, new { text, clientMessageId }));

    public async Task<LoadTurn> EditAsync(string conversationId, string userId, string turnId, string clientMessageId, string text) =>
        Of(await SendAsync(HttpMethod.Post, $"api/conversations/{conversationId}/turns/{turnId}/edit", userId, new { text, clientMessageId }));

    public Task RateAsync(string conversationId, string userId, string turnId, bool up) =>
        SendAsync(HttpMethod.Put, $"api/conversations/{conversationId}/turns/{turnId}/rating", userId, new { rating = up ? "up" : "down" });

    public Task FeedbackAsync(string conversationId, string userId, string text) =>
        SendAsync(HttpMethod.Post, $"api/conversations/{conversationId}/feedback", userId, new { text });

    public async Task<IReadOnlyList<StoredTurn>> ReadAllTurnsAsync(string conversationId, string userId)
    {
        var turns = new Dictionary<string, StoredTurn>();
        var branches = (await SendAsync(HttpMethod.Get, $"api/conversations/{conversationId}/branches", userId, null))!.AsArray();
        foreach (var branch in branches)
        {
            var id = branch!["id"]!.GetValue<int>();
            for (var skip = 0; ; skip += 100)
            {
                var page = (await SendAsync(HttpMethod.Get, $"api/conversations/{conversationId}/turns?branch={id}&skip={skip}&take=100", userId, null))!;
                var list = page["turns"]!.AsArray();
                foreach (var t in list)
                {
                    var turnId = t!["id"]!.GetValue<string>();
                    turns.TryAdd(turnId, new StoredTurn(turnId, t["clientMessageId"]!.GetValue<string>()));
                }

                if (skip + list.Count >= page["total"]!.GetValue<int>() || list.Count == 0)
                {
                    break;
                }
            }
        }

        return [.. turns.Values];
    }

    public void Dispose() => _http.Dispose();

    private static LoadTurn Of(JsonNode? body) => new(body!["turn"]!["id"]!.GetValue<string>(), body["turn"]!["decision"]!.GetValue<string>());

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, string userId, object? body)
    {
        var url = _urls[(int)(Interlocked.Increment(ref _next) % _urls.Count)];
        using var request = new HttpRequestMessage(method, new Uri(url, path));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(userId));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? null : JsonNode.Parse(text);
        if (response.IsSuccessStatusCode)
        {
            return json;
        }

        var code = json?["code"]?.GetValue<string>() ?? "";
        if (code == ErrorCodes.ConversationEnded)
        {
            throw new ConversationEndedException();
        }

        throw new HttpLoadException(response.StatusCode, code, json?["detail"]?.GetValue<string>() ?? text);
    }

    private string Token(string userId)
    {
        lock (_tokens)
        {
            if (_tokens.TryGetValue(userId, out var token))
            {
                return token;
            }

            token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = _issuer,
                Audience = _audience,
                Subject = new ClaimsIdentity([new Claim("sub", userId), new Claim("name", userId)]),
                Expires = DateTime.UtcNow.AddHours(12),
                SigningCredentials = _credentials,
            });
            _tokens[userId] = token;
            return token;
        }
    }
}
