using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Parley.Abstractions;

namespace Parley.Api;

/// <summary>Registration of the HTTP API and the web chat on an ASP.NET Core host that has an <see cref="IGrainFactory"/> (silo or client).</summary>
public static partial class ParleyApi
{
    /// <summary>Adds authentication, authorization, rate limiting, security headers, problem details, JSON settings and OpenAPI.</summary>
    public static IServiceCollection AddParleyApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ParleyApiOptions>().Bind(configuration.GetSection(ParleyApiOptions.Section));
        services.AddOptions<ParleyAuthOptions>().Bind(configuration.GetSection(ParleyAuthOptions.Section));
        services.AddSingleton<ParleyTokens>();
        services.AddSingleton(new CrisisResources(configuration));
        services.AddSingleton<OperatorDashboardState>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<ParleyTokens, IOptions<ParleyAuthOptions>>((o, tokens, auth) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = tokens.ValidationParameters;
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = OperatorDashboard.ReadSessionCookie, // the dashboard's cookie, on its own paths only
                OnTokenValidated = ctx => ParleyClaims.MarkOperator(ctx.Principal, auth.Value.OperatorRole),
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(ParleyClaims.OperatorPolicy, p => p.RequireClaim(ParleyClaims.Operator, "true"));

        Security.AddServices(services);
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

    /// <summary>
    /// Adds the middleware, outermost first: trusted-proxy forwarding, security headers (and HSTS outside Development),
    /// problem details for every error, request-size guards, the per-address rate limit, authentication, the per-user rate
    /// limit and authorization. Throws at startup when authentication is configured unsafely (see <see cref="ParleyTokens"/>).
    /// </summary>
    public static WebApplication UseParleyApi(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<ParleyTokens>(); // refuse to start, not fail on the first request, when auth is unsafe
        var options = app.Services.GetRequiredService<IOptions<ParleyApiOptions>>().Value;
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseMiddleware<ParleyErrorMiddleware>();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestGuardMiddleware>();
        app.UseRateLimiter(Security.AddressLimiter(options));
        app.UseAuthentication();
        app.UseRateLimiter(Security.UserLimiter(options));
        app.UseAuthorization();
        return app;
    }

    /// <summary>Requires the operator role on an operational endpoint (such as <c>/metrics</c>) unless <c>Parley:Api:PublicMetrics</c> is on.</summary>
    public static TBuilder RequireOperatorUnlessPublicMetrics<TBuilder>(this TBuilder builder, IServiceProvider services) where TBuilder : IEndpointConventionBuilder =>
        services.GetRequiredService<IOptions<ParleyApiOptions>>().Value.PublicMetrics ? builder : builder.RequireAuthorization(ParleyClaims.OperatorPolicy);

    /// <summary>Maps the API under <c>/api</c>, the OpenAPI document (<c>/openapi/v1.json</c>), its page (<c>/api/docs</c>) and the web chat (<c>/</c>).</summary>
    public static IEndpointRouteBuilder MapParleyApi(this IEndpointRouteBuilder endpoints)
    {
        var openApi = endpoints.MapOpenApi();
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<ParleyApiOptions>>().Value.PublicOpenApi)
        {
            openApi.RequireAuthorization();
        }

        WebAssets.Map(endpoints);

        var api = endpoints.MapGroup("/api");
        api.MapPost("/dev/sign-in", DevSignIn).AllowAnonymous().WithTags("auth")
            .WithSummary("DEVELOPMENT ONLY: issue a token for a user name (Parley:Auth:DevSignIn, Development environment).");

        api.MapDelete("/operator/dashboard-session", OperatorDashboard.EndSession).AllowAnonymous().WithTags("operator")
            .WithSummary("End the dashboard session: removes its cookie (anyone may; it only clears the cookie).");

        var user = api.MapGroup("").RequireAuthorization();
        user.MapGet("/me", (ClaimsPrincipal p) => new MeResponse(UserIdOf(p), RolesOf(p)))
            .WithTags("auth").WithSummary("The signed-in user.");

        var c = user.MapGroup("/conversations").WithTags("conversations");
        c.MapPost("", CreateConversation).WithSummary("Create a conversation.");
        c.MapGet("", ListConversations).WithSummary("List my conversations, newest first.");
        c.MapGet("/{id}", GetConversation).WithSummary("A conversation's status, with the crisis resources for its locale.");
        c.MapPatch("/{id}", RenameConversation).WithSummary("Rename a conversation in my list.");
        c.MapDelete("/{id}", DeleteConversation)
            .WithSummary("Delete a conversation from my list (soft delete: it leaves the list; its stored turns are kept and it stays readable by id).");
        c.MapPost("/{id}/messages", SendMessage).WithSummary("Send a message (client message id in Idempotency-Key or clientMessageId).");
        c.MapPost("/{id}/messages/stream", StreamMessage).WithSummary("Send a message; the result as Server-Sent Events: decision first, then reply chunks, then done.");
        c.MapGet("/{id}/turns", GetTurns).WithSummary("Read a branch page by page (branch defaults to the current one).");
        c.MapPost("/{id}/turns/{turnId}/edit", EditTurn).WithSummary("Edit and resubmit a user turn: forks a new current branch.");
        c.MapPut("/{id}/turns/{turnId}/rating", RateTurn).WithSummary("Rate an assistant reply: up, down or none (withdraw).");
        c.MapGet("/{id}/branches", GetBranches).WithSummary("List branches.");
        c.MapPut("/{id}/current-branch", SwitchBranch).WithSummary("Switch the current branch.");
        c.MapPost("/{id}/end-request/confirm", ConfirmEnd).WithSummary("Confirm a pending end request (\"Yes, end the conversation\"): ends the branch, stores no turn.");
        c.MapPost("/{id}/end-request/decline", DeclineEnd).WithSummary("Decline a pending end confirmation (\"No, let's continue\"): stores no turn.");
        c.MapPost("/{id}/feedback", LeaveFeedback).WithSummary("Written feedback on a turn or (turnId null) on the conversation or its ending.");

        var ops = user.MapGroup("/operator").RequireAuthorization(ParleyClaims.OperatorPolicy).WithTags("operator");
        ops.MapGet("/feedback", (IGrainFactory g) => g.GetGrain<IFeedbackGrain>(0).GetTotalsAsync())
            .WithSummary("Cluster-wide feedback totals by decision and end reason (operator role).");
        ops.MapGet("/endings", (IGrainFactory g, int? take) => g.GetGrain<IEndingAuditGrain>(0).GetRecentAsync(Math.Clamp(take ?? 100, 1, 1000)))
            .WithSummary("The audit log of endings, newest first (operator role; the last 1000 are kept).");
        ops.MapGet("/summary", (IGrainFactory g) => g.GetGrain<IOperatorSummaryGrain>(0).GetSummaryAsync())
            .WithSummary("Silos and activations, decisions and endings per minute over the last hour, feedback totals (operator role).");
        ops.MapPost("/dashboard-session", OperatorDashboard.StartSession)
            .WithSummary("Open the Orleans Dashboard in a browser: sets an HttpOnly cookie with this bearer token, honoured only under /dashboard (operator role).");
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

        // Outside Development (only reachable with the unsafe override) the form never grants a role: operators get it
        // from the identity provider's token.
        if (body!.Operator && !tokens.IsDevelopment)
        {
            throw new ParleyException(ErrorCodes.Forbidden, "The operator role comes from your identity provider's token; the development sign-in grants it only in the Development environment.");
        }

        var userId = name.ToLowerInvariant();
        string[] roles = body.Operator ? [auth.Value.OperatorRole] : [];
        var (token, expires) = tokens.Issue(userId, roles);
        return Results.Ok(new DevSignInResponse(token, userId, roles, expires, DevelopmentOnly: true,
            "Development-only sign-in: no password is checked. It runs only in the Development environment; use tokens from your identity provider elsewhere."));
    }

