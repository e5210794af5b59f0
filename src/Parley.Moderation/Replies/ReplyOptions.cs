namespace Parley.Moderation.Replies;

/// <summary>Reply settings (configuration section <c>Parley:Replies</c>).</summary>
public sealed class ReplyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Replies";

    /// <summary>The locale used when a conversation has none, or one without its own resources.</summary>
    public string DefaultLocale { get; set; } = "en-US";

    /// <summary>
    /// Crisis resources by locale (<c>en-GB</c>) or language (<c>en</c>), one line each.
    /// Looked up by exact locale, then by region-less language, then <see cref="DefaultLocale"/>.
    /// </summary>
    public Dictionary<string, string[]> CrisisResources { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en-US"] =
        [
            "Call or text 988 (the 988 Suicide & Crisis Lifeline, 24/7), or chat at 988lifeline.org.",
            "If you or someone else is in immediate danger, call 911.",
        ],
        ["en-GB"] =
        [
            "Call Samaritans free on 116 123 (24/7), or email jo@samaritans.org.",
            "Text SHOUT to 85258 for the Shout crisis text line.",
            "If you or someone else is in immediate danger, call 999.",
        ],
        ["en-IE"] =
        [
            "Call Samaritans free on 116 123 (24/7).",
            "Text HELLO to 50808 for a free crisis text service.",
            "If you or someone else is in immediate danger, call 112 or 999.",
        ],
        ["en"] =
        [
            "Contact your local emergency services if you or someone else is in immediate danger.",
            "A local crisis line can talk with you right now; findahelpline.com lists them by country.",
        ],
    };

    /// <summary>Maximum length of a reply produced by a chat model, in characters; longer replies are cut.</summary>
    public int MaxReplyLength { get; set; } = 8000;

    /// <summary>The resources for <paramref name="locale"/>, falling back as described on <see cref="CrisisResources"/>.</summary>
    public IReadOnlyList<string> ResourcesFor(string? locale)
    {
        foreach (var key in Candidates(locale))
        {
            if (key is not null && CrisisResources.TryGetValue(key, out var lines) && lines.Length > 0)
            {
                return lines;
            }
        }

        return ["If you or someone else is in immediate danger, contact your local emergency services now."];
    }

    private IEnumerable<string?> Candidates(string? locale)
    {
        yield return locale;
        yield return locale?.Split('-')[0];
        yield return DefaultLocale;
        yield return DefaultLocale.Split('-')[0];
    }
}
