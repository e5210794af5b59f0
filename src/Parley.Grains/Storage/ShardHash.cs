namespace Parley.Grains.Storage;

/// <summary>
/// A hash of a string that is the same in every process and every version (unlike <see cref="string.GetHashCode()"/>,
/// which is randomized per process): shard keys are derived from it, so it must never change.
/// </summary>
public static class ShardHash
{
    /// <summary>32-bit FNV-1a over the string's UTF-16 code units.</summary>
    public static uint Of(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
