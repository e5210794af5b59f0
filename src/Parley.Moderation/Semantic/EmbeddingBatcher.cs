namespace Parley.Moderation.Semantic;

/// <summary>
/// Runs the encoder for concurrent callers in batches: one thread takes whatever was queued while the previous batch ran
/// (no added wait: a text queued on an idle batcher runs at once, alone) and answers every caller of the batch.
/// </summary>
/// <remarks>
/// On a busy silo many messages wait for the encoder at once, and one run over several short texts costs far less than
/// one run each (per-run overhead, and matrix products too thin to use the cores). A batch of one text takes
/// <c>runOne</c>, the unpadded path, so a lone caller gets exactly what a direct call gives. Texts are sorted by length and
/// cut into runs of at most <see cref="MaxBatch"/> texts and <see cref="MaxPaddedTokens"/> padded tokens, so one long
/// message does not pad many short ones. A failed run fails its callers' tasks only; the loop goes on.
/// </remarks>
internal sealed class EmbeddingBatcher : IDisposable
{
    /// <summary>Most texts in one encoder run.</summary>
    public const int MaxBatch = 16;

    /// <summary>Most tokens in one run counting padding (texts × the longest text): bounds its memory and its latency.</summary>
    public const int MaxPaddedTokens = 1024;

    private readonly Func<string, int> _tokens;
    private readonly Func<string, float[]> _runOne;
    private readonly Func<IReadOnlyList<string>, float[][]> _runMany;
    private readonly Queue<Pending> _queue = new();
    private Thread? _thread;
    private bool _stopped;
    private long _runs;
    private long _batchedTexts;

    /// <summary>
    /// <paramref name="tokens"/>: a text's token count (for the padding bound); <paramref name="runOne"/>: one text, unpadded;
    /// <paramref name="runMany"/>: several texts as one padded run, results in the same order.
    /// </summary>
    public EmbeddingBatcher(Func<string, int> tokens, Func<string, float[]> runOne, Func<IReadOnlyList<string>, float[][]> runMany)
    {
        _tokens = tokens;
        _runOne = runOne;
        _runMany = runMany;
    }

    /// <summary>Callers waiting (cancelled ones not yet passed over included).</summary>
    public int Queued
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Encoder runs so far, and the texts they encoded (their ratio is the mean batch size).</summary>
    public (long Runs, long Texts) Counts => (Interlocked.Read(ref _runs), Interlocked.Read(ref _batchedTexts));

    /// <summary>
    /// Queues <paramref name="text"/> for the next batch. Cancelling <paramref name="cancellationToken"/> ends this caller's
    /// wait at once; a text no caller waits for any more is not encoded.
    /// </summary>
    public Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<float[]>(cancellationToken);
        }

        var pending = new Pending(text);
        if (cancellationToken.CanBeCanceled)
        {
            pending.Registration = cancellationToken.Register(
                static (state, token) => ((Pending)state!).Done.TrySetCanceled(token), pending);
        }

        lock (_queue)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            _queue.Enqueue(pending);
            if (_thread is null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "parley-embedder" };
                _thread.Start();
            }

            Monitor.Pulse(_queue);
        }

        return pending.Done.Task;
    }

    private void Loop()
    {
        while (true)
        {
            var taken = new List<Pending>(MaxBatch);
            lock (_queue)
            {
                while (_queue.Count == 0 && !_stopped)
                {
                    Monitor.Wait(_queue);
                }

                if (_stopped)
                {
                    FailAll(_queue, new ObjectDisposedException(nameof(EmbeddingBatcher)));
                    return;
                }

                // Callers whose wait was cancelled are passed over; identical texts share one slot.
                var texts = new HashSet<string>(StringComparer.Ordinal);
                while (_queue.Count > 0 && (texts.Count < MaxBatch || texts.Contains(_queue.Peek().Text)))
                {
                    var next = _queue.Dequeue();
                    if (!next.Done.Task.IsCompleted)
                    {
                        texts.Add(next.Text);
                        taken.Add(next);
                    }
                }
            }

            List<List<Pending>> runs;
            try
            {
                runs = Runs(taken); // tokenizes: must not end the loop, or every later caller would wait forever
            }
            catch (Exception ex)
            {
                taken.ForEach(p => p.Fail(ex));
                continue;
            }

            foreach (var run in runs)
            {
                Run(run);
            }
        }
    }

    // Texts sorted by token count, cut greedily so that no run exceeds MaxPaddedTokens (a text longer than that runs alone).
    private List<List<Pending>> Runs(List<Pending> taken)
    {
        var byText = taken.GroupBy(p => p.Text, StringComparer.Ordinal)
            .Select(g => (Callers: g.ToList(), Tokens: _tokens(g.Key)))
            .OrderBy(g => g.Tokens)
            .ToList();
        var runs = new List<List<Pending>>();
        var (texts, longest) = (0, 0);
        foreach (var (callers, tokens) in byText)
        {
            if (runs.Count == 0 || (texts + 1) * Math.Max(longest, tokens) > MaxPaddedTokens)
            {
                runs.Add([]);
                (texts, longest) = (0, 0);
            }

            runs[^1].AddRange(callers);
            (texts, longest) = (texts + 1, Math.Max(longest, tokens));
        }

        return runs;
    }

    private void Run(List<Pending> callers)
    {
        var texts = callers.Select(p => p.Text).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            var vectors = texts.Count == 1 ? [_runOne(texts[0])] : _runMany(texts);
            Interlocked.Increment(ref _runs);
            Interlocked.Add(ref _batchedTexts, texts.Count);
            var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (var i = 0; i < texts.Count; i++)
            {
                byText[texts[i]] = vectors[i];
            }

            foreach (var p in callers)
            {
                p.Complete(byText[p.Text]);
            }
        }
        catch (Exception ex)
        {
            foreach (var p in callers)
            {
                p.Fail(ex);
            }
        }
    }

    private static void FailAll(Queue<Pending> queue, Exception error)
    {
        while (queue.TryDequeue(out var p))
        {
            p.Fail(error);
        }
    }

    /// <summary>Stops the loop after the batch it is running; callers still queued fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_queue)
        {
            _stopped = true;
            thread = _thread;
            if (thread is null)
            {
                FailAll(_queue, new ObjectDisposedException(nameof(EmbeddingBatcher)));
            }

            Monitor.PulseAll(_queue);
        }

        thread?.Join();
    }

    private sealed class Pending(string text)
    {
        public string Text { get; } = text;

        // Asynchronous continuations: a caller's code must not run on the encoder's thread.
        public TaskCompletionSource<float[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public void Complete(float[] vector)
        {
            Done.TrySetResult(vector);
            Registration.Dispose();
        }

        public void Fail(Exception error)
        {
            Done.TrySetException(error);
            Registration.Dispose();
        }
    }
}
