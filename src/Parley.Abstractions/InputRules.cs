using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Abstractions;

/// <summary>
/// The one definition of what user input Parley accepts: message, feedback, title and locale limits and the cleaning of
/// text. The HTTP API, the conversation grain and the web page (its <c>maxlength</c> attributes) all use these values.
/// </summary>
public static partial class InputRules
{
    /// <summary>Longest accepted user message (and edited message), in characters after cleaning.</summary>
    public const int MaxMessageLength = 4000;

    /// <summary>Longest accepted written feedback, in characters after cleaning.</summary>
    public const int MaxFeedbackLength = 2000;

    /// <summary>Longest accepted conversation title, in characters after cleaning.</summary>
    public const int MaxTitleLength = 80;

    /// <summary>Longest accepted locale tag (BCP 47 recommends supporting at least 35 characters).</summary>
    public const int MaxLocaleLength = 35;

    /// <summary>Longest accepted client message id (idempotency key).</summary>
    public const int MaxClientMessageIdLength = 128;

    /// <summary>
    /// Cleans user text: line endings become <c>\n</c>, control characters other than newline and tab are removed, and
    /// surrounding white space is trimmed. Invisible formatting characters (zero-width joiners in emoji, for instance) are kept.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var normalized = text.ReplaceLineEndings("\n");
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (c is '\n' or '\t' || !char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    /// <summary>True when the text has nothing visible: only white space, control and invisible formatting characters (zero-width space, joiners, BOM...).</summary>
    public static bool IsBlank(string? text)
    {
        foreach (var c in text ?? "")
        {
            if (!char.IsWhiteSpace(c) && !char.IsControl(c) && char.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A cleaned message; <c>message_empty</c> when nothing visible is left, <c>message_too_long</c> above <see cref="MaxMessageLength"/>.</summary>
    public static string Message(string? text) => Bounded(text, MaxMessageLength, "message");

    /// <summary>Cleaned written feedback; <c>message_empty</c> or <c>message_too_long</c> (above <see cref="MaxFeedbackLength"/>).</summary>
    public static string Feedback(string? text) => Bounded(text, MaxFeedbackLength, "feedback");

    /// <summary>A cleaned title on one line; null when none was given; <c>invalid_request</c> above <see cref="MaxTitleLength"/>.</summary>
    public static string? Title(string? text)
    {
        var title = Clean(text).Replace('\n', ' ').Replace('\t', ' ');
        if (IsBlank(title))
        {
            return null;
        }

        return title.Length <= MaxTitleLength
            ? title
            : throw new InvalidRequestException(ErrorCodes.InvalidRequest, $"A title is at most {MaxTitleLength} characters.");
    }

    /// <summary>A title made from a message: its start on one line, clipped to <see cref="MaxTitleLength"/> with an ellipsis.</summary>
    public static string TitleFrom(string text)
    {
        var title = Clean(text).Replace('\n', ' ').Replace('\t', ' ');
        return title.Length <= MaxTitleLength ? title : title[..(MaxTitleLength - 1)] + "…";
    }

    /// <summary>
    /// A locale: null when none was given, else a well-formed BCP 47 language tag of at most <see cref="MaxLocaleLength"/>
    /// characters (for example <c>en-GB</c>, <c>zh-Hant-TW</c>); anything else is <c>invalid_request</c>.
    /// </summary>
    public static string? Locale(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return null;
        }

        var tag = locale.Trim();
        return tag.Length <= MaxLocaleLength && LanguageTag().IsMatch(tag)
            ? tag
            : throw new InvalidRequestException(ErrorCodes.InvalidRequest,
                $"locale must be a BCP 47 language tag such as \"en-GB\" of at most {MaxLocaleLength} characters.");
    }

    /// <summary>A client message id: 1 to <see cref="MaxClientMessageIdLength"/> printable ASCII characters, else <c>invalid_request</c>.</summary>
    public static string ClientMessageId(string? id)
    {
        var value = id?.Trim() ?? "";
        return value.Length is > 0 and <= MaxClientMessageIdLength && value.All(c => c is >= '!' and <= '~')
            ? value
            : throw new InvalidRequestException(ErrorCodes.InvalidRequest,
                $"A client message id of 1 to {MaxClientMessageIdLength} printable ASCII characters is required (Idempotency-Key header or clientMessageId field).");
    }

    private static string Bounded(string? text, int max, string what)
    {
        var clean = Clean(text);
        if (IsBlank(clean))
        {
            throw new InvalidRequestException(ErrorCodes.MessageEmpty, what == "message" ? "The message is empty." : "Feedback text is empty.");
        }

        return clean.Length <= max
            ? clean
            : throw new InvalidRequestException(ErrorCodes.MessageTooLong,
                what == "message" ? $"The message is longer than {max} characters." : $"Feedback is longer than {max} characters.");
    }

    // RFC 5646 langtag (well-formed, not registry-checked): language[-script][-region]*(-variant)*(-extension)[-privateuse],
    // or a private-use tag alone. ASCII letters only (no case-insensitive matching, which would admit the Kelvin sign).
    [GeneratedRegex(@"^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?|[Xx](?:-[A-Za-z0-9]{1,8})+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
