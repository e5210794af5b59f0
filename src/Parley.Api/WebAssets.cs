using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Parley.Abstractions;

namespace Parley.Api;

/// <summary>
/// Serves the web chat and the API page from resources embedded in this assembly (no front-end build step). The pages
/// carry no inline script or style (the Content-Security-Policy forbids them); the chat page's input limits are filled in
/// from <see cref="InputRules"/> when it is served.
/// </summary>
internal static class WebAssets
{
    private static readonly Assembly Assembly = typeof(WebAssets).Assembly;

    private static readonly Lazy<string> IndexPage = new(() =>
    {
        using var reader = new StreamReader(Assembly.GetManifestResourceStream("parley.web.index.html")!);
        return reader.ReadToEnd()
            .Replace("{{maxMessageLength}}", InputRules.MaxMessageLength.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{maxFeedbackLength}}", InputRules.MaxFeedbackLength.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    });

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Content(IndexPage.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        // A deep link to one conversation: the same page, which opens it after sign-in.
        endpoints.MapGet("/c/{id}", (string id) => Results.Content(IndexPage.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        endpoints.MapGet("/help", () => Serve("help.html")).ExcludeFromDescription();
        endpoints.MapGet("/api/docs", () => Serve("docs.html")).ExcludeFromDescription();
        // The operators' page: it signs in with the web chat's token (or a pasted one) and reads /api/operator/summary.
        endpoints.MapGet("/operator", () => Serve("operator.html")).ExcludeFromDescription();
        endpoints.MapGet("/assets/{name}", (string name) => Serve(name)).ExcludeFromDescription();
    }

    private static IResult Serve(string name)
    {
        var stream = Assembly.GetManifestResourceStream("parley.web." + name);
        if (stream is null)
        {
            return Results.Problem(Problems.Create(ApiErrorCodes.NotFound, "No such asset."));
        }

        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".js" or ".mjs" => "text/javascript; charset=utf-8",
            ".txt" => "text/plain; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return Results.Stream(stream, type);
    }
}
