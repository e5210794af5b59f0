using System.Diagnostics;
using Parley.Abstractions;
using Parley.Grains.Diagnostics;

namespace Parley.Cli.Load;

/// <summary>Spaces calls evenly to reach a target rate across all users; latency is measured from each call's due time.</summary>
public sealed class Pacer(double perSecond)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _issued;

    /// <summary>Waits for the next slot and returns its due time (a <see cref="Stopwatch"/> timestamp).</summary>
    public async Task<long> WaitAsync(CancellationToken cancellationToken)
    {
        var slot = Interlocked.Increment(ref _issued) - 1;
        var due = _start + (long)(slot * Stopwatch.Frequency / perSecond);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        return due;
    }
}

/// <summary>A send the service acknowledged: the conversation, the client message id and the turn it was stored as.</summary>
public sealed record AcknowledgedTurn(string ConversationId, string UserId, string ClientMessageId, string TurnId);

/// <summary>The synthetic users of <c>parley load</c>: each plays conversations of the mix, or a baseline, until the phase ends.
/// The mix goes to <paramref name="target"/> (grains or HTTP); the baselines call probe grains through <paramref name="grains"/>.</summary>
public sealed class LoadRunner(ILoadTarget target, IGrainFactory? grains, string runId, IReadOnlyList<LoadScript> mix, bool uniqueTexts = false)
{
    private long _textCounter;

    private readonly System.Collections.Concurrent.ConcurrentQueue<AcknowledgedTurn> _acknowledged = new();

    /// <summary>Every acknowledged send and edit of the mix phases so far (the ledger the verification checks storage against).</summary>
    public IReadOnlyCollection<AcknowledgedTurn> Acknowledged => _acknowledged;

    private readonly IReadOnlyList<string> _texts = LoadMix.Texts(mix);
    private readonly IReadOnlyList<LoadScript> _schedule = LoadMix.Schedule(mix);
    private long _conversations;
    private readonly int _callsPerProbe = Math.Max(1, (int)Math.Round(LoadMix.MeanMessages(mix)));

    /// <summary>One user playing conversations of the mix until <paramref name="until"/>; its conversation ids are
    /// <c>load-{run}-{phase}-{user}-{n}</c> and its user id <c>load-{run}-{user}</c>.</summary>
    public async Task MixUserAsync(string phase, int user, LoadRecorder recorder, Pacer? pacer, DateTime until, CancellationToken cancellationToken)
    {
        for (var n = 0; DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested; n++)
        {
            var script = _schedule[(int)((Interlocked.Increment(ref _conversations) - 1) % _schedule.Count)];
            await PlayAsync($"load-{runId}-{phase}-{user}-{n}", $"load-{runId}-{user}", script, recorder, pacer, until, cancellationToken);
        }
    }

    /// <summary>
    /// Plays every conversation of the mix once, all at once and unpaced, so that every text the mix sends has been
    /// classified (the semantic stage caches by text) before anything is measured. Its conversation ids are
    /// <c>load-{run}-p-{script}</c>.
    /// </summary>
    public Task PrimeAsync(LoadRecorder recorder, CancellationToken cancellationToken) =>
        Task.WhenAll(mix.Select((script, i) => Task.Run(() =>
            PlayAsync($"load-{runId}-p-{i}", $"load-{runId}-p{i}", script, recorder, null, DateTime.MaxValue, cancellationToken))));

    /// <summary>One user calling the probe grain until <paramref name="until"/>: <paramref name="write"/> selects the
    /// storage-bound baseline, else the bare round trip. A user moves to a fresh probe grain every mean-conversation-length calls.</summary>
    public async Task ProbeUserAsync(bool write, int user, LoadRecorder recorder, Pacer? pacer, DateTime until, CancellationToken cancellationToken)
    {
        var phase = write ? "write" : "ping";
        for (var i = 0; DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested; i++)
        {
            var probe = grains!.GetGrain<ILoadProbeGrain>($"load-probe-{runId}-{phase}-{user}-{i / _callsPerProbe}");
            var (text, id, owner) = (_texts[(user + i) % _texts.Count], $"m{i % _callsPerProbe}", $"load-{runId}-{user}");
            var start = pacer is null ? Stopwatch.GetTimestamp() : await pacer.WaitAsync(cancellationToken);
            var done = await CallAsync(recorder, () => write ? probe.WriteAsync(owner, id, text) : probe.PingAsync(owner, id, text), cancellationToken);
            if (done.Ok)
            {
                recorder.Send(phase, Ms(start));
            }
        }
    }

