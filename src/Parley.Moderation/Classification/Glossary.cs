using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

/// <summary>
/// A word-by-word English gloss of messages written in other languages ("tengo las pastillas aquí" → "i have the pills here").
/// The sentence encoder and most rules read English only; a rough gloss lets them read the common words of fourteen other
/// languages (Spanish, Portuguese, French, German, Italian, Dutch, Polish, Turkish, Indonesian, Tagalog, romanized Hindi,
/// Russian, Ukrainian, Vietnamese). The dictionary (<c>Classification/glossary.tsv</c>: language, word, English) was
/// written from general knowledge of those languages, not from any evaluation data.
/// </summary>
public static partial class Glossary
{
    /// <summary>
    /// Common English words: they are never evidence that a message is in another language, so "no i am in a meeting" is not
    /// glossed for its Spanish "no", "a" and "me".
    /// </summary>
    private static readonly FrozenSet<string> CommonEnglish = (
        "a an the and or but if so to of in on at by for with from into onto about as than then too very just only also not no yes "
        + "i me my mine myself you your yours we us our they them their he him his she her it its this that these those there here "
        + "is am are was were be been being do does did done have has had having will would shall should can could may might must "
        + "what who whom whose which when where why how all any some none each every both either neither more most less few many much "
        + "up down out off over under again once now today tonight tomorrow yesterday ok okay hi hey hello bye thanks thank please sorry "
        + "go going gone get got make made take took give gave tell told say said see saw know knew think thought want need like love "
        + "good bad big small new old first last one two three time day night way thing things man men people life world help stop end "
        + "chat bot ai yeah yep nope sure fine well still even really already never always ever maybe because while after before"
        ).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    // Per language, word → English (accent-stripped spellings included). After CommonEnglish, which Load reads.
    private static readonly FrozenDictionary<string, string>[] Languages = Load();

    /// <summary>
    /// The message glossed into English when it reads as another language, otherwise null. The language is the one whose
    /// dictionary holds the most of the message's words that are not also common English; it reads as that language when
    /// those are at least a third of its words and outnumber its common English words that language does not share
    /// ("no", "me" and "a" are Spanish too). Each word is glossed in that language first, then in any other; words no
    /// dictionary holds stay as they are, so the English of a code-switched message ("tengo todo listo for tonight") survives.
    /// </summary>
    public static string? ToEnglish(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || Languages.Length == 0)
        {
            return null;
        }

        // Words with digits ("t0n1ght") and single letters ("i w a n t") are evasion or noise, not a language: they count as
        // words but never as evidence, so leetspeak and spaced letters stay for the normalizer to fold. Each word is lower-cased
        // and stripped of accents once, then looked up in every language.
        var matches = Token().Matches(text);
        var words = new (string Lower, string Plain, bool Digits)[matches.Count];
        for (var i = 0; i < words.Length; i++)
        {
            var lower = matches[i].Value.ToLowerInvariant();
            var digits = lower.Any(char.IsDigit);
            words[i] = (lower, digits ? lower : StripMarks(lower), digits);
        }

        FrozenDictionary<string, string>? best = null;
        var bestHits = 0;
        foreach (var language in Languages)
        {
            var hits = words.Count(w => w.Lower.Length > 1 && !w.Digits && !CommonEnglish.Contains(w.Lower) && Lookup(language, w.Lower, w.Plain) is not null);
            if (hits > bestHits)
            {
                (best, bestHits) = (language, hits);
            }
        }

        var english = words.Count(w => CommonEnglish.Contains(w.Lower) && Lookup(best, w.Lower, w.Plain) is null);
        if (best is null || bestHits * 3 < words.Length || bestHits <= english)
        {
            return null;
        }

        var glossed = new StringBuilder(text.Length + 16);
        var at = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var (lower, plain, digits) = words[i];
            var m = matches[i];
            glossed.Append(text, at, m.Index - at);
            var gloss = digits ? null
                : Lookup(best, lower, plain) ?? Languages.Select(l => Lookup(l, lower, plain)).FirstOrDefault(g => g is not null);
            glossed.Append(gloss ?? m.Value);
            at = m.Index + m.Length;
        }

        return glossed.Append(text, at, text.Length - at).ToString();
    }

    private static string? Lookup(FrozenDictionary<string, string>? language, string lower, string plain) =>
        language is not null && (language.TryGetValue(lower, out var g) || language.TryGetValue(plain, out g)) ? g : null;

    /// <summary>"aquí" → "aqui", "überhaupt" → "uberhaupt": users often type without accents.</summary>
    private static string StripMarks(string s)
    {
        if (s.All(char.IsAscii))
        {
            return s;
        }

        var d = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var c in d)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c);
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static FrozenDictionary<string, string>[] Load()
    {
        using var stream = typeof(Glossary).Assembly.GetManifestResourceStream("Parley.Moderation.glossary.tsv");
        if (stream is null)
        {
            return [];
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var languages = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var cols = line.Split('\t');
            if (cols.Length == 3 && !line.StartsWith('#') && cols[1].Trim().ToLowerInvariant() is { Length: > 0 } word && cols[2].Trim() is { Length: > 0 } gloss)
            {
                if (!languages.TryGetValue(cols[0], out var map))
                {
                    languages[cols[0]] = map = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                // The first entry for a spelling wins; an accent-stripped spelling only where the language has no such word.
                map.TryAdd(word, gloss);
            }
        }

        return languages.Values.Select(map =>
        {
            foreach (var (word, gloss) in map.ToList())
            {
                map.TryAdd(StripMarks(word), gloss);
            }

            return map.ToFrozenDictionary(StringComparer.Ordinal);
        }).ToArray();
    }

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
