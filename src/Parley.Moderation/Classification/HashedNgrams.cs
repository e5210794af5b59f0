namespace Parley.Moderation.Classification;

/// <summary>
/// Feature hashing for the learned stage: word unigrams and bigrams of the normalized text (the output of
/// <see cref="TextNormalizer"/>: lower-case words separated by single spaces), each hashed (FNV-1a, then a
/// multiplicative mix) into 2^bits buckets. Training (<c>parley train</c>) and scoring use this same code, so the
/// trained weights mean the same thing in both. Scoring walks the span and allocates nothing.
/// </summary>
public static class HashedNgrams
{
    private const uint Offset = 2166136261;
    private const uint Prime = 16777619;
    private const uint BigramSalt = 0x9E3779B9;
    private const uint CharSalt = 0x85EBCA6B;

    /// <summary>Calls <paramref name="visit"/> with the bucket of every unigram and bigram of <paramref name="normalized"/>.</summary>
    public static void ForEach<TState>(ReadOnlySpan<char> normalized, int bits, ref TState state, FeatureVisitor<TState> visit) =>
        ForEach(normalized, bits, 0, ref state, visit);

    /// <summary>
    /// As above, plus (when <paramref name="charGram"/> &gt; 0) the character <paramref name="charGram"/>-grams of every word
    /// padded with spaces (" idiots " → " idi", "idio", ...), which generalise over inflections and coined insults.
    /// </summary>
    public static void ForEach<TState>(ReadOnlySpan<char> normalized, int bits, int charGram, ref TState state, FeatureVisitor<TState> visit)
    {
        var mask = (1u << bits) - 1;
        var previous = 0u;
        var hasPrevious = false;
        var start = 0;
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i < normalized.Length && normalized[i] != ' ')
            {
                continue;
            }

            if (i > start)
            {
                var h = Hash(normalized[start..i]);
                visit(ref state, (int)(Mix(h) & mask));
                if (hasPrevious)
                {
                    visit(ref state, (int)(Mix((previous * Prime) ^ h ^ BigramSalt) & mask));
                }

                previous = h;
                hasPrevious = true;
                if (charGram > 0)
                {
                    // The word with its surrounding spaces (or the text edges standing in for them).
                    var from = start - 1;
                    var to = i + 1;
                    for (var g = from; g + charGram <= to; g++)
                    {
                        var c = Offset ^ CharSalt;
                        for (var k = g; k < g + charGram; k++)
                        {
                            c = (c ^ (k < start || k >= i ? ' ' : normalized[k])) * Prime;
                        }

                        visit(ref state, (int)(Mix(c) & mask));
                    }
                }
            }

            start = i + 1;
        }
    }

    /// <summary>Receives one feature bucket.</summary>
    public delegate void FeatureVisitor<TState>(ref TState state, int bucket);

    /// <summary>The buckets of <paramref name="normalized"/> (for training; allocates a list).</summary>
    public static List<int> Buckets(string normalized, int bits, int charGram = 0)
    {
        var list = new List<int>();
        ForEach(normalized, bits, charGram, ref list, static (ref List<int> l, int b) => l.Add(b));
        return list;
    }

    private static uint Hash(ReadOnlySpan<char> word)
    {
        var h = Offset;
        foreach (var ch in word)
        {
            h = (h ^ ch) * Prime;
        }

        return h;
    }

    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x7feb352d;
        h ^= h >> 15;
        h *= 0x846ca68b;
        h ^= h >> 16;
        return h;
    }
}
