using System.Numerics.Tensors;

namespace Parley.Moderation.Semantic;

/// <summary>
/// Nearest-neighbour votes over the training messages' embeddings (int8, unit length): the similarity-weighted share of
/// the <see cref="K"/> most similar training messages labeled for a signal that were positive. It complements the linear
/// heads where the line between two kinds is narrow and phrase-like ("you absolute legend" among the rough praise,
/// "you absolute disgrace" among the insults). Written by <c>parley train</c> as a binary file and embedded.
/// </summary>
public sealed class ExemplarIndex
{
    /// <summary>Neighbours that vote.</summary>
    public const int K = 10;

    private const string Magic = "PXI1";
    private const byte Unlabeled = 2;

    private const int Pool = 256; // most similar exemplars considered before picking K labeled ones per signal

    private readonly float[] _vectors; // n × dims, int8 values / 127 (scored with SIMD; written back as int8)
    private readonly byte[] _labels;   // n × signals: 0 false, 1 true, 2 not labeled
    private readonly int _dims;
    private readonly int _signals;

    /// <summary>Creates an index from unit vectors and labels (null: not labeled for that signal).</summary>
    public ExemplarIndex(IReadOnlyList<float[]> vectors, IReadOnlyList<bool?[]> labels)
    {
        _dims = vectors.Count == 0 ? SentenceEmbedder.Dimensions : vectors[0].Length;
        _signals = labels.Count == 0 ? 0 : labels[0].Length;
        var stored = new sbyte[vectors.Count * _dims];
        _labels = new byte[vectors.Count * _signals];
        for (var i = 0; i < vectors.Count; i++)
        {
            for (var d = 0; d < _dims; d++)
            {
                stored[(i * _dims) + d] = Quantize(vectors[i][d]);
            }

            for (var s = 0; s < _signals; s++)
            {
                _labels[(i * _signals) + s] = labels[i][s] switch { true => 1, false => 0, null => Unlabeled };
            }
        }

        _vectors = Expand(stored);
    }

    private ExemplarIndex(sbyte[] stored, byte[] labels, int dims, int signals)
    {
        (_labels, _dims, _signals) = (labels, dims, signals);
        _vectors = Expand(stored);
    }

    /// <summary>Number of exemplars.</summary>
    public int Count => _vectors.Length / _dims;

    /// <summary>The vote per signal for <paramref name="x"/>; <paramref name="exclude"/> leaves one exemplar out (training).</summary>
    public double[] Vote(ReadOnlySpan<float> x, int exclude = -1)
    {
        var n = Count;
        var nearest = new PriorityQueue<int, float>(Pool + 1); // min-heap of the most similar
        for (var i = 0; i < n; i++)
        {
            if (i == exclude)
            {
                continue;
            }

            nearest.Enqueue(i, TensorPrimitives.Dot(_vectors.AsSpan(i * _dims, _dims), x));
            if (nearest.Count > Pool)
            {
                nearest.Dequeue();
            }
        }

        // Most similar first; the similarity travels with the index (no per-call array over all exemplars).
        var order = new int[nearest.Count];
        var sims = new float[nearest.Count];
        for (var j = order.Length - 1; j >= 0; j--)
        {
            nearest.TryDequeue(out order[j], out sims[j]);
        }

        var votes = new double[_signals];
        for (var s = 0; s < _signals; s++)
        {
            double yes = 0, all = 0;
            var taken = 0;
            for (var j = 0; j < order.Length && taken < K; j++)
            {
                var label = _labels[(order[j] * _signals) + s];
                if (label == Unlabeled)
                {
                    continue;
                }

                var w = Math.Exp(10 * (sims[j] - 1)); // closer neighbours count for more
                yes += label * w;
                all += w;
                taken++;
            }

            votes[s] = all == 0 ? 0.5 : yes / all;
        }

        return votes;
    }

    /// <summary>Writes the index.</summary>
    public void Write(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true);
        w.Write(Magic.ToCharArray());
        w.Write(Count);
        w.Write(_dims);
        w.Write(_signals);
        w.Write(Array.ConvertAll(_vectors, v => (byte)Quantize(v)));
        w.Write(_labels);
    }

    // Exact round trip: a stored value s is held as s / 127f, and Quantize(s / 127f) == s.
    private static sbyte Quantize(float v) => (sbyte)Math.Clamp(MathF.Round(v * 127f), -127, 127);

    private static float[] Expand(sbyte[] stored)
    {
        var v = new float[stored.Length];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = stored[i] / 127f;
        }

        return v;
    }

    /// <summary>Reads an index written by <see cref="Write"/>.</summary>
    public static ExemplarIndex Read(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.ASCII, leaveOpen: true);
        if (new string(r.ReadChars(4)) != Magic)
        {
            throw new InvalidDataException("Not a Parley exemplar index.");
        }

        var n = r.ReadInt32();
        var dims = r.ReadInt32();
        var signals = r.ReadInt32();
        var vectors = (sbyte[])(Array)r.ReadBytes(n * dims);
        var labels = r.ReadBytes(n * signals);
        return new ExemplarIndex(vectors, labels, dims, signals);
    }
}
