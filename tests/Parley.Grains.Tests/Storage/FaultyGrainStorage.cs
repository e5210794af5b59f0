using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Parley.Grains.Hosting;

namespace Parley.Grains.Tests.Storage;

/// <summary>Which storage operation a fault hits.</summary>
public enum StorageOperation
{
    Read,
    Write,
    Clear,
}

/// <summary>
/// A real grain storage provider (Orleans' memory storage) behind a wrapper that fails chosen operations on demand:
/// before the operation (nothing stored) or after it (stored, but the caller sees a failure: the "outcome unknown" case).
/// The rules are static because the in-process silos share this process.
/// </summary>
public sealed class FaultyGrainStorage(string storageName, IGrainStorage inner) : IGrainStorage
{
    private sealed record Rule(string Storage, StorageOperation Operation, string GrainIdContains, bool AfterOperation, int Remaining);

    private static readonly ConcurrentDictionary<Guid, Rule> Rules = new();

    /// <summary>Fails the next <paramref name="times"/> matching operations; returns a handle that removes the rule.</summary>
    public static IDisposable Fail(string storage, StorageOperation operation, string grainIdContains, bool afterOperation = false, int times = int.MaxValue)
    {
        var id = Guid.NewGuid();
        Rules[id] = new Rule(storage, operation, grainIdContains, afterOperation, times);
        return new Removal(id);
    }

    /// <summary>Registers every Parley store as memory storage wrapped in a <see cref="FaultyGrainStorage"/>.</summary>
    public static ISiloBuilder AddFaultyParleyStorage(ISiloBuilder silo)
    {
        foreach (var name in ParleyStorage.All)
        {
            silo.AddMemoryGrainStorage("inner-" + name);
            silo.Services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) =>
                new FaultyGrainStorage(name, sp.GetRequiredKeyedService<IGrainStorage>("inner-" + name)));
        }

        return silo;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(StorageOperation.Read, grainId, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(StorageOperation.Write, grainId, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync(StorageOperation.Clear, grainId, () => inner.ClearStateAsync(stateName, grainId, grainState));

    private async Task RunAsync(StorageOperation operation, GrainId grainId, Func<Task> run)
    {
        var rule = Take(operation, grainId.ToString());
        if (rule is { AfterOperation: false })
        {
            throw new InjectedStorageException($"injected {operation} failure before the operation on {grainId}");
        }

        await run();
        if (rule is { AfterOperation: true })
        {
            throw new InjectedStorageException($"injected {operation} failure after the operation landed on {grainId}");
        }
    }

    private Rule? Take(StorageOperation operation, string grainId)
    {
        foreach (var (id, rule) in Rules)
        {
            if (rule.Storage == storageName && rule.Operation == operation && grainId.Contains(rule.GrainIdContains, StringComparison.Ordinal)
                && rule.Remaining > 0 && Rules.TryUpdate(id, rule with { Remaining = rule.Remaining - 1 }, rule))
            {
                return rule;
            }
        }

        return null;
    }

    private sealed class Removal(Guid id) : IDisposable
    {
        public void Dispose() => Rules.TryRemove(id, out _);
    }
}

/// <summary>The failure a <see cref="FaultyGrainStorage"/> injects; its message must never reach a client.</summary>
public sealed class InjectedStorageException(string message) : Exception(message);
