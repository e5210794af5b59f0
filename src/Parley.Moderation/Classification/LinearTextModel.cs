using System.Globalization;
using System.Reflection;

namespace Parley.Moderation.Classification;

/// <summary>
/// A logistic-regression model over <see cref="HashedNgrams"/> features, trained with ML.NET by <c>parley train</c>
/// and stored as text (<c>toxicity-model.txt</c>, embedded): a header, then one <c>bucket weight</c> line per non-zero
/// weight (L1 keeps them few). Scoring is a sum of weights and a sigmoid: no ML.NET at run time, no allocation.
/// </summary>
public sealed class LinearTextModel
{
    /// <summary>File format marker (first line).</summary>
    public const string FormatMarker = "parley-linear-ngram/1";

    private readonly float[] _weights;

    /// <summary>Creates a model from its parts.</summary>
    public LinearTextModel(int bits, float bias, double threshold, float[] weights, string description, int charGram = 0)
    {
        if (bits is < 8 or > 24 || weights.Length != 1 << bits)
        {
            throw new ArgumentException("weights must have 2^bits entries, bits in [8, 24].");
        }

        Bits = bits;
        CharGram = charGram;
        Bias = bias;
        Threshold = threshold;
        _weights = weights;
        Description = description;
    }

    /// <summary>log2 of the number of hash buckets.</summary>
    public int Bits { get; }

    /// <summary>Length of the character n-grams used as features (0: words only).</summary>
    public int CharGram { get; }

    /// <summary>The intercept.</summary>
    public float Bias { get; }

    /// <summary>Probability at or above which the model calls a text toxic (chosen on the training split).</summary>
    public double Threshold { get; }

    /// <summary>How the model was trained (from the file header).</summary>
    public string Description { get; }

    /// <summary>Number of non-zero weights.</summary>
    public int NonZeroWeights => _weights.Count(w => w != 0);

    /// <summary>The probability that <paramref name="normalized"/> (normalized text) is toxic.</summary>
    public double Probability(ReadOnlySpan<char> normalized)
    {
        var sum = (double)Bias;
        var state = (Weights: _weights, Sum: 0.0);
        HashedNgrams.ForEach(normalized, Bits, CharGram, ref state, static (ref (float[] Weights, double Sum) s, int b) => s.Sum += s.Weights[b]);
        sum += state.Sum;
        return 1 / (1 + Math.Exp(-sum));
    }

    /// <summary>Writes the model in its text format (only non-zero weights).</summary>
    public void Save(TextWriter writer)
    {
        writer.WriteLine(FormatMarker);
        writer.WriteLine($"# {Description}");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bits {Bits}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chargram {CharGram}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bias {Bias:R}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threshold {Threshold:0.####}"));
        for (var i = 0; i < _weights.Length; i++)
        {
            if (_weights[i] != 0)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i} {_weights[i]:0.#####}"));
            }
        }
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    public static LinearTextModel Load(TextReader reader)
    {
        if (reader.ReadLine() != FormatMarker)
        {
            throw new InvalidDataException($"Not a {FormatMarker} file.");
        }

        string description = string.Empty;
        int bits = 0;
        int charGram = 0;
        float bias = 0;
        double threshold = 0.5;
        float[]? weights = null;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.StartsWith('#'))
            {
                description = line[1..].Trim();
                continue;
            }

            var space = line.IndexOf(' ');
            if (space < 0)
            {
                continue;
            }

            var key = line[..space];
            var value = line[(space + 1)..];
            switch (key)
            {
                case "bits":
                    bits = int.Parse(value, CultureInfo.InvariantCulture);
                    weights = new float[1 << bits];
                    break;
                case "chargram":
                    charGram = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "bias":
                    bias = float.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "threshold":
                    threshold = double.Parse(value, CultureInfo.InvariantCulture);
                    break;
                default:
                    (weights ?? throw new InvalidDataException("bits must come before the weights."))[int.Parse(key, CultureInfo.InvariantCulture)] =
                        float.Parse(value, CultureInfo.InvariantCulture);
                    break;
            }
        }

        return new LinearTextModel(bits, bias, threshold, weights ?? throw new InvalidDataException("missing bits."), description, charGram);
    }

    /// <summary>The model shipped with Parley (embedded <c>toxicity-model.txt</c>), or null when it is absent.</summary>
    public static LinearTextModel? LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Parley.Moderation.toxicity-model.txt");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return Load(reader);
    }
}
