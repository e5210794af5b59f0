using System.Security.Claims;
using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Abstractions;

namespace Parley.Api;

/// <summary>Registration of the HTTP API and the web chat on an ASP.NET Core host that has an <see cref="IGrainFactory"/> (silo or client).</summary>
public static partial class ParleyApi
{
    /// <summary>The rate limiter policy applied to every <c>/api</c> endpoint: a fixed window per user (per IP when anonymous).</summary>
    public const string RateLimitPolicy = "parley-per-user";

    /// <summary>Adds authentication, authorization, rate limiting, problem details, JSON settings and OpenAPI.</summary>
    public static IServiceCollection AddParleyApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ParleyApiOptions>().Bind(configuration.GetSection(ParleyApiOptions.Section));
        services.AddOptions<ParleyAuthOptions>().Bind(configuration.GetSection(ParleyAuthOptions.Section));
        services.AddSingleton<ParleyTokens>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<ParleyTokens>((o, tokens) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = tokens.ValidationParameters;
        });
        services.AddAuthorizationBuilder().AddPolicy(ParleyClaims.OperatorPolicy, p => p.RequireRole(ParleyClaims.OperatorRole));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, _) =>
            {
                var window = ctx.HttpContext.RequestServices.GetRequiredService<IOptions<ParleyApiOptions>>().Value.RateLimitWindow;
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window;
                await Problems.WriteAsync(ctx.HttpContext, Problems.Create(ApiErrorCodes.RateLimited, "Too many requests; slow down and retry later."),
                    r => r.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            };
            o.AddPolicy(RateLimitPolicy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<ParleyApiOptions>>().Value;
                var key = http.User.FindFirstValue(ParleyClaims.UserId) is { } user ? "user:" + user : "ip:" + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.RateLimitPermits,
                    Window = limits.RateLimitWindow,
                    QueueLimit = 0,
                });
            });
        });

        ProblemDetailsSetup.Add(services);
        services.ConfigureHttpJsonOptions(o => ParleyJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Parley HTTP API";
            doc.Info.Description = "Conversations in which the assistant may end a conversation as a last resort. Authenticate with a JWT bearer token.";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Adds the middleware: problem details for errors, body limits, status-code problems, auth and the rate limiter.</summary>
    public static WebApplication UseParleyApi(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<ParleyTokens>(); // fail at startup, not on the first request, when auth is misconfigured
        app.UseMiddleware<ParleyErrorMiddleware>();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Maps the API under <c>/api</c>, the OpenAPI document (<c>/openapi/v1.json</c>), its page (<c>/api/docs</c>) and the web chat (<c>/</c>).</summary>
    public static IEndpointRouteBuilder MapParleyApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi();
        WebAssets.Map(endpoints);

        var api = endpoints.MapGroup("/api").RequireRateLimiting(RateLimitPolicy);
        api.MapPost("/dev/sign-in", DevSignIn).AllowAnonymous().WithTags("auth")
            .WithSummary("DEVELOPMENT ONLY: issue a token for a user name (enabled by Parley:Auth:DevSignIn).");

        var user = api.MapGroup("").RequireAuthorization();
        user.MapGet("/me", (ClaimsPrincipal p) => new MeResponse(UserIdOf(p), p.FindAll(ParleyClaims.Role).Select(c => c.Value).ToList()))
            .WithTags("auth").WithSummary("The signed-in user.");

        var c = user.MapGroup("/conversations").WithTags("conversations");
        c.MapPost("", CreateConversation).WithSummary("Create a conversation.");
        c.MapGet("", ListConversations).WithSummary("List my conversations, newest first.");
        c.MapGet("/{id}", GetConversation).WithSummary("A conversation's status.");
        c.MapPost("/{id}/messages", SendMessage).WithSummary("Send a message (client message id in Idempotency-Key or clientMessageId).");
        c.MapPost("/{id}/messages/stream", StreamMessage).WithSummary("Send a message; the result as Server-Sent Events: decision first, then reply chunks, then done.");
        c.MapGet("/{id}/turns", GetTurns).WithSummary("Read a branch page by page (branch defaults to the current one).");
        c.MapPost("/{id}/turns/{turnId}/edit", EditTurn).WithSummary("Edit and resubmit a user turn: forks a new current branch.");
        c.MapPut("/{id}/turns/{turnId}/rating", RateTurn).WithSummary("Rate an assistant reply: up, down or none (withdraw).");
        c.MapGet("/{id}/branches", GetBranches).WithSummary("List branches.");
        c.MapPut("/{id}/current-branch", SwitchBranch).WithSummary("Switch the current branch.");
        c.MapPost("/{id}/feedback", LeaveFeedback).WithSummary("Written feedback on a turn or (turnId null) on the conversation or its ending.");

        var ops = user.MapGroup("/operator").RequireAuthorization(ParleyClaims.OperatorPolicy).WithTags("operator");
        ops.MapGet("/feedback", (IGrainFactory g) => g.GetGrain<IFeedbackGrain>(0).GetTotalsAsync())
            .WithSummary("Cluster-wide feedback totals by decision and end reason (operator role).");
        ops.MapGet("/endings", (IGrainFactory g, int? take) => g.GetGrain<IEndingAuditGrain>(0).GetRecentAsync(Math.Clamp(take ?? 100, 1, 1000)))
            .WithSummary("The audit log of endings, newest first (operator role; the last 1000 are kept).");
        return endpoints;
    }

    private static IResult DevSignIn(DevSignInRequest? body, IOptions<ParleyAuthOptions> auth, ParleyTokens tokens)
    {
        if (!auth.Value.DevSignIn)
        {
            throw new ParleyException(ApiErrorCodes.NotFound, "The development sign-in is disabled (Parley:Auth:DevSignIn).");
        }

        var name = body?.UserName?.Trim() ?? "";
        if (!UserNamePattern().IsMatch(name))
        {
            throw new InvalidRequestException(ErrorCodes.InvalidRequest, "userName must be 1 to 64 letters, digits, '.', '_' or '-'.");
        }

        var userId = name.ToLowerInvariant();
        string[] roles = body!.Operator ? [ParleyClaims.OperatorRole] : [];
        var (token, expires) = tokens.Issue(userId, roles);
        return Results.Ok(new DevSignInResponse(token, userId, roles, expires, DevelopmentOnly: true,
            "Development-only sign-in: no password is checked. Disable Parley:Auth:DevSignIn in production and use tokens from your identity provider."));
    }

    private static async Task<IResult> CreateConversation(CreateConversationRequest? body, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var userId = UserIdOf(principal);
        var title = Clip(body?.Title, 80);
        var id = Guid.NewGuid().ToString("N");
        var status = await grains.GetGrain<IConversationGrain>(id).StartAsync(userId, string.IsNullOrWhiteSpace(body?.Locale) ? null : body.Locale.Trim());
        await grains.GetGrain<IUserConversationsGrain>(userId).AddAsync(new ConversationSummary { ConversationId = id, Title = title, CreatedAt = status.CreatedAt });
        return Results.Created($"/api/conversations/{id}", new ConversationResponse(id, title, status));
    }

    private static Task<IReadOnlyList<ConversationSummary>> ListConversations(ClaimsPrincipal principal, IGrainFactory grains) =>
        grains.GetGrain<IUserConversationsGrain>(UserIdOf(principal)).ListAsync();

    private static async Task<ConversationResponse> GetConversation(string id, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var userId = UserIdOf(principal);
        var status = await Conversation(grains, id).GetStatusAsync(userId);
        var title = (await grains.GetGrain<IUserConversationsGrain>(userId).ListAsync()).FirstOrDefault(s => s.ConversationId == id)?.Title ?? "";
        return new ConversationResponse(id, title, status);
    }

    private static async Task<SendResult> SendMessage(string id, SendMessageRequest? body, HttpRequest request, ClaimsPrincipal principal,
        IGrainFactory grains, IOptions<ParleyApiOptions> options)
    {
        var userId = UserIdOf(principal);
        var (messageId, text) = ValidateSend(body, request, options.Value);
        var result = await Conversation(grains, id).SendAsync(userId, messageId, text);
        await TitleFromFirstMessageAsync(grains, userId, id, result, text);
        return result;
    }

    // A conversation's title in the user's list is its first message.
    private static Task TitleFromFirstMessageAsync(IGrainFactory grains, string userId, string id, SendResult result, string text) =>
        result.Turn.Id.Depth == 0 && !result.Duplicate
            ? grains.GetGrain<IUserConversationsGrain>(userId).SetTitleAsync(id, Clip(text, 80))
            : Task.CompletedTask;

    private static async Task StreamMessage(string id, SendMessageRequest? body, HttpContext context, ClaimsPrincipal principal,
        IGrainFactory grains, IOptions<ParleyApiOptions> options)
    {
        var userId = UserIdOf(principal);
        var (messageId, text) = ValidateSend(body, context.Request, options.Value);
        var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        // The grain pushes the decision and the reply pieces to this observer while the send call is still running.
        var events = System.Threading.Channels.Channel.CreateUnbounded<(string Name, string Data)>(new() { SingleReader = true });
        var observer = new SseReplyObserver(events.Writer, json);
        var reference = grains.CreateObjectReference<IReplyObserver>(observer);
        try
        {
            var send = Conversation(grains, id).SendStreamingAsync(userId, messageId, text, reference);
            _ = send.ContinueWith(_ => events.Writer.TryComplete(), TaskScheduler.Default);

            // Errors before the first event (validation, 403/404/409, ...) still become problem details with their status.
            var started = false;
            await foreach (var (name, data) in events.Reader.ReadAllAsync(context.RequestAborted))
            {
                if (!started)
                {
                    StartEventStream(context);
                    started = true;
                }

                await WriteEventAsync(context, name, data);
            }

            SendResult result;
            try
            {
                result = await send;
            }
            catch (ParleyException ex) when (started)
            {
                // Too late for a status code: the failure (nothing was stored) is the stream's last event.
                await WriteEventAsync(context, "error", System.Text.Json.JsonSerializer.Serialize(Problems.From(ex), json));
                return;
            }

            if (!started)
            {
                StartEventStream(context);
            }

            await TitleFromFirstMessageAsync(grains, userId, id, result, text);

            await WriteEventAsync(context, "done", System.Text.Json.JsonSerializer.Serialize(result, json));
        }
        finally
        {
            grains.DeleteObjectReference<IReplyObserver>(reference);
            GC.KeepAlive(observer);
        }
    }

    private static void StartEventStream(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
    }

    /// <summary>Turns the grain's reply notifications into Server-Sent Events (decision first, then chunks).</summary>
    private sealed class SseReplyObserver(System.Threading.Channels.ChannelWriter<(string Name, string Data)> events,
        System.Text.Json.JsonSerializerOptions json) : IReplyObserver
    {
        public Task OnDecisionAsync(TurnId turn, Decision decision, EndReason? endReason)
        {
            events.TryWrite(("decision", System.Text.Json.JsonSerializer.Serialize(
                new { turnId = turn.ToString(), decision = decision.Name(), endReason = endReason?.Name() }, json)));
            return Task.CompletedTask;
        }

        public Task OnChunkAsync(string text)
        {
            events.TryWrite(("chunk", System.Text.Json.JsonSerializer.Serialize(new { text }, json)));
            return Task.CompletedTask;
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string name, string data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static Task<TranscriptPage> GetTurns(string id, int? branch, int? skip, int? take, ClaimsPrincipal principal, IGrainFactory grains) =>
        Conversation(grains, id).GetTranscriptAsync(UserIdOf(principal), branch, skip ?? 0, take ?? 50);

    private static Task<SendResult> EditTurn(string id, string turnId, SendMessageRequest? body, HttpRequest request, ClaimsPrincipal principal,
        IGrainFactory grains, IOptions<ParleyApiOptions> options)
    {
        var turn = ParseTurn(turnId);
        var (messageId, text) = ValidateSend(body, request, options.Value);
        return Conversation(grains, id).EditAsync(UserIdOf(principal), turn, messageId, text);
    }

    private static Task<TurnView> RateTurn(string id, string turnId, RateRequest? body, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var turn = ParseTurn(turnId);
        var rating = body?.Rating?.Trim().ToLowerInvariant() switch
        {
            "up" => Rating.Up,
            "down" => Rating.Down,
            "none" => Rating.None,
            _ => throw new InvalidRequestException(ErrorCodes.InvalidRequest, "rating must be \"up\", \"down\" or \"none\"."),
        };
        return Conversation(grains, id).RateAsync(UserIdOf(principal), turn, rating);
    }

    private static Task<IReadOnlyList<BranchView>> GetBranches(string id, ClaimsPrincipal principal, IGrainFactory grains) =>
        Conversation(grains, id).GetBranchesAsync(UserIdOf(principal));

    private static Task<ConversationStatus> SwitchBranch(string id, SwitchBranchRequest? body, ClaimsPrincipal principal, IGrainFactory grains) =>
        body is null
            ? throw new InvalidRequestException(ErrorCodes.InvalidRequest, "branchId is required.")
            : Conversation(grains, id).SwitchBranchAsync(UserIdOf(principal), body.BranchId);

    private static async Task<IResult> LeaveFeedback(string id, FeedbackRequest? body, ClaimsPrincipal principal, IGrainFactory grains,
        IOptions<ParleyApiOptions> options)
    {
        if (string.IsNullOrWhiteSpace(body?.Text))
        {
            throw new InvalidRequestException(ErrorCodes.MessageEmpty, "Feedback text is empty.");
        }

        if (body.Text.Trim().Length > options.Value.MaxFeedbackLength)
        {
            throw new InvalidRequestException(ErrorCodes.MessageTooLong, $"Feedback is longer than {options.Value.MaxFeedbackLength} characters.");
        }

        TurnId? turn = body.TurnId is null ? null : ParseTurn(body.TurnId);
        await Conversation(grains, id).LeaveFeedbackAsync(UserIdOf(principal), turn, body.Text);
        return Results.NoContent();
    }

    private static (string MessageId, string Text) ValidateSend(SendMessageRequest? body, HttpRequest request, ParleyApiOptions options)
    {
        var header = request.Headers["Idempotency-Key"].ToString();
        var messageId = !string.IsNullOrWhiteSpace(header) ? header.Trim() : body?.ClientMessageId?.Trim();
        if (string.IsNullOrEmpty(messageId) || messageId.Length > 128)
        {
            throw new InvalidRequestException(ErrorCodes.InvalidRequest,
                "A client message id of 1 to 128 characters is required (Idempotency-Key header or clientMessageId field).");
        }

        if (string.IsNullOrWhiteSpace(body?.Text))
        {
            throw new InvalidRequestException(ErrorCodes.MessageEmpty, "The message is empty.");
        }

        if (body.Text.Trim().Length > options.MaxMessageLength)
        {
            throw new InvalidRequestException(ErrorCodes.MessageTooLong, $"The message is longer than {options.MaxMessageLength} characters.");
        }

        return (messageId, body.Text);
    }

    private static TurnId ParseTurn(string text) =>
        TurnId.TryParse(text, out var id) ? id : throw new InvalidRequestException(ErrorCodes.InvalidRequest, "A turn id is \"branch.depth\", e.g. \"0.3\".");

    private static IConversationGrain Conversation(IGrainFactory grains, string id) =>
        ConversationIdPattern().IsMatch(id)
            ? grains.GetGrain<IConversationGrain>(id)
            : throw new InvalidRequestException(ErrorCodes.InvalidRequest, "A conversation id is 1 to 64 letters, digits, '_' or '-'.");

    private static string UserIdOf(ClaimsPrincipal principal) =>
        principal.FindFirstValue(ParleyClaims.UserId) is { Length: > 0 } id
            ? id
            : throw new ParleyException(ApiErrorCodes.Unauthorized, "The token has no user id (sub).");

    private static string Clip(string? text, int max)
    {
        var t = (text ?? "").Trim().ReplaceLineEndings(" ");
        return t.Length <= max ? t : t[..(max - 1)] + "…";
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ConversationIdPattern();
}
