using System.Globalization;

namespace Parley.Abstractions;

/// <summary>
/// Identifies one exchange (a user turn and its assistant reply) in a conversation: the branch that created it
/// and its depth (0-based position on every branch path that contains it). Written as <c>"branch.depth"</c>, e.g. <c>"0.3"</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("parley.TurnId")]
public readonly record struct TurnId([property: Id(0)] int Branch, [property: Id(1)] int Depth)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Branch}.{Depth}");

    /// <summary>Parses <c>"branch.depth"</c>; returns false on anything else.</summary>
    public static bool TryParse(string? text, out TurnId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dot = text.IndexOf('.');
        if (dot <= 0
            || !int.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var branch)
            || !int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var depth))
        {
            return false;
        }

        id = new TurnId(branch, depth);
        return true;
    }
}
