using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Parley.Abstractions;

namespace Parley.Api;

/// <summary>Error codes the HTTP API adds to <see cref="ErrorCodes"/>.</summary>
public static class ApiErrorCodes
{
    /// <summary>No valid bearer token.</summary>
    public const string Unauthorized = "unauthorized";
    /// <summary>Too many requests from this user.</summary>
    public const string RateLimited = "rate_limited";
    /// <summary>The request body is larger than allowed.</summary>
    public const string BodyTooLarge = "body_too_large";
    /// <summary>The request body is not JSON.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";
    /// <summary>No such route.</summary>
    public const string NotFound = "not_found";
    /// <summary>The method is not allowed on the route.</summary>
    public const string MethodNotAllowed = "method_not_allowed";
    /// <summary>The request target (path and query) is longer than allowed.</summary>
    public const string UriTooLong = "uri_too_long";
    /// <summary>The request headers are larger than allowed.</summary>
    public const string HeadersTooLarge = "headers_too_large";
    /// <summary>The cluster could not be reached.</summary>
    public const string ClusterUnavailable = "cluster_unavailable";
    /// <summary>An unexpected error.</summary>
    public const string InternalError = "internal_error";
}

/// <summary>RFC 7807 problem details with a stable <c>code</c> extension (the <c>type</c> is <c>urn:parley:error:{code}</c>).</summary>
public static class Problems
{
    /// <summary>The HTTP status of a <see cref="ParleyException"/> code.</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.ConversationNotFound or ErrorCodes.UnknownTurn or ErrorCodes.UnknownBranch or ApiErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.ConversationEnded => StatusCodes.Status409Conflict,
        ApiErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.StorageUnavailable or ErrorCodes.AssistantUnavailable or ApiErrorCodes.ClusterUnavailable => StatusCodes.Status503ServiceUnavailable,
        ApiErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ApiErrorCodes.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        ApiErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ApiErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ApiErrorCodes.UriTooLong => StatusCodes.Status414UriTooLong,
        ApiErrorCodes.HeadersTooLarge => StatusCodes.Status431RequestHeaderFieldsTooLarge,
        ApiErrorCodes.InternalError => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest, // message_empty, message_too_long, invalid_request, limit_reached
    };

    /// <summary>The stable code for a bare status (used for responses produced by the framework: 401, 403, 404...).</summary>
    public static string CodeOf(int status) => status switch
    {
        401 => ApiErrorCodes.Unauthorized,
        403 => ErrorCodes.Forbidden,
        404 => ApiErrorCodes.NotFound,
        405 => ApiErrorCodes.MethodNotAllowed,
        413 => ApiErrorCodes.BodyTooLarge,
        414 => ApiErrorCodes.UriTooLong,
        431 => ApiErrorCodes.HeadersTooLarge,
        415 => ApiErrorCodes.UnsupportedMediaType,
        429 => ApiErrorCodes.RateLimited,
        503 => ApiErrorCodes.ClusterUnavailable,
        >= 500 => ApiErrorCodes.InternalError,
        _ => ErrorCodes.InvalidRequest,
    };

    /// <summary>Builds the problem for an error code.</summary>
    public static ProblemDetails Create(string code, string detail, int? status = null)
    {
        var s = status ?? StatusOf(code);
        var problem = new ProblemDetails
        {
            Type = "urn:parley:error:" + code,
            Title = TitleOf(code),
            Status = s,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>
    /// The problem for a <see cref="ParleyException"/>; a <c>conversation_ended</c> one says why and what the user can do,
    /// and, when the refused message signalled imminent risk, carries <paramref name="crisis"/>'s resources.
    /// </summary>
    public static ProblemDetails From(ParleyException ex, CrisisResources? crisis = null)
    {
        var problem = Create(ex.Code, ex.Message);
        if (ex is ConversationEndedException ended)
        {
            problem.Extensions["conversationId"] = ended.ConversationId;
            problem.Extensions["branchId"] = ended.BranchId;
            problem.Extensions["endReason"] = ended.Reason.Name();
            problem.Extensions["actions"] = new[] { "new_conversation", "edit_earlier_message", "give_feedback" };
            if (ended.ImminentRisk)
            {
                problem.Extensions["imminentRisk"] = true;
                problem.Extensions["crisisResources"] = crisis?.For(ended.Locale) ?? [];
            }
        }

        return problem;
    }

    /// <summary>Writes a problem as <c>application/problem+json</c>.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem, Action<HttpResponse>? headers = null)
    {
        context.Response.Clear();
        context.Response.StatusCode = problem.Status ?? 500;
        headers?.Invoke(context.Response);
        var path = context.Request.Path.Value ?? "";
        problem.Instance ??= path.Length <= 256 ? path : null; // never echo an oversized path back
        return Results.Problem(problem).ExecuteAsync(context);
    }

    private static string TitleOf(string code) => code switch
    {
        ErrorCodes.ConversationEnded => "The assistant ended this conversation",
        ErrorCodes.ConversationNotFound => "Conversation not found",
        ErrorCodes.Forbidden => "Forbidden",
        ErrorCodes.MessageEmpty => "The message is empty",
        ErrorCodes.MessageTooLong => "The message is too long",
        ErrorCodes.UnknownTurn => "Unknown turn",
        ErrorCodes.UnknownBranch => "Unknown branch",
        ErrorCodes.LimitReached => "Limit reached",
        ErrorCodes.StorageUnavailable => "Storage unavailable",
        ErrorCodes.AssistantUnavailable => "Assistant unavailable",
        ApiErrorCodes.Unauthorized => "Sign-in required",
        ApiErrorCodes.RateLimited => "Too many requests",
        ApiErrorCodes.BodyTooLarge => "Request body too large",
        ApiErrorCodes.UnsupportedMediaType => "Unsupported media type",
        ApiErrorCodes.NotFound => "Not found",
        ApiErrorCodes.MethodNotAllowed => "Method not allowed",
        ApiErrorCodes.UriTooLong => "Request target too long",
        ApiErrorCodes.HeadersTooLarge => "Request headers too large",
        ApiErrorCodes.ClusterUnavailable => "Service unavailable",
        ApiErrorCodes.InternalError => "Internal error",
        _ => "Invalid request",
    };
}

/// <summary>
/// Turns exceptions into problem details (never a bare 500 for bad input) and bounds request bodies on <c>/api</c>.
/// </summary>
internal sealed class ParleyErrorMiddleware(RequestDelegate next, IOptions<ParleyApiOptions> options, ILogger<ParleyErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            var max = options.Value.MaxRequestBodyBytes;
            if (context.Request.ContentLength > max)
            {
                await Problems.WriteAsync(context, Problems.Create(ApiErrorCodes.BodyTooLarge, $"The request body is larger than {max} bytes."));
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = max;
            }
        }

        try
        {
            await next(context);
        }
        catch (ParleyException ex) when (!context.Response.HasStarted)
        {
            await Problems.WriteAsync(context, Problems.From(ex, context.RequestServices.GetService<CrisisResources>()));
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var code = Problems.CodeOf(ex.StatusCode);
            var detail = ex.StatusCode == 413 ? $"The request body is larger than {options.Value.MaxRequestBodyBytes} bytes." : ex.Message;
            await Problems.WriteAsync(context, Problems.Create(code, detail, ex.StatusCode));
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var unavailable = ex is TimeoutException or OrleansException;
            logger.LogError(ex, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            await Problems.WriteAsync(context, unavailable
                ? Problems.Create(ApiErrorCodes.ClusterUnavailable, "The conversation service is unavailable right now; retry later.")
                : Problems.Create(ApiErrorCodes.InternalError, "An unexpected error occurred."));
        }
    }
}

/// <summary>Registers the problem-details writer that gives framework responses (401, 403, 404...) a stable <c>code</c>.</summary>
internal static class ProblemDetailsSetup
{
    public static void Add(IServiceCollection services) => services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
    {
        var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
        if (!ctx.ProblemDetails.Extensions.ContainsKey("code"))
        {
            var code = Problems.CodeOf(status);
            ctx.ProblemDetails.Extensions["code"] = code;
            ctx.ProblemDetails.Type = "urn:parley:error:" + code;
        }
    });
}
