namespace Parley.Moderation.Policy;

/// <summary>
/// The numbers of the conversation policy (configuration section <c>Parley:Policy</c>).
/// The defaults give: first offence redirect, second warn, third end.
/// </summary>
public sealed class PolicyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Policy";

    /// <summary>Recorded with every decision; change it whenever the rule or its numbers change.</summary>
    public string Version { get; set; } = "parley-policy/2.2";

    /// <summary>Score at or above which abuse categories (aimed at the assistant) count as a strike.</summary>
    public double AbuseThreshold { get; set; } = 0.5;

    /// <summary>Score at or above which a severely harmful category counts as a strike.</summary>
    public double HarmThreshold { get; set; } = 0.5;

    /// <summary>Score at or above which an explicit end request is recognised.</summary>
    public double EndRequestThreshold { get; set; } = 0.5;

    /// <summary>Score at or above which self-harm intent or ideation marks the branch as at risk.</summary>
    public double RiskThreshold { get; set; } = 0.5;

    /// <summary>
    /// Score at or above which a self-harm category is a weak cue: not enough for crisis mode, but for
    /// <see cref="RiskMemoryTurns"/> exchanges the branch is neither warned nor ended (that turn gets <c>crisis_support</c> instead).
    /// </summary>
    public double RiskCueThreshold { get; set; } = 0.25;

    /// <summary>The strike (on one track) that gets a <c>warn</c>; earlier strikes get <c>redirect</c>. At least 2.</summary>
    public int WarnAtStrike { get; set; } = 2;

    /// <summary>The strike (on one track) that ends the branch. Greater than <see cref="WarnAtStrike"/>.</summary>
    public int EndAtStrike { get; set; } = 3;

    /// <summary>After this many consecutive clean exchanges one strike on each track is forgiven.</summary>
    public int CleanTurnsToForgiveStrike { get; set; } = 3;

    /// <summary>How many exchanges a risk signal keeps the branch in crisis mode.</summary>
    public int RiskMemoryTurns { get; set; } = 6;

    /// <summary>Throws when the numbers would break the brief's guarantees (at least two redirects, the last a warn).</summary>
    public void Validate()
    {
        if (WarnAtStrike < 2)
        {
            throw new ArgumentException("Parley:Policy:WarnAtStrike must be at least 2 (a redirect comes before the warning).");
        }

        if (EndAtStrike <= WarnAtStrike)
        {
            throw new ArgumentException("Parley:Policy:EndAtStrike must be greater than WarnAtStrike (the warning comes before the end).");
        }

        if (CleanTurnsToForgiveStrike < 1 || RiskMemoryTurns < 1)
        {
            throw new ArgumentException("Parley:Policy:CleanTurnsToForgiveStrike and RiskMemoryTurns must be at least 1.");
        }
    }
}
