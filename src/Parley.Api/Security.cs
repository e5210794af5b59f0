using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Parley.Api;

/// <summary>
/// The protective layers in front of the API: trusted-proxy forwarding, request-size guards, security headers and the
/// two rate-limit layers (per client address before authentication, per user after it).
/// </summary>
internal static class Security
{
    /// <summary>The Content-Security-Policy of every response: same-origin scripts, styles and calls only, no inline script, no framing.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The Orleans Dashboard's pages (operators only): the same, except that its bundle's inline styles and data: fonts
    /// are allowed (scripts stay same-origin files only).
    /// </summary>
    public const string DashboardContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    // The partitioned limiters replenish their buckets on a 100 ms heartbeat; Retry-After includes it so it is never early.
    private static readonly TimeSpan ReplenishHeartbeat = TimeSpan.FromMilliseconds(100);

    public static void AddServices(IServiceCollection services)
    {
        // Kestrel answers requests beyond its own limits with an empty body before any middleware runs; its limits are set
        // well above Parley's so that Parley's guard (below) answers first, with a problem. Non-ASCII header values reach the
        // application (and get a 400 problem where they matter, e.g. Idempotency-Key) instead of a bare Kestrel 400.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ParleyApiOptions>>((kestrel, api) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, api.Value.MaxRequestTargetLength * 16);
            kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, api.Value.MaxRequestHeadersBytes * 4);
            kestrel.RequestHeaderEncodingSelector = _ => Encoding.UTF8;
        });

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ParleyApiOptions>>((forwarded, api) =>
        {
            // Empty KnownProxies and KnownIPNetworks would mean "trust every sender", so with no trusted proxy configured
            // the headers are not processed at all (and loopback, trusted by default, is not trusted unless listed).
            forwarded.ForwardedHeaders = api.Value.TrustedProxies.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = null; // walk back through every trusted hop, stopping at the first untrusted one
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var entry in api.Value.TrustedProxies)
            {
                if (entry.Contains('/'))
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry.Trim()));
                }
                else
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(entry.Trim()));
                }
            }
        });

        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        services.AddRateLimiter(_ => { });
    }

    /// <summary>Per client address, before authentication: every request but those marked <c>DisableRateLimiting</c>.</summary>
    public static RateLimiterOptions AddressLimiter(ParleyApiOptions options) => Limiter(http =>
        Bucket("ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), options.AddressRateLimitPermits, options.RateLimitWindow),
        "Too many requests from this address; retry after the time in Retry-After.");

    /// <summary>
    /// Per signed-in user (<c>sub</c>), after authentication; anonymous requests, and the dashboard's paths (its page polls
    /// several routes every second), are bounded by the address limiter only.
    /// </summary>
    public static RateLimiterOptions UserLimiter(ParleyApiOptions options) => Limiter(http =>
        http.User.FindFirstValue(ParleyClaims.UserId) is { Length: > 0 } user && !OperatorDashboard.IsDashboardPath(http.Request.Path)
            ? Bucket("user:" + user, options.RateLimitPermits, options.RateLimitWindow)
            : RateLimitPartition.GetNoLimiter("anonymous"),
        "Too many requests for this user; retry after the time in Retry-After.");

    private static RateLimiterOptions Limiter(Func<HttpContext, RateLimitPartition<string>> partition, string detail) => new()
    {
        GlobalLimiter = PartitionedRateLimiter.Create(partition),
        RejectionStatusCode = StatusCodes.Status429TooManyRequests,
        OnRejected = async (ctx, _) =>
        {
            var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
            var seconds = (int)Math.Ceiling((retryAfter + ReplenishHeartbeat).TotalSeconds);
            await Problems.WriteAsync(ctx.HttpContext, Problems.Create(ApiErrorCodes.RateLimited, detail),
                r => r.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture));
        },
    };

    // A token bucket holding the whole allowance, refilled evenly over the window (at most once a second), so a client that
    // is refused learns truthfully when its next request will be accepted.
    private static RateLimitPartition<string> Bucket(string key, int permits, TimeSpan window)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, window.Ticks / Math.Max(1, permits)));
        var perPeriod = (int)Math.Max(1, Math.Round(permits * (double)period.Ticks / window.Ticks));
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, permits),
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}

/// <summary>Security headers on every response (pages, assets, API, errors), set just before the response starts.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = OperatorDashboard.IsDashboardPath(context.Request.Path)
                ? Security.DashboardContentSecurityPolicy
                : Security.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}

/// <summary>
/// Parley's own request-size limits (below Kestrel's raised ones), answered with problems: an over-long request target is
/// 414 <c>uri_too_long</c>, over-large headers are 431 <c>headers_too_large</c>.
/// </summary>
internal sealed class RequestGuardMiddleware(RequestDelegate next, IOptions<ParleyApiOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limits = options.Value;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path + context.Request.QueryString).ToString();
        if (target.Length > limits.MaxRequestTargetLength)
        {
            return Problems.WriteAsync(context, Problems.Create(ApiErrorCodes.UriTooLong,
                $"The request target is longer than {limits.MaxRequestTargetLength} characters."));
        }

        long size = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            size += name.Length + 4;
            foreach (var value in values)
            {
                size += value?.Length ?? 0;
            }
        }

        return size > limits.MaxRequestHeadersBytes
            ? Problems.WriteAsync(context, Problems.Create(ApiErrorCodes.HeadersTooLarge, $"The request headers are larger than {limits.MaxRequestHeadersBytes} bytes."))
            : next(context);
    }
}