    // With an Idempotency-Key the conversation id is derived from the user and the key, so a retried create (after a
    // timeout or a 503) returns the conversation the first attempt made instead of leaving an orphan behind. The grain
    // lists the conversation in the user's directory before it answers.
    private static async Task<IResult> CreateConversation(CreateConversationRequest? body, HttpRequest request, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var userId = UserIdOf(principal);
        var title = InputRules.Title(body?.Title) ?? "";
        var locale = InputRules.Locale(body?.Locale);
        var key = request.Headers["Idempotency-Key"].ToString();
        var id = string.IsNullOrWhiteSpace(key) ? Guid.NewGuid().ToString("N") : ConversationIdFor(userId, InputRules.ClientMessageId(key));
        var status = await grains.GetGrain<IConversationGrain>(id).StartAsync(userId, locale, title);
        var listed = (await grains.GetGrain<IUserConversationsGrain>(userId).ListAsync()).FirstOrDefault(s => s.ConversationId == id)?.Title ?? title;
        return Results.Created($"/api/conversations/{id}", new ConversationResponse(id, listed, ApiViews.Status(status, IsOperator(principal))));
    }

    // 32 hex digits of SHA-256(user id, key): stable for a retry, distinct between users who happen to pick the same key.
    internal static string ConversationIdFor(string userId, string idempotencyKey) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{userId}\n{idempotencyKey}")))[..32];

