using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Parley.Api;

/// <summary>Serves the web chat and the API page from resources embedded in this assembly (no front-end build step).</summary>
internal static class WebAssets
{
    private static readonly Assembly Assembly = typeof(WebAssets).Assembly;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Serve("index.html")).ExcludeFromDescription();
        endpoints.MapGet("/api/docs", () => Serve("docs.html")).ExcludeFromDescription();
        endpoints.MapGet("/assets/{name}", (string name) => Serve(name)).ExcludeFromDescription();
    }

    private static IResult Serve(string name)
    {
        var stream = Assembly.GetManifestResourceStream("parley.web." + name);
        if (stream is null)
        {
            return Results.Problem(Problems.Create(ApiErrorCodes.NotFound, $"No asset '{name}'."));
        }

        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return Results.Stream(stream, type);
    }
}
