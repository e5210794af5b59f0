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

    /// <summary>Folds one code point to a lower-case ASCII letter/digit, an apostrophe, a mask symbol, or '\0' (separator).</summary>
    private static char FoldCodePoint(int cp, out bool wasUpper)
    {
        wasUpper = false;
        if (cp < 0x80)
        {
            var c = (char)cp;
            if (c is >= 'A' and <= 'Z')
            {
                wasUpper = true;
                return (char)(c + 32);
            }

            if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '\'' or '`')
            {
                return c == '`' ? '\'' : c;
            }

            return IsMaskSymbol(c) ? c : '\0';
        }

        if (cp < 0x10000)
        {
            var m = Fold[cp];
            if (m != '\0')
            {
                wasUpper = char.IsUpper((char)cp);
                return m;
            }

            return '\0';
        }

        // Mathematical alphanumeric symbols (bold, italic, script, fraktur, double-struck...): 52-letter blocks.
        if (cp is >= 0x1D400 and <= 0x1D6A3)
        {
            var k = (cp - 0x1D400) % 52;
            wasUpper = k < 26;
            return (char)('a' + (k % 26));
        }

        if (cp is >= 0x1D7CE and <= 0x1D7FF)
        {
            return (char)('0' + ((cp - 0x1D7CE) % 10));
        }

        // Squared / circled / negative Latin capitals and regional indicator letters.
        foreach (var start in EnclosedCapitalStarts)
        {
            if (cp >= start && cp < start + 26)
            {
                wasUpper = true;
                return (char)('a' + (cp - start));
            }
        }

        return '\0';
    }

    private static readonly int[] EnclosedCapitalStarts = [0x1F130, 0x1F150, 0x1F170, 0x1F1E6];

    private static char[] BuildFoldTable()
    {
        var t = new char[0x10000];

        // Fullwidth ASCII (NFKC).
        for (var c = 0xFF01; c <= 0xFF5E; c++)
        {
            var a = (char)(c - 0xFEE0);
            t[c] = a is >= 'A' and <= 'Z' ? (char)(a + 32) : (char.IsLetterOrDigit(a) || a is '\'' || IsMaskSymbol(a) ? a : '\0');
        }

        // Circled letters and digits.
        for (var i = 0; i < 26; i++)
        {
            t[0x24B6 + i] = (char)('a' + i);
            t[0x24D0 + i] = (char)('a' + i);
        }

        for (var i = 0; i < 9; i++)
        {
            t[0x2460 + i] = (char)('1' + i);
        }

        void Map(string from, char to)
        {
            foreach (var ch in from)
            {
                t[ch] = to;
            }
        }

        // Accented Latin (what NFD + mark removal would give) and lookalikes from Cyrillic, Greek, IPA, small caps.
        Map("ÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎȀȁȂȃȦȧАаΑαάΆɑᴀ@", 'a');
        Map("ßБВЬъьβвʙ", 'b');
        Map("ÇçĆćĈĉĊċČčСсϲᴄ", 'c');
        Map("ĎďĐđԁɗᴅ", 'd');
        Map("ÈÉÊËèéêëĒēĔĕĖėĘęĚěЕеЁёЄєΕεέΈᴇ", 'e');
        Map("ƒϝ", 'f');
        Map("ĜĝĞğĠġĢģɡɢ", 'g');
        Map("ĤĥĦħНнһΗηʜ", 'h');
        Map("ÌÍÎÏìíîïĨĩĪīĬĭĮįİıІіЇїΙιίΊɪ", 'i');
        Map("ĴĵЈјϳ", 'j');
        Map("ĶķКкΚκᴋ", 'k');
        Map("ĹĺĻļĽľĿŀŁłӏʟ", 'l');
        Map("МмΜᴍ", 'm');
        Map("ÑñŃńŅņŇňΝνɴпП", 'n');
        Map("ÒÓÔÕÖØòóôõöøŌōŎŏŐőОоΟοόΌσᴏ", 'o');
        Map("РрΡρᴘ", 'p');
        Map("ԛ", 'q');
        Map("ŔŕŖŗŘřгГʀ", 'r');
        Map("ŚśŜŝŞşŠšЅѕ$", 's');
        Map("ŢţŤťŦŧТтΤτᴛ", 't');
        Map("ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųμυᴜ", 'u');
        Map("νѵᴠ", 'v');
        Map("ŴŵԝᴡшШ", 'w');
        Map("ХхΧχ×", 'x');
        Map("ÝýÿŶŷŸУуҮүΥΎγ", 'y');
        Map("ŹźŻżŽžΖᴢ", 'z');
        Map("\u2019\u2018\u02BC\u00B4", '\'');
        return t;
    }

    /// <summary>Folds leetspeak, masking and stretching inside one raw token.</summary>
    private static string FoldWord(string w)
    {
        // Handles/mentions (@someone) carry no meaning for moderation.
        if (w.Length > 4 && w[0] == '@')
        {
            return string.Empty;
        }

        var hasLetter = false;
        var hasOther = false;
        foreach (var c in w)
        {
            if (c is >= 'a' and <= 'z')
            {
                hasLetter = true;
            }
            else if (c != '\'')
            {
                hasOther = true;
            }
        }

        if (!hasLetter)
        {
            // Pure numbers stay numbers; pure symbols vanish, except a masked word like "$#!%" which says little anyway.
            return IsDigits(w) ? w : (w.Contains('$') && w.Length <= 3 ? "s" : string.Empty);
        }

        if (hasOther && IsNumberWithUnit(w))
        {
            // 3pm, 2nd, 500mg, 12yo: ordinary numbers with a unit are not leetspeak.
            return w;
        }

        if (hasOther)
        {
            w = w.Contains('*') || w.Contains('#') || w.Contains('%') ? Unmask(w) : Leet(w);
        }

        return Destretch(w);
    }

    private static bool IsNumberWithUnit(string w)
    {
        var i = 0;
        while (i < w.Length && w[i] is >= '0' and <= '9')
        {
            i++;
        }

        if (i == 0 || w.Length - i > 3)
        {
            return false;
        }

        for (var k = i; k < w.Length; k++)
        {
            if (w[k] is < 'a' or > 'z')
            {
                return false;
            }
        }

        return !Lexicon.IsKnown(Leet(w));
    }

    private static bool IsDigits(string w)
    {
        foreach (var c in w)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static string Leet(string w)
    {
        // Digits inside a word that has letters are leetspeak: k1ll, 5h1t, 1d10t. 1 is i, or l when that makes a known word.
        var a = new StringBuilder(w.Length);
        var hasOne = false;
        foreach (var c in w)
        {
            a.Append(c switch
            {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' => 'a',
                '5' => 's',
                '7' => 't',
                '8' => 'b',
                '@' => 'a',
                '$' => 's',
                '!' => 'i',
                _ => c,
            });
            hasOne |= c is '1' or '!';
        }

        var s = a.ToString();
        if (hasOne && !Lexicon.IsKnown(Destretch(s)))
        {
            var l = s.ToCharArray();
            for (var i = 0; i < w.Length; i++)
            {
                if (w[i] is '1' or '!')
                {
                    l[i] = 'l';
                }
            }

            var alt = new string(l);
            if (Lexicon.IsKnown(Destretch(alt)))
            {
                return alt;
            }
        }

        return s;
    }

    private static string Unmask(string w)
    {
        // Masked profanity: f*ck, f**k, sh*t, b*tch, c#nt. Match the visible letters against known masked-able words.
        var leet = Leet(w.Replace('*', '\u0001').Replace('#', '\u0001').Replace('%', '\u0001'));
        foreach (var candidate in Lexicon.Maskable)
        {
            if (MaskMatches(leet, 0, candidate, 0))
            {
                return candidate;
            }
        }

        return leet.Replace("\u0001", string.Empty);
    }

    // Each run of mask characters stands for 1..3 hidden letters; at least one letter must be visible.
    private static bool MaskMatches(string m, int i, string word, int j)
    {
        while (true)
        {
            if (i == m.Length)
            {
                return j == word.Length;
            }

            if (m[i] == '\u0001')
            {
                var run = 0;
                while (i < m.Length && m[i] == '\u0001')
                {
                    i++;
                    run++;
                }

                for (var take = 1; take <= Math.Max(run, 3) && j + take <= word.Length; take++)
                {
                    if (MaskMatches(m, i, word, j + take))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (j == word.Length || m[i] != word[j])
            {
                return false;
            }

            i++;
            j++;
        }
    }

    /// <summary>Collapses stretched letters: runs of 3+ become 2, or 1 when that gives a known word (fuuuck → fuck).</summary>
    internal static string Destretch(string w)
    {
        var hasRun = false;
        for (var i = 2; i < w.Length; i++)
        {
            if (w[i] == w[i - 1] && w[i] == w[i - 2])
            {
                hasRun = true;
                break;
            }
        }

        if (!hasRun)
        {
            return w;
        }

        var two = Collapse(w, 2);
        if (Lexicon.IsKnown(two))
        {
            return two;
        }

        return Lexicon.TryGetByDedup(Collapse(w, 1), out var known) ? known : two;
    }

    internal static string Collapse(string w, int max)
    {
        var sb = new StringBuilder(w.Length);
        var run = 0;
        for (var i = 0; i < w.Length; i++)
        {
            run = i > 0 && w[i] == w[i - 1] ? run + 1 : 1;
            if (run <= max)
            {
                sb.Append(w[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>Joins runs of single letters: "f.u.c.k" and "k-i-l-l" always, "f u c k" when the result is a known word.</summary>
    private static void JoinSpacedLetters(List<RawToken> raw)
    {
        for (var i = 0; i < raw.Count; i++)
        {
            if (!IsSingle(raw[i].Text))
            {
                continue;
            }

            // "t h i s  i s": a wider gap than the one between letters marks a word boundary.
            var j = i + 1;
            var allTight = true;
            var letterGap = j < raw.Count ? raw[j].GapBefore : 1;
            while (j < raw.Count && IsSingle(raw[j].Text) && raw[j].GapBefore <= letterGap)
            {
                allTight &= raw[j].TightBefore;
                j++;
            }

            var n = j - i;
            var spacedWords = n >= 2 && ((j < raw.Count && raw[j].GapBefore > letterGap) || (i > 0 && raw[i].GapBefore > letterGap));
            if (n >= 3 || spacedWords)
            {
                var sb = new StringBuilder(n);
                for (var k = i; k < j; k++)
                {
                    sb.Append(raw[k].Text);
                }

                var joined = sb.ToString();
                var folded = FoldWord(joined);
                var segmented = n >= 5 && !Lexicon.IsKnown(folded) ? Segment(folded) : null;
                if (allTight || spacedWords || Lexicon.IsKnown(folded) || Lexicon.IsKnown(folded.TrimEnd('s')) || segmented is { Count: > 1 })
                {
                    raw[i] = new RawToken(joined, raw[i].TightBefore, raw[i].Capitalized);
                    raw.RemoveRange(i + 1, n - 1);
                    // "l a m e b o t", "L.O.S.E.R B.O.T": letters of several words run together; split them into known words.
                    if (segmented is { Count: > 1 } parts)
                    {
                        raw[i] = new RawToken(parts[0], raw[i].TightBefore, raw[i].Capitalized);
                        for (var k = 1; k < parts.Count; k++)
                        {
                            raw.Insert(i + k, new RawToken(parts[k], false, false));
                        }

                        i += parts.Count - 1;
                    }

                    continue;
                }
            }

            i = j - 1;
        }
    }

    // Short words that glue insults together in spaced-out abuse; with the lexicons they segment "stupidbot", "fuckyou".
    private static readonly HashSet<string> SegmentWords = new(StringComparer.Ordinal)
    {
        "you", "u", "are", "r", "a", "an", "the", "bot", "ai", "machine", "off", "up", "me", "your", "ur", "so", "is", "piece",
        "of", "go", "to", "hell", "die", "i", "hate", "kill", "yourself", "shut", "stupid", "useless", "worthless", "dumb",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> SegmentWordsBySpan =
        SegmentWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Splits a run of letters into the fewest known words (lexicons plus <see cref="SegmentWords"/>), or null.</summary>
    private static List<string>? Segment(string s)
    {
        if (s.Length > 40)
        {
            return null;
        }

        // Span lookups: the search tries up to 15 × 40 substrings, so it must not allocate one string each.
        bool Known(ReadOnlySpan<char> w) => SegmentWordsBySpan.Contains(w) || Lexicon.IsKnown(w);
        var best = new int[s.Length + 1];
        var from = new int[s.Length + 1];
        Array.Fill(best, int.MaxValue);
        best[0] = 0;
        for (var end = 1; end <= s.Length; end++)
        {
            for (var start = Math.Max(0, end - 15); start < end; start++)
            {
                if (best[start] != int.MaxValue && best[start] + 1 < best[end] && Known(s.AsSpan(start, end - start)))
                {
                    best[end] = best[start] + 1;
                    from[end] = start;
                }
            }
        }

        if (best[s.Length] == int.MaxValue)
        {
            return null;
        }

        var parts = new List<string>();
        for (var end = s.Length; end > 0; end = from[end])
        {
            parts.Insert(0, s[from[end]..end]);
        }

        // Every piece must be a real word; one-letter pieces other than "a", "i", "u", "r" mean the split is a guess.
        return parts.All(p => p.Length > 1 || p is "a" or "i" or "u" or "r") ? parts : null;
    }

    private static bool IsSingle(string t) => t.Length == 1 && (char.IsLetterOrDigit(t[0]) || IsMaskSymbol(t[0]));

    private static readonly Dictionary<string, string> Contractions = new(StringComparer.Ordinal)
    {
        ["im"] = "i am", ["ive"] = "i have", ["youre"] = "you are", ["youve"] = "you have", ["youll"] = "you will",
        ["dont"] = "do not", ["doesnt"] = "does not", ["didnt"] = "did not", ["cant"] = "can not", ["cannot"] = "can not",
        ["wont"] = "will not", ["isnt"] = "is not", ["arent"] = "are not", ["wasnt"] = "was not", ["werent"] = "were not",
        ["shouldnt"] = "should not", ["wouldnt"] = "would not", ["couldnt"] = "could not", ["havent"] = "have not",
        ["gonna"] = "going to", ["wanna"] = "want to", ["gotta"] = "got to", ["u"] = "you", ["ur"] = "your",
        ["ya"] = "you", ["kys"] = "kill yourself", ["kms"] = "kill myself", ["theyre"] = "they are", ["hes"] = "he is",
        ["shes"] = "she is", ["thats"] = "that is", ["whats"] = "what is", ["ain't"] = "is not", ["aint"] = "is not",
        ["won't"] = "will not", ["can't"] = "can not", ["shan't"] = "shall not", ["idk"] = "i do not know",
        ["imma"] = "i am going to", ["ima"] = "i am going to", ["yall"] = "you all", ["y'all"] = "you all",
        // Common misspellings in crisis language (so "im gonna kil myslef tonite" reads like the rules expect).
        ["kil"] = "kill", ["myslef"] = "myself", ["myelf"] = "myself", ["tonite"] = "tonight", ["tonigt"] = "tonight",
        ["tmrw"] = "tomorrow", ["tmr"] = "tomorrow", ["tomorow"] = "tomorrow", ["tommorow"] = "tomorrow", ["tommorrow"] = "tomorrow",
        ["suicde"] = "suicide", ["sucide"] = "suicide", ["suiside"] = "suicide", ["sucidal"] = "suicidal", ["suicdal"] = "suicidal",
        ["noone"] = "no one", ["nomore"] = "no more",
    };

    private static readonly HashSet<string> IsPronounForS = new(StringComparer.Ordinal)
    {
        "he", "she", "it", "that", "what", "there", "who", "this", "here", "where", "everyone", "nobody", "life",
    };

    /// <summary>Expands contractions so patterns see "i am", "do not", "you are".</summary>
    private static void Expand(string w, List<string> words)
    {
        if (Contractions.TryGetValue(w, out var e))
        {
            AddSplit(e, words);
            return;
        }

        var q = w.IndexOf('\'');
        if (q < 0)
        {
            words.Add(w);
            return;
        }

        var head = w[..q];
        var tail = w[(q + 1)..];
        if (head.Length == 0 || tail.Length == 0)
        {
            var bare = w.Replace("'", string.Empty);
            if (bare.Length > 0)
            {
                Expand(bare, words);
            }

            return;
        }

        if (tail == "t" && head.EndsWith('n'))
        {
            words.Add(head[..^1]);
            words.Add("not");
            return;
        }

        var suffix = tail switch
        {
            "m" => "am",
            "re" => "are",
            "ll" => "will",
            "ve" => "have",
            "d" => "would",
            "s" => IsPronounForS.Contains(head) ? "is" : null,
            _ => tail,
        };
        words.Add(head);
        if (suffix is not null)
        {
            words.Add(suffix.Replace("'", string.Empty));
        }
    }

    private static void AddSplit(string s, List<string> words)
    {
        foreach (var p in s.Split(' '))
        {
            words.Add(p);
        }
    }
}
