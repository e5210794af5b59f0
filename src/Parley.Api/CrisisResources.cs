using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Parley.Moderation.Replies;

namespace Parley.Api;

/// <summary>A crisis resource as structured data: its sentence and the ways to reach it (phone, text message, site, email).</summary>
/// <param name="Text">The resource's sentence, as configured (<c>Parley:Replies:CrisisResources</c>).</param>
/// <param name="Links">Links found in it: <c>tel:</c>, <c>sms:</c>, <c>https:</c> and <c>mailto:</c>, in the order they appear.</param>
public sealed record CrisisResourceResponse(string Text, IReadOnlyList<CrisisLinkResponse> Links);

/// <summary>One way to reach a crisis resource.</summary>
/// <param name="Kind"><c>phone</c>, <c>text</c>, <c>site</c> or <c>email</c>.</param>
/// <param name="Label">What to show, e.g. <c>116 123</c> or <c>988lifeline.org</c>.</param>
/// <param name="Href">The link: <c>tel:116123</c>, <c>sms:85258?body=SHOUT</c>, <c>https://988lifeline.org</c>, <c>mailto:jo@samaritans.org</c>.</param>
public sealed record CrisisLinkResponse(string Kind, string Label, string Href);

/// <summary>
/// The crisis resources of <c>Parley:Replies</c> (the same settings, bound the same way, as the silo's reply composer) by
/// locale, turned once into structured entries with their phone numbers, text lines, sites and emails as links, so the web
/// chat shows a resource card without reading the reply text.
/// </summary>
public sealed partial class CrisisResources
{
    private readonly ReplyOptions _options = new();
    private readonly Dictionary<string, IReadOnlyList<CrisisResourceResponse>> _byLocale = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>Reads <c>Parley:Replies</c> from <paramref name="configuration"/>.</summary>
    public CrisisResources(IConfiguration configuration) => configuration.GetSection(ReplyOptions.Section).Bind(_options);

    /// <summary>The structured resources for a conversation's locale (same fallback as the reply: locale, language, default).</summary>
    public IReadOnlyList<CrisisResourceResponse> For(string? locale)
    {
        var key = locale ?? "";
        lock (_gate)
        {
            if (!_byLocale.TryGetValue(key, out var resources))
            {
                resources = _options.ResourcesFor(locale).Select(Parse).ToList();
                _byLocale[key] = resources;
            }

            return resources;
        }
    }

    /// <summary>Finds the links in one configured resource sentence.</summary>
    public static CrisisResourceResponse Parse(string text)
    {
        var links = new List<(int At, CrisisLinkResponse Link)>();
        var taken = new List<(int From, int To)>();
        bool Free(Match m) => !taken.Exists(t => m.Index < t.To && t.From < m.Index + m.Length);
        void Add(Match m, CrisisLinkResponse link, Group? span = null)
        {
            var g = span ?? m.Groups[0];
            taken.Add((g.Index, g.Index + g.Length));
            links.Add((g.Index, link));
        }

        foreach (Match m in EmailPattern().Matches(text))
        {
            Add(m, new("email", m.Value, "mailto:" + m.Value));
        }

        foreach (Match m in SitePattern().Matches(text))
        {
            if (Free(m))
            {
                Add(m, new("site", m.Value, "https://" + m.Value));
            }
        }

        // "Text SHOUT to 85258": a text message with its keyword.
        foreach (Match m in TextKeywordPattern().Matches(text))
        {
            var number = m.Groups["number"];
            Add(m, new("text", $"Text {m.Groups["word"].Value} to {number.Value}", $"sms:{Digits(number.Value)}?body={Uri.EscapeDataString(m.Groups["word"].Value)}"), number);
        }

        // "Call or text 988": both a call and a text; every other number is a phone number.
        var callOrText = CallOrTextPattern().Match(text);
        foreach (Match m in NumberPattern().Matches(text))
        {
            if (!Free(m))
            {
                continue;
            }

            Add(m, new("phone", m.Value, "tel:" + Digits(m.Value)));
            if (callOrText.Success && callOrText.Groups["number"].Index == m.Index)
            {
                links.Add((m.Index, new("text", "Text " + m.Value, "sms:" + Digits(m.Value))));
            }
        }

        return new CrisisResourceResponse(text, links.OrderBy(l => l.At).Select(l => l.Link).DistinctBy(l => l.Href).ToList());
    }

    private static string Digits(string s) => new(s.Where(char.IsAsciiDigit).ToArray());

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b(?:[a-z0-9-]+\.)+(?:org|com|net|info|uk|ie|us|ca|au|nz|de|fr)\b(?:/[^\s,;)]*[^\s,;.)])?", RegexOptions.IgnoreCase)]
    private static partial Regex SitePattern();

    [GeneratedRegex(@"\btext (?<word>[A-Z]{2,}) to (?<number>\d[\d ]{2,10}\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TextKeywordPattern();

    [GeneratedRegex(@"\bcall or text (?<number>\d[\d ]{1,10}\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CallOrTextPattern();

    [GeneratedRegex(@"(?<![\w./])\d{2,4}(?: \d{3,4})?(?![\w/]|\.\w)")]
    private static partial Regex NumberPattern();
}
