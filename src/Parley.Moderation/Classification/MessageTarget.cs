namespace Parley.Moderation.Classification;

/// <summary>Whom a message is aimed at.</summary>
public enum MessageTarget
{
    /// <summary>No one: a bug, the weather, the user themself, a topic.</summary>
    Nothing = 0,
    /// <summary>The assistant ("you").</summary>
    Assistant = 1,
    /// <summary>A third person or a group.</summary>
    PersonOrGroup = 2,
}
