using Parley.Moderation.Policy;

namespace Parley.Moderation.Semantic;

/// <summary>
/// How the semantic stage's probabilities are combined with the rules (configuration section <c>Parley:Classifier:Semantic</c>).
/// The heads' own firing thresholds are trained and live in the model file; these numbers decide context and vetoes.
/// </summary>
public sealed class SemanticOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Classifier:Semantic";

    /// <summary>Run the semantic stage (false: rules only, microseconds per message).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Weight of the risk probability of the earlier messages, newest first. Window risk is the noisy-OR of the current
    /// message's risk probability and each earlier one times its weight: a disclosure spread over messages adds up.
    /// </summary>
    public double[] ContextRiskWeights { get; set; } = [0.8, 0.6, 0.4];

    /// <summary>Window risk at or above which the branch is treated as showing imminent risk.</summary>
    public double WindowRiskThreshold { get; set; } = 0.7;

    /// <summary>
    /// The risk head's probability, as a fraction of its threshold, from which a message is a weak risk cue (for
    /// <c>RiskMemoryTurns</c> the branch is then neither warned nor ended). Below it, the head's risk score stays under the
    /// policy's <c>RiskCueThreshold</c>.
    /// </summary>
    public double RiskCueFraction { get; set; } = 0.9;

    /// <summary>
    /// The follow-up head's probability, as a fraction of its threshold, from which a message continues a severely harmful
    /// request thread ("and the amounts?"). Below 1 because a thread already needs a clear severe request before it:
    /// on the development sets, follow-ups between 0.7 and 1 of the threshold were pushes in 69 turns and benign in none.
    /// </summary>
    public double FollowUpFraction { get; set; } = 0.7;

    /// <summary>
    /// The follow-up head's probability, as a fraction of its threshold, below which a message drops a harmful thread ("ok
    /// fair, forget it", a new topic): later messages no longer continue it. 0 keeps every thread open for the window.
    /// </summary>
    public double ThreadDropFraction { get; set; } = 0.3;

    /// <summary>
    /// The end-request head's probability, as a fraction of its threshold, from which a message is an end request. Below 1
    /// because a false end request costs only a question: ending needs the user's confirmation. "can we be done", "i'm out,
    /// end it" read 0.74-0.86 of the threshold. 0.85 was chosen on the development sets v3-v8: end requests ended 216 -> 221
    /// of 223; on their 3,496 benign turns the question was asked 6 times instead of once, and nothing else changed.
    /// </summary>
    public double EndRequestFraction { get; set; } = 0.85;

    /// <summary>
    /// A rule-stage flag (abuse at the assistant, hate, a severe request, an end request) is overruled when the matching
    /// head's probability is below this fraction of its threshold: "shut up, that's amazing!" is not harassment.
    /// 0.7 was chosen on the development sets (v3 and v4): against 0.35, rough praise redirected in 6% and 1.6% of
    /// enthusiastic conversations instead of 12% and 4%, with the same endings of abusive and harmful conversations.
    /// </summary>
    public double VetoFraction { get; set; } = 0.7;

    /// <summary>Throws when the numbers cannot work together with the policy's.</summary>
    public void Validate(PolicyOptions policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (ContextRiskWeights.Any(w => w is < 0 or > 1))
        {
            throw new ArgumentException($"{Section}:ContextRiskWeights must each be in [0, 1].");
        }

        if (WindowRiskThreshold is <= 0 or > 1 || VetoFraction is < 0 or >= 1 || RiskCueFraction is <= 0 or > 1 || FollowUpFraction is <= 0 or > 1
            || EndRequestFraction > 1 || EndRequestFraction <= VetoFraction || ThreadDropFraction < 0 || ThreadDropFraction >= FollowUpFraction)
        {
            throw new ArgumentException($"{Section}:WindowRiskThreshold, RiskCueFraction and FollowUpFraction must be in (0, 1], VetoFraction in [0, 1), EndRequestFraction in (VetoFraction, 1] and ThreadDropFraction in [0, FollowUpFraction).");
        }

        // Scores are mapped so that a head's own threshold lands on the policy's; a weak cue must stay weaker than that.
        foreach (var (name, t) in new[] { ("Abuse", policy.AbuseThreshold), ("Harm", policy.HarmThreshold), ("EndRequest", policy.EndRequestThreshold), ("Risk", policy.RiskThreshold) })
        {
            if (t is <= 0 or >= 1)
            {
                throw new ArgumentException($"{PolicyOptions.Section}:{name}Threshold must be in (0, 1) for the semantic scores to map onto it.");
            }
        }

        if (policy.RiskCueThreshold >= policy.RiskThreshold)
        {
            throw new ArgumentException($"{PolicyOptions.Section}:RiskCueThreshold must be below RiskThreshold.");
        }
    }
}
