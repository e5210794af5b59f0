using System.Collections.Concurrent;

namespace Parley.Moderation.Semantic;

/// <summary>
/// A thread-safe cache by text with a cheap bound: when full it is cleared. The earlier messages of a branch come back as
/// context on every turn, so their embeddings and scores are looked up here; after a clear they are computed once more.
/// </summary>
internal sealed class BoundedCache<T>(int limit = 4096)
{
    private readonly ConcurrentDictionary<string, T> _map = new(StringComparer.Ordinal);

    public T GetOrAdd(string key, Func<string, T> compute)
    {
        if (_map.TryGetValue(key, out var hit))
        {
            return hit;
        }

        return Set(key, compute(key));
    }

    public bool TryGet(string key, out T value) => _map.TryGetValue(key, out value!);

    public T Set(string key, T value)
    {
        if (_map.Count >= limit)
        {
            _map.Clear();
        }

        _map[key] = value;
        return value;
    }
}