    private async Task PlayAsync(string key, string userId, LoadScript script, LoadRecorder recorder, Pacer? pacer,
        DateTime until, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var started = await CallAsync(recorder, () => target.StartAsync(key, userId), cancellationToken);
        if (!started.Ok || started.Result is not { } conversationId)
        {
            return;
        }

        recorder.Call("start", Ms(start));
        var path = new List<string>();   // the turn ids of the current branch path, by depth
        var message = 0;
        foreach (var step in script.Steps)
        {
            if (DateTime.UtcNow >= until || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            switch (step)
            {
                case LoadStep.Send or LoadStep.Edit:
                {
                    var id = $"m{message++}";
                    start = pacer is null ? Stopwatch.GetTimestamp() : await pacer.WaitAsync(cancellationToken);
                    var edit = step as LoadStep.Edit;
                    if (edit is not null && edit.Depth >= path.Count)
                    {
                        continue;   // an earlier send failed for good: nothing to edit
                    }

                    // With unique texts every message gets its own number (as a word the normalizer keeps: "#123" would be folded away
                    // as masking), so no classifier cache can answer for it.
                    var text = edit?.Text ?? ((LoadStep.Send)step).Text;
                    if (uniqueTexts)
                    {
                        text = $"{text} (ref {Interlocked.Increment(ref _textCounter)})";
                    }

                    var call = await CallAsync(recorder, () => edit is null
                        ? target.SendAsync(conversationId, userId, id, text)
                        : target.EditAsync(conversationId, userId, path[edit.Depth], id, text), cancellationToken);
                    if (call.Ended)
                    {
                        recorder.Rejected(Ms(start));
                    }
                    else if (call.Result is { } result)
                    {
                        recorder.Send(result.Decision, Ms(start));
                        _acknowledged.Enqueue(new AcknowledgedTurn(conversationId, userId, id, result.TurnId));
                        if (edit is not null)
                        {
                            path.RemoveRange(edit.Depth, path.Count - edit.Depth);
                        }

                        path.Add(result.TurnId);
                    }

                    break;
                }

                case LoadStep.Rate rate when rate.Depth < path.Count:
                    start = Stopwatch.GetTimestamp();
                    if ((await CallAsync(recorder, async () =>
                        {
                            await target.RateAsync(conversationId, userId, path[rate.Depth], rate.Up);
                            return true;
                        }, cancellationToken)).Ok)
                    {
                        recorder.Call("rate", Ms(start));
                    }

                    break;

                case LoadStep.Feedback feedback:
                    start = Stopwatch.GetTimestamp();
                    if ((await CallAsync(recorder, async () =>
                        {
                            await target.FeedbackAsync(conversationId, userId, feedback.Text);
                            return true;
                        }, cancellationToken)).Ok)
                    {
                        recorder.Call("feedback", Ms(start));
                    }

                    break;
            }
        }
    }

    private readonly record struct Outcome<T>(bool Ok, bool Ended, T? Result);

    // One call with retries of transient errors (same ids, so retries are idempotent). Every failed attempt is counted by
    // code; a call that still fails is counted as failed. A refused send on an ended branch is an outcome, not an error.
    private static async Task<Outcome<T>> CallAsync<T>(LoadRecorder recorder, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return new Outcome<T>(true, false, await Transient.RetryAsync(call, recorder.Error, cancellationToken: cancellationToken));
        }
        catch (ConversationEndedException)
        {
            return new Outcome<T>(true, true, default);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (!Transient.IsTransient(ex))
            {
                recorder.Error(ex);
            }

            recorder.Fail();
            return new Outcome<T>(false, false, default);
        }
    }

    private static double Ms(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
