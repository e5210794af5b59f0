using System.Collections.Concurrent;
using Parley.Moderation.Semantic;

namespace Parley.Moderation.Tests.Classification;

/// <summary>
/// The encoder's batching loop with fake encoders (a vector that names its text), so that what runs together, what fails
/// and what is cancelled can be controlled; the real encoder's batched vectors are checked in <see cref="BatchedEmbeddingTests"/>.
/// </summary>
public sealed class EmbeddingBatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static float[] VectorOf(string text) => [text.Length, text.GetHashCode(StringComparison.Ordinal)];

    /// <summary>Fake encoders that record every run; the first run can be held until released, so that others queue behind it.</summary>
    private sealed class FakeEncoder
    {
        private readonly ManualResetEventSlim _release = new(initialState: true);
        private readonly SemaphoreSlim _started = new(0);

        public ConcurrentQueue<string[]> Runs { get; } = new();

        public Func<IReadOnlyList<string>, float[][]>? Many { get; set; }

        public EmbeddingBatcher Create() => new(t => t.Length, One, texts => (Many ?? ManyVectors)(texts));

        public void HoldNextRun() => _release.Reset();

        public void Release() => _release.Set();

        public Task WaitStartedAsync() => _started.WaitAsync(Patience);

        private float[] One(string text)
        {
            Runs.Enqueue([text]);
            _started.Release();
            Assert.True(_release.Wait(Patience));
            return VectorOf(text);
        }

        private float[][] ManyVectors(IReadOnlyList<string> texts)
        {
            Runs.Enqueue([.. texts]);
            _started.Release();
            Assert.True(_release.Wait(Patience));
            return [.. texts.Select(VectorOf)];
        }
    }

    // Holds the encoder on a first text, so that whatever is queued next waits for the following batch.
    private static async Task<Task<float[]>> HoldAsync(FakeEncoder encoder, EmbeddingBatcher batcher)
    {
        encoder.HoldNextRun();
        var first = batcher.EmbedAsync("first");
        await encoder.WaitStartedAsync();
        return first;
    }

    [Fact]
    public async Task A_lone_caller_runs_alone_and_callers_queued_meanwhile_run_as_one_batch()
    {
        var encoder = new FakeEncoder();
        using var batcher = encoder.Create();
        var first = await HoldAsync(encoder, batcher);

        var texts = Enumerable.Range(0, 5).Select(i => $"message {i}").ToList();
        var queued = texts.Select(t => batcher.EmbedAsync(t)).ToList();
        encoder.Release();

        Assert.Equal(VectorOf("first"), await first);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(VectorOf(texts[i]), await queued[i]);
        }

        Assert.Equal([["first"], texts.ToArray()], encoder.Runs.ToArray());
        Assert.Equal((2, 6), batcher.Counts);
    }

    [Fact]
    public async Task A_failing_batch_fails_each_of_its_callers_and_the_next_batch_still_runs()
    {
        var encoder = new FakeEncoder { Many = _ => throw new InvalidOperationException("encoder broke") };
        using var batcher = encoder.Create();
        var first = await HoldAsync(encoder, batcher);
        var failing = new[] { batcher.EmbedAsync("a b"), batcher.EmbedAsync("c d") };
        encoder.Release();
        await first;

        foreach (var task in failing)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => task);
            Assert.Equal("encoder broke", error.Message);
        }

        Assert.Equal(VectorOf("after"), await batcher.EmbedAsync("after").WaitAsync(Patience));
    }

    [Fact]
    public async Task A_text_that_cannot_be_tokenized_fails_its_batch_and_the_loop_goes_on()
    {
        using var batcher = new EmbeddingBatcher(t => t == "bad" ? throw new FormatException("no tokens") : t.Length, VectorOf, texts => [.. texts.Select(VectorOf)]);

        await Assert.ThrowsAsync<FormatException>(() => batcher.EmbedAsync("bad").WaitAsync(Patience));
        Assert.Equal(VectorOf("good"), await batcher.EmbedAsync("good").WaitAsync(Patience));
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_at_once_and_its_text_is_never_encoded()
    {
        var encoder = new FakeEncoder();
        using var batcher = encoder.Create();
        var first = await HoldAsync(encoder, batcher);
        using var cancel = new CancellationTokenSource();
        var abandoned = batcher.EmbedAsync("abandoned", cancel.Token);
        var kept = batcher.EmbedAsync("kept");

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Patience)); // the encoder is still held
        Assert.False(first.IsCompleted);
        encoder.Release();

        Assert.Equal(VectorOf("kept"), await kept.WaitAsync(Patience));
        Assert.DoesNotContain(encoder.Runs, run => run.Contains("abandoned"));
        Assert.Equal(0, batcher.Queued);
        Assert.True(batcher.EmbedAsync("late", cancel.Token).IsCanceled, "an already cancelled caller is not queued");
    }

    [Fact]
    public async Task Batches_are_capped_by_count_and_padded_tokens_and_identical_texts_are_encoded_once()
    {
        var encoder = new FakeEncoder();
        using var batcher = encoder.Create();
        var first = await HoldAsync(encoder, batcher);

        // Token count = text length here: a text asked for twice, 40 short texts and two 300-token ones.
        var twice = (batcher.EmbedAsync("twice"), batcher.EmbedAsync("twice"));
        var texts = Enumerable.Range(0, 40).Select(i => $"short {i:00}").Append(new string('x', 300)).Append(new string('y', 300)).ToList();
        var tasks = texts.Select(t => batcher.EmbedAsync(t)).ToList();
        encoder.Release();
        await first;

        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(VectorOf(texts[i]), await tasks[i].WaitAsync(Patience));
        }

        Assert.Equal(VectorOf("twice"), await twice.Item1);
        Assert.Equal(VectorOf("twice"), await twice.Item2);
        var runs = encoder.Runs.Skip(1).ToList();
        Assert.All(runs, run => Assert.InRange(run.Length, 1, EmbeddingBatcher.MaxBatch));
        Assert.All(runs, run => Assert.True(run.Length * run.Max(t => t.Length) <= EmbeddingBatcher.MaxPaddedTokens || run.Length == 1,
            $"{run.Length} texts of up to {run.Max(t => t.Length)} tokens in one run"));
        Assert.All(runs, run => Assert.Equal(run.Length, run.Distinct().Count()));
        Assert.Equal(texts.Count + 1, runs.Sum(r => r.Length)); // every text once, the repeated one included
    }

    [Fact]
    public async Task Disposing_fails_the_callers_still_queued_instead_of_leaving_them_waiting()
    {
        var encoder = new FakeEncoder();
        var batcher = encoder.Create();
        var first = await HoldAsync(encoder, batcher);
        var queued = batcher.EmbedAsync("queued");

        var disposing = Task.Run(batcher.Dispose);
        var probes = new List<Task<float[]>>();
        while (true) // until Dispose has marked the batcher stopped, while the held run is still going
        {
            try
            {
                probes.Add(batcher.EmbedAsync("probe"));
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            await Task.Delay(10);
        }

        encoder.Release();
        await disposing.WaitAsync(Patience);

        Assert.Equal(VectorOf("first"), await first); // the run in progress finishes
        foreach (var task in probes.Prepend(queued))
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => task.WaitAsync(Patience));
        }

        Assert.Throws<ObjectDisposedException>(() => { _ = batcher.EmbedAsync("after"); }); // thrown at once, not queued
    }
}