    private static Task<IReadOnlyList<ConversationSummary>> ListConversations(ClaimsPrincipal principal, IGrainFactory grains) =>
        grains.GetGrain<IUserConversationsGrain>(UserIdOf(principal)).ListAsync();

    private static async Task<ConversationResponse> GetConversation(string id, ClaimsPrincipal principal, IGrainFactory grains, CrisisResources crisis)
    {
        var userId = UserIdOf(principal);
        var status = await Conversation(grains, id).GetStatusAsync(userId);
        var title = (await grains.GetGrain<IUserConversationsGrain>(userId).ListAsync()).FirstOrDefault(s => s.ConversationId == id)?.Title ?? "";
        return new ConversationResponse(id, title, ApiViews.Status(status, IsOperator(principal)), crisis.For(status.Locale));
    }

    private static async Task<ConversationSummary> RenameConversation(string id, RenameRequest? body, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var title = InputRules.Title(body?.Title) ?? throw new InvalidRequestException(ErrorCodes.InvalidRequest, "title must not be empty.");
        _ = Conversation(grains, id); // validates the id
        return await grains.GetGrain<IUserConversationsGrain>(UserIdOf(principal)).RenameAsync(id, title);
    }

    private static async Task<IResult> DeleteConversation(string id, ClaimsPrincipal principal, IGrainFactory grains)
    {
        _ = Conversation(grains, id);
        await grains.GetGrain<IUserConversationsGrain>(UserIdOf(principal)).DeleteAsync(id);
        return Results.NoContent();
    }

    // The list shows whether a conversation's current branch has ended; updated where the current branch can change.
    private static Task NoteEndedAsync(IGrainFactory grains, string userId, string id, bool ended) =>
        grains.GetGrain<IUserConversationsGrain>(userId).SetEndedAsync(id, ended);

    private static async Task<SendResponse> SendMessage(string id, SendMessageRequest? body, HttpRequest request, ClaimsPrincipal principal,
        IGrainFactory grains)
    {
        var userId = UserIdOf(principal);
        var (messageId, text) = ValidateSend(body, request);
        var result = await Conversation(grains, id).SendAsync(userId, messageId, text);
        if (result.BranchEnded)
        {
            await NoteEndedAsync(grains, userId, id, ended: true);
        }

        return ApiViews.Send(result, IsOperator(principal));
    }

    private static async Task StreamMessage(string id, SendMessageRequest? body, HttpContext context, ClaimsPrincipal principal,
        IGrainFactory grains)
    {
        var userId = UserIdOf(principal);
        var (messageId, text) = ValidateSend(body, context.Request);
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
                await WriteEventAsync(context, "error", System.Text.Json.JsonSerializer.Serialize(Problems.From(ex, context.RequestServices.GetService<CrisisResources>()), json));
                return;
            }

            if (!started)
            {
                StartEventStream(context);
            }

                if (result.BranchEnded)
            {
                await NoteEndedAsync(grains, userId, id, ended: true);
            }

            await WriteEventAsync(context, "done", System.Text.Json.JsonSerializer.Serialize(ApiViews.Send(result, IsOperator(principal)), json));
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

