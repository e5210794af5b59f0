using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Core;
using Orleans.Storage;
using Parley.Abstractions;

namespace Parley.Grains.Storage;

/// <summary>
/// The one failed-storage policy of every stateful Parley grain (see docs/architecture.md, "Failure semantics"):
/// <list type="number">
/// <item>State is loaded by the first call that needs it, not during activation, so a grain whose storage is down still
/// activates and answers <see cref="ErrorCodes.StorageUnavailable"/> rather than an Orleans activation error.</item>
/// <item>A failed read, write or clear marks the state unloaded: memory that may be ahead of (or behind) storage is
/// discarded, and the next call reloads it from storage before doing anything else (a write whose outcome is unknown
/// is then seen as it landed, or not).</item>
/// <item>The caller gets <see cref="ServiceUnavailableException"/> with the code <see cref="ErrorCodes.StorageUnavailable"/>
/// and a fixed message; the storage exception is logged, never sent to clients.</item>
/// </list>
/// </summary>
internal sealed class GuardedState<T> where T : class, new()
{
    /// <summary>What callers are told; the detail goes to the log.</summary>
    public const string UnavailableMessage = "Storage is unavailable; nothing was stored. Retry the call (with the same message id for a send).";

    private readonly StateStorageBridge<T> _state;
    private readonly ILogger _logger;
    private readonly string _what;
    private Task? _loading;
    private bool _loaded;

    public GuardedState(IGrainContext context, string stateName, string storageName, ILogger logger)
    {
        var storage = context.ActivationServices.GetRequiredKeyedService<IGrainStorage>(storageName);
        _state = new StateStorageBridge<T>(stateName, context, storage);
        _logger = logger;
        _what = $"{stateName} of {context.GrainId}";
    }

    /// <summary>How many times the state was loaded: a change tells a reentrant grain that its derived copies are stale.</summary>
    public int Loads { get; private set; }

    /// <summary>The loaded state. Only valid after <see cref="LoadAsync"/> in the same call.</summary>
    public T State => _loaded ? _state.State : throw new InvalidOperationException($"The {_what} is used before it was loaded.");

    /// <summary>Loads the state if it is not loaded (first use, or after a failure); returns true when it (re)loaded.</summary>
    public async Task<bool> LoadAsync()
    {
        if (_loaded)
        {
            return false;
        }

        // One read at a time, also for reentrant grains.
        _loading ??= ReadAsync();
        try
        {
            await _loading;
            return true;
        }
        finally
        {
            _loading = null;
        }
    }

    /// <summary>Writes the state; on failure discards it (the next call reloads) and throws storage_unavailable.</summary>
    public Task WriteAsync() => GuardAsync(() => _state.WriteStateAsync(), "write");

    /// <summary>Clears the state in storage; on failure discards it (the next call reloads) and throws storage_unavailable.</summary>
    public Task ClearAsync() => GuardAsync(() => _state.ClearStateAsync(), "clear");

    private async Task ReadAsync()
    {
        await GuardAsync(() => _state.ReadStateAsync(), "read");
        _loaded = true;
        Loads++;
    }

    private async Task GuardAsync(Func<Task> operation, string verb)
    {
        try
        {
            await operation();
        }
        catch (Exception ex)
        {
            _loaded = false;
            _logger.LogWarning(ex, "Storage {Operation} of the {State} failed; it will be reloaded before its next use", verb, _what);
            throw new ServiceUnavailableException(ErrorCodes.StorageUnavailable, UnavailableMessage);
        }
    }
}
