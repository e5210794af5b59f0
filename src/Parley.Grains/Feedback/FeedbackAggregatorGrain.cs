using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Parley.Abstractions;
using Parley.Grains.Hosting;

namespace Parley.Grains.Feedback;

/// <inheritdoc cref="IFeedbackAggregatorGrain" />
[StatelessWorker(1)]
public sealed class FeedbackAggregatorGrain(IOptions<FeedbackOptions> options, ILogger<FeedbackAggregatorGrain> logger)
    : Grain, IFeedbackAggregatorGrain
{
    private FeedbackBatch _buffer = new();
    private FeedbackBatch? _unsent;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var period = options.Value.FlushPeriod;
        this.RegisterGrainTimer(_ => FlushAsync(), new GrainTimerCreationOptions(period, period));
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A graceful shutdown or idle deactivation flushes; only a crash can lose the last period's buffer.
        try
        {
            await FlushAsync();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Feedback flush on deactivation failed; buffered deltas are lost from the totals (per-turn ratings stand)");
        }
    }

    public Task RecordRatingAsync(RatingDelta delta)
    {
        _buffer.Add(delta);
        return Task.CompletedTask;
    }

    public Task RecordWrittenAsync(WrittenFeedback feedback)
    {
        _buffer.Written.Add(feedback);
        return Task.CompletedTask;
    }

    public async Task FlushAsync()
    {
        // A batch whose flush failed is resent unchanged, under its id: if it did land, the totals ignore the repeat.
        // New deltas never join it (they would be dropped with it), they wait in the buffer for the next batch.
        if (_unsent is { } retry)
        {
            await SendAsync(retry);
            _unsent = null;
        }

        if (_buffer.IsEmpty)
        {
            return;
        }

        var batch = _buffer;
        _buffer = new FeedbackBatch();
        _unsent = batch;
        await SendAsync(batch);
        _unsent = null;
    }

    private async Task SendAsync(FeedbackBatch batch)
    {
        try
        {
            await GrainFactory.GetGrain<IFeedbackSink>(0).ApplyAsync(batch);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Feedback flush failed; will retry");
            throw;
        }
    }
}
