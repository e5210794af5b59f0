using System.Globalization;
using System.Text;

namespace Parley.Moderation.Classification;

/// <summary>Word-level evasions: leetspeak, masking, stretched letters, numbers with units.</summary>
public static partial class TextNormalizer
{
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

        if (hasOther && NumberWords.TryGetValue(w, out var spelled))
        {
            // "2night", "4ever", "b4": numbers that spell a sound, not a quantity.
            return spelled;
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

        // An ordinal must have its own suffix: "2nd" and "3rd" are numbers, "3nd" is leetspeak for "end".
        var suffix = w[i..];
        if (suffix is "st" or "nd" or "rd" or "th")
        {
            var last = w[i - 1];
            var teen = i >= 2 && w[i - 2] == '1';
            var expected = teen ? "th" : last switch { '1' => "st", '2' => "nd", '3' => "rd", _ => "th" };
            return suffix == expected;
        }

        if (!Units.Contains(suffix))
        {
            return false; // "1t", "3nd": leetspeak, not a quantity
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

    // Units and suffixes that follow a number: 3pm, 500mg, 12yo, 2x, 10k, 4h.
    private static readonly HashSet<string> Units = new(StringComparer.Ordinal)
    {
        "m", "km", "cm", "mm", "kg", "g", "mg", "mcg", "ml", "l", "k", "h", "hr", "hrs", "min", "mins", "s", "sec", "secs", "ms",
        "am", "pm", "yo", "x", "d", "w", "y", "yr", "yrs", "mo", "lb", "lbs", "oz", "ft", "gb", "mb", "tb", "kb", "p", "v",
        "mph", "kph", "c", "f", "b", "bn", "kw", "hz", "ghz", "mhz", "px", "pt", "e", "a", "i",
    };

    private static readonly Dictionary<string, string> NumberWords = new(StringComparer.Ordinal)
    {
        ["2night"] = "tonight", ["2nite"] = "tonight", ["2nyt"] = "tonight", ["2day"] = "today", ["2morrow"] = "tomorrow",
        ["2moro"] = "tomorrow", ["2morow"] = "tomorrow", ["2mrw"] = "tomorrow", ["2mr"] = "tomorrow", ["4ever"] = "forever",
        ["b4"] = "before", ["gr8"] = "great", ["l8r"] = "later", ["l8"] = "late", ["h8"] = "hate", ["m8"] = "mate",
        ["1m"] = "im", ["w8"] = "wait", ["any1"] = "anyone", ["some1"] = "someone", ["every1"] = "everyone",
    };

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
}
