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
            logger.LogError(ex, "Feedback flush on deactivation failed; {Count} buffered entries lost", _buffer.Written.Count + _buffer.ByDecision.Count);
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
        if (_buffer.IsEmpty)
        {
            return;
        }

        var batch = _buffer;
        _buffer = new FeedbackBatch();
        try
        {
            await GrainFactory.GetGrain<IFeedbackSink>(0).ApplyAsync(batch);
        }
        catch (Exception ex)
        {
            // Keep the deltas (under the same batch id, so a flush that did land is not counted twice) and retry next period.
            logger.LogWarning(ex, "Feedback flush failed; will retry");
            batch.Merge(_buffer);
            _buffer = batch;
            throw;
        }
    }
}
