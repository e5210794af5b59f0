using Microsoft.Extensions.Logging;
using Parley.Abstractions;

namespace Parley.Grains.Conversations;

/// <summary>
/// Forwards a reply to the caller's <see cref="IReplyObserver"/> while it is produced. Calls are awaited so they arrive in
/// order; a caller that stops listening (gone, or slower than <see cref="Timeout"/>) is dropped and the send carries on,
/// because the stored exchange, not the stream, is the result.
/// </summary>
internal sealed class ReplyStream(IReplyObserver observer, ILogger logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private IReplyObserver? _observer = observer;

    public Task DecisionAsync(TurnId turn, Decision decision, EndReason? endReason) => NotifyAsync(o => o.OnDecisionAsync(turn, decision, endReason));

    public Task ChunkAsync(string text) => NotifyAsync(o => o.OnChunkAsync(text));

    private async Task NotifyAsync(Func<IReplyObserver, Task> call)
    {
        if (_observer is not { } o)
        {
            return;
        }

        try
        {
            await call(o).WaitAsync(Timeout);
        }
        catch (Exception ex)
        {
            logger.LogInformation(ex, "Reply observer stopped listening; continuing without streaming");
            _observer = null;
        }
    }
}
