using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Parley.Abstractions;

namespace Parley.Api;

/// <summary>
/// Puts a dashboard (the Orleans Dashboard, which has no authentication of its own) behind the operator role, on every
/// route it maps: its page, its scripts and styles and its JSON data routes alike.
/// <para>
/// A browser cannot add a bearer header to a page load or to the dashboard's own data requests, so an operator opens a
/// dashboard session: <c>POST /api/operator/dashboard-session</c> with their bearer token (the web chat's or their identity
/// provider's) sets an HttpOnly, SameSite=Strict cookie holding that same token, scoped to <see cref="Path"/>. The token
/// in it is accepted only on <see cref="Path"/>, whose routes are all read-only GETs, so the cookie cannot be used against
/// the API; it expires with the token, and every request is validated (signature, lifetime, operator role) as a bearer is.
/// </para>
/// </summary>
public static class OperatorDashboard
{
    /// <summary>Where the dashboard is served.</summary>
    public const string Path = "/dashboard";

    /// <summary>The dashboard session cookie (a copy of the operator's bearer token, honoured under <see cref="Path"/> only).</summary>
    public const string CookieName = "parley-dashboard";

    /// <summary>
    /// Maps the dashboard with <paramref name="map"/> (given the endpoints and <see cref="Path"/>, for example
    /// <c>(e, path) =&gt; e.MapOrleansDashboard(path)</c>) and requires the operator role on every route it maps. The
    /// Orleans Dashboard's grain-state route is refused (404): it activates any grain by id and calls its parameterless
    /// methods, a way round the owner checks that operators do not need (they have <c>/api/operator/*</c>).
    /// </summary>
    public static RouteGroupBuilder MapOperatorDashboard(this IEndpointRouteBuilder endpoints, Func<IEndpointRouteBuilder, string, RouteGroupBuilder> map)
    {
        var group = map(endpoints, Path);
        group.RequireAuthorization(ParleyClaims.OperatorPolicy).ExcludeFromDescription();
        group.AddEndpointFilter((context, next) =>
            (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText?.EndsWith("/GrainState", StringComparison.OrdinalIgnoreCase) == true
                ? ValueTask.FromResult<object?>(Results.Problem(Problems.Create(ApiErrorCodes.NotFound,
                    "Parley turns off the dashboard's grain state view; read conversations and totals through /api/operator.")))
                : next(context));
        endpoints.ServiceProvider.GetRequiredService<OperatorDashboardState>().Mapped = true;
        return group;
    }

    /// <summary>True for the dashboard's paths (where the session cookie is honoured).</summary>
    public static bool IsDashboardPath(PathString path) => path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);

    /// <summary>JWT bearer hook: on a dashboard path without an Authorization header, the token is the session cookie's.</summary>
    internal static Task ReadSessionCookie(MessageReceivedContext context)
    {
        var request = context.Request;
        if (IsDashboardPath(request.Path) && !request.Headers.ContainsKey(HeaderNames.Authorization)
            && request.Cookies.TryGetValue(CookieName, out var token) && !string.IsNullOrEmpty(token))
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    /// <summary><c>POST /api/operator/dashboard-session</c>: copies the request's bearer token into the dashboard cookie.</summary>
    internal static IResult StartSession(HttpContext http, ClaimsPrincipal principal, OperatorDashboardState state)
    {
        if (!state.Mapped)
        {
            throw new ParleyException(ApiErrorCodes.NotFound, "The dashboard is turned off on this server (Parley:Dashboard:Enabled).");
        }

        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ParleyException(ApiErrorCodes.Unauthorized, "A dashboard session starts from a bearer token in the Authorization header.");
        }

        var expires = long.TryParse(principal.FindFirstValue("exp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : DateTimeOffset.UtcNow.AddHours(1);
        http.Response.Cookies.Append(CookieName, header[scheme.Length..].Trim(), CookieOptions(http, expires));
        return Results.Ok(new DashboardSessionResponse(Path + "/", expires));
    }

    /// <summary><c>DELETE /api/operator/dashboard-session</c>: removes the cookie (signing out of the web chat does this).</summary>
    internal static IResult EndSession(HttpContext http)
    {
        http.Response.Cookies.Delete(CookieName, CookieOptions(http, null));
        return Results.NoContent();
    }

    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset? expires) => new()
    {
        Path = Path,
        HttpOnly = true,
        SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        IsEssential = true,
        Expires = expires,
    };
}

/// <summary>Whether this host maps a dashboard (set by <see cref="OperatorDashboard.MapOperatorDashboard"/>).</summary>
public sealed class OperatorDashboardState
{
    /// <summary>True once the dashboard is mapped.</summary>
    public bool Mapped { get; set; }
}

/// <summary>A dashboard session was opened: where the dashboard is, and when the session (the token) expires.</summary>
public sealed record DashboardSessionResponse(string Url, DateTimeOffset Expires);
