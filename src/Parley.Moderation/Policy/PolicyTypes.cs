namespace Parley.Moderation.Policy;

/// <summary>The policy's decision for one user turn. Values match <c>Parley.Abstractions.Decision</c>.</summary>
public enum PolicyDecision
{
    Respond = 0,
    Redirect = 1,
    Warn = 2,
    CrisisSupport = 3,
    ConfirmEnd = 4,
    End = 5,
}

/// <summary>Why a branch ended. Values match <c>Parley.Abstractions.EndReason</c>.</summary>
public enum PolicyEndReason
{
    PersistentAbuse = 1,
    PersistentHarmfulRequests = 2,
    UserRequested = 3,
}

/// <summary>What a message counted as for the policy.</summary>
public enum Violation
{
    /// <summary>Nothing the policy counts.</summary>
    None = 0,
    /// <summary>Abuse aimed at the assistant (harassment, threats, hate).</summary>
    Abuse = 1,
    /// <summary>A request for severely harmful content.</summary>
    HarmfulRequest = 2,
}

/// <summary>
/// The policy state of one branch after its last exchange. Small and derived only from the branch's own path:
/// a fork starts from the state stored with the exchange before the edited one.
/// </summary>
public readonly record struct PolicyState
{
    /// <summary>Strikes for abuse aimed at the assistant still in force.</summary>
    public int AbuseStrikes { get; init; }

    /// <summary>Strikes for requests for severely harmful content still in force.</summary>
    public int HarmStrikes { get; init; }

    /// <summary>Consecutive clean exchanges since the last strike (drives decay).</summary>
    public int CleanStreak { get; init; }

    /// <summary>Exchanges left during which the branch counts as showing imminent risk.</summary>
    public int RiskTurnsLeft { get; init; }

    /// <summary>The assistant asked the user to confirm an end request in the previous exchange.</summary>
    public bool AwaitingEndConfirmation { get; init; }

    /// <summary>Exchanges left during which a weak self-harm cue (below the risk threshold) still blocks any ending.</summary>
    public int RiskCueTurnsLeft { get; init; }

    /// <summary>The initial state of a new conversation.</summary>
    public static PolicyState Initial => default;

    /// <summary>True while the branch shows imminent risk: the policy never ends it nor threatens to.</summary>
    public bool RiskActive => RiskTurnsLeft > 0;

    /// <summary>True while a recent weak self-harm cue makes an ending unsafe ("when unsure, continue").</summary>
    public bool RiskCueActive => RiskCueTurnsLeft > 0;
}

/// <summary>The outcome of one policy step.</summary>
/// <param name="Decision">The decision for this user turn.</param>
/// <param name="State">The branch's policy state after this turn.</param>
/// <param name="EndReason">Set when <paramref name="Decision"/> is <see cref="PolicyDecision.End"/>.</param>
/// <param name="Violation">What the message counted as.</param>
/// <param name="Rationale">A short human-readable explanation, for logs and audit.</param>
public sealed record PolicyOutcome(
    PolicyDecision Decision,
    PolicyState State,
    PolicyEndReason? EndReason,
    Violation Violation,
    string Rationale);
