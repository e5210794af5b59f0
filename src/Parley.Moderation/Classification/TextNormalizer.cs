using System.Globalization;
using System.Text;

namespace Parley.Moderation.Classification;

/// <summary>
/// Folds a message to a canonical form that defeats common evasions: Unicode lookalikes, fullwidth and "fancy"
/// letters, accents, zero-width characters, leetspeak, symbol masking, spaced and stretched letters, case games.
/// The result is lower-case Latin words separated by single spaces (punctuation dropped, contractions expanded).
/// </summary>
/// <remarks>
/// The project runs with invariant globalization, where <see cref="string.Normalize()"/> is unavailable, so the
/// compatibility folding the classifier needs (a practical subset of NFKC plus accent stripping) is done here by table.
/// </remarks>
public static partial class TextNormalizer
{
    /// <summary>Longest input considered; longer messages are truncated to keep classification bounded.</summary>
    public const int MaxInputLength = 4000;

    // Lookalike and accent folding for the BMP, built once. '\0' means "no mapping".
    private static readonly char[] Fold = BuildFoldTable();

    /// <summary>Normalizes <paramref name="text"/> to space-separated canonical words.</summary>
    public static string Normalize(string text)
    {
        var words = new List<string>(32);
        Tokenize(text, words, capitalized: null);
        return string.Join(' ', words);
    }

    /// <summary>
    /// Normalizes into <paramref name="words"/>. When <paramref name="capitalized"/> is given it receives, per word,
    /// whether the original started with an upper-case letter and was not all upper-case (a hint for names).
    /// </summary>
    internal static void Tokenize(string text, List<string> words, List<bool>? capitalized)
    {
        words.Clear();
        capitalized?.Clear();
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var raw = new List<RawToken>(32);
        SplitRaw(text.Length > MaxInputLength ? text[..MaxInputLength] : text, raw);
        JoinSpacedLetters(raw);

        // In an all-caps message ("YOU ARE A USELESS PIECE OF GARBAGE") capitals say nothing about names.
        var shouting = capitalized is not null && !text.AsSpan(0, Math.Min(text.Length, MaxInputLength)).ContainsAnyInRange('a', 'z');
        foreach (var t in raw)
        {
            var w = FoldWord(t.Text);
            if (w.Length == 0)
            {
                continue;
            }

            var start = words.Count;
            Expand(w, words);
            if (capitalized is not null)
            {
                for (var i = start; i < words.Count; i++)
                {
                    capitalized.Add(i == start && t.Capitalized && !shouting);
                }
            }
        }
    }

    private readonly record struct RawToken(string Text, bool TightBefore, bool Capitalized, int GapBefore = 1);

    /// <summary>Splits into raw word-ish tokens, folding characters and remembering how each token was separated.</summary>
    private static void SplitRaw(string text, List<RawToken> raw)
    {
        var sb = new StringBuilder(16);
        var sepHadSpace = true; // start of text counts as a wide separator
        var sepLen = 0;
        var pendingTight = false;
        var pendingGap = 0;
        var sentenceStart = true;
        var pendingSentenceStart = true;
        var firstUpper = false;
        var anyLower = false;
        var laterUpper = false;
        var letters = 0;

        void Flush()
        {
            if (sb.Length > 0)
            {
                var token = sb.ToString();
                var cap = firstUpper && !laterUpper && (anyLower || letters == 1)
                    && !(pendingSentenceStart && Lexicon.CommonStarters.Contains(token));
                raw.Add(new RawToken(token, pendingTight, cap, pendingGap));
                sb.Clear();
            }

            firstUpper = anyLower = laterUpper = false;
            letters = 0;
            sepHadSpace = false;
            sepLen = 0;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int cp = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }

            var cat = cp < 0x10000 ? CharUnicodeInfo.GetUnicodeCategory((char)cp) : CharUnicodeInfo.GetUnicodeCategory(cp);

            // Zero-width, format characters and combining marks never split a word: they are evasion glue.
            if (cat is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                || cp == 0x00AD || cp == 0x034F)
            {
                continue;
            }

            var f = FoldCodePoint(cp, out var wasUpper);
            if (f == '\0')
            {
                // A separator. Remember whether it was "tight" (f.u.c.k, k-i-l-l) or contained whitespace.
                if (sb.Length > 0)
                {
                    Flush();
                }

                if (char.IsWhiteSpace(c) || sepLen > 1)
                {
                    sepHadSpace = true;
                }

                if (c is '.' or '?' or '\n' or ':' or ';' or '"')
                {
                    sentenceStart = true;
                }

                sepLen++;
                continue;
            }

            if (IsMaskSymbol(f))
            {
                // '!' only masks a letter when a letter follows (sh!t), otherwise it is punctuation.
                var nextIsWord = i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]);
                if (f == '!' && !(sb.Length > 0 && nextIsWord))
                {
                    sentenceStart = true;
                    if (sb.Length > 0)
                    {
                        Flush();
                    }

                    sepHadSpace = true;
                    sepLen++;
                    continue;
                }

                // A lone '*' or '#' between spaces is not a word.
                if (sb.Length == 0 && !nextIsWord && f != '$' && f != '@')
                {
                    sepLen++;
                    continue;
                }
            }

            if (sb.Length == 0)
            {
                pendingTight = !sepHadSpace && sepLen == 1 && raw.Count > 0;
                pendingGap = sepLen;
                pendingSentenceStart = sentenceStart;
                sentenceStart = false;
                firstUpper = wasUpper;
            }

            if (char.IsLetter(f))
            {
                letters++;
                if (!wasUpper)
                {
                    anyLower = true;
                }
                else if (sb.Length > 0)
                {
                    laterUpper = true; // "ArE", "StUpId": case games, not a name
                }
            }

            sb.Append(f);
        }

        Flush();
    }

    private static bool IsMaskSymbol(char c) => c is '@' or '$' or '*' or '!' or '#' or '%';
}