    private static async Task<TranscriptResponse> GetTurns(string id, int? branch, int? skip, int? take, ClaimsPrincipal principal, IGrainFactory grains) =>
        ApiViews.Transcript(await Conversation(grains, id).GetTranscriptAsync(UserIdOf(principal), branch, skip ?? 0, take ?? 50), IsOperator(principal));

    private static async Task<SendResponse> EditTurn(string id, string turnId, SendMessageRequest? body, HttpRequest request, ClaimsPrincipal principal,
        IGrainFactory grains)
    {
        var turn = ParseTurn(turnId);
        var (messageId, text) = ValidateSend(body, request);
        var userId = UserIdOf(principal);
        var result = await Conversation(grains, id).EditAsync(userId, turn, messageId, text);
        await NoteEndedAsync(grains, userId, id, result.BranchEnded);
        return ApiViews.Send(result, IsOperator(principal));
    }

    private static async Task<TurnResponse> RateTurn(string id, string turnId, RateRequest? body, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var turn = ParseTurn(turnId);
        var rating = body?.Rating?.Trim().ToLowerInvariant() switch
        {
            "up" => Rating.Up,
            "down" => Rating.Down,
            "none" => Rating.None,
            _ => throw new InvalidRequestException(ErrorCodes.InvalidRequest, "rating must be \"up\", \"down\" or \"none\"."),
        };
        return ApiViews.Turn(await Conversation(grains, id).RateAsync(UserIdOf(principal), turn, rating), IsOperator(principal));
    }

    private static async Task<IReadOnlyList<BranchResponse>> GetBranches(string id, ClaimsPrincipal principal, IGrainFactory grains) =>
        (await Conversation(grains, id).GetBranchesAsync(UserIdOf(principal))).Select(b => ApiViews.Branch(b, IsOperator(principal))).ToList();

    private static async Task<StatusResponse> SwitchBranch(string id, SwitchBranchRequest? body, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var branchId = body?.BranchId ?? throw new InvalidRequestException(ErrorCodes.InvalidRequest, "branchId (a number) is required.");
        var userId = UserIdOf(principal);
        var status = await Conversation(grains, id).SwitchBranchAsync(userId, branchId);
        await NoteEndedAsync(grains, userId, id, status.CurrentBranch.Ended);
        return ApiViews.Status(status, IsOperator(principal));
    }

    private static async Task<StatusResponse> ConfirmEnd(string id, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var userId = UserIdOf(principal);
        var status = await Conversation(grains, id).ConfirmEndAsync(userId);
        await NoteEndedAsync(grains, userId, id, status.CurrentBranch.Ended);
        return ApiViews.Status(status, IsOperator(principal));
    }

    private static async Task<StatusResponse> DeclineEnd(string id, ClaimsPrincipal principal, IGrainFactory grains) =>
        ApiViews.Status(await Conversation(grains, id).DeclineEndAsync(UserIdOf(principal)), IsOperator(principal));

    private static async Task<IResult> LeaveFeedback(string id, FeedbackRequest? body, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var text = InputRules.Feedback(body?.Text);
        TurnId? turn = body?.TurnId is null ? null : ParseTurn(body.TurnId);
        await Conversation(grains, id).LeaveFeedbackAsync(UserIdOf(principal), turn, text);
        return Results.NoContent();
    }

    private static (string MessageId, string Text) ValidateSend(SendMessageRequest? body, HttpRequest request)
    {
        var header = request.Headers["Idempotency-Key"].ToString();
        var messageId = InputRules.ClientMessageId(!string.IsNullOrWhiteSpace(header) ? header : body?.ClientMessageId);
        return (messageId, InputRules.Message(body?.Text));
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

    private static bool IsOperator(ClaimsPrincipal principal) => principal.HasClaim(ParleyClaims.Operator, "true");

    private static IReadOnlyList<string> RolesOf(ClaimsPrincipal principal) =>
        principal.Identity is ClaimsIdentity identity ? principal.FindAll(identity.RoleClaimType).Select(c => c.Value).ToList() : [];

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ConversationIdPattern();
}
