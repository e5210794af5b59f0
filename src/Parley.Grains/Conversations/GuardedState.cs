using Parley.Abstractions;

namespace Parley.Grains.Conversations;

/// <summary>
/// Keeps a grain's memory from running ahead of its storage: a failed write undoes the change in memory and marks the
/// state stale (the write may have landed, or hit an ETag conflict), and the next operation reloads it from storage first.
/// Storage failures surface as <see cref="ErrorCodes.StorageUnavailable"/>.
/// </summary>
internal sealed class GuardedState<T>(IPersistentState<T> state)
{
    private bool _stale;

    public T State => state.State;

    /// <summary>Reloads from storage if a write failed since the last load; returns true when it reloaded.</summary>
    public async Task<bool> EnsureFreshAsync()
    {
        if (!_stale)
        {
            return false;
        }

        try
        {
            await state.ReadStateAsync();
            _stale = false;
            return true;
        }
        catch (Exception ex)
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>Writes the state; on failure runs <paramref name="undo"/>, marks the state stale and throws storage_unavailable.</summary>
    public async Task WriteAsync(Action? undo = null)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            undo?.Invoke();
            _stale = true;
            throw Unavailable(ex);
        }
    }

    private static ServiceUnavailableException Unavailable(Exception ex) => new(ErrorCodes.StorageUnavailable,
        $"Storage is unavailable; nothing was stored. Retry with the same message id. ({ex.GetType().Name}: {ex.Message})");
}
