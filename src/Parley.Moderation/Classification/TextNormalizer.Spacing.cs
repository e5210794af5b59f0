using System.Globalization;
using System.Text;

namespace Parley.Moderation.Classification;

/// <summary>Spaced letters rejoined and segmented, contractions expanded.</summary>
public static partial class TextNormalizer
{
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
        ["let's"] = "let us", ["imma"] = "i am going to", ["ima"] = "i am going to", ["yall"] = "you all", ["y'all"] = "you all",
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
