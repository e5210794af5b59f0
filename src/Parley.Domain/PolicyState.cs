using System.Text.Json.Serialization;

namespace Parley.Domain;

/// <summary>
/// The policy state of one branch after its last exchange. Small and derived only from the branch's own path:
/// a fork starts from the state stored with the exchange before the edited one. Stored as it is in the conversation
/// header (per branch) and with every exchange; the alias and ids are those of the former <c>StoredPolicyState</c>, and the
/// stored JSON member names are unchanged, so state written before this type was unified still loads.
/// </summary>
[GenerateSerializer, Immutable, Alias("parley.StoredPolicyState")]
public readonly record struct PolicyState
{
    /// <summary>Strikes for abuse aimed at the assistant still in force.</summary>
    [Id(0)] public int AbuseStrikes { get; init; }

    /// <summary>Strikes for requests for severely harmful content still in force.</summary>
    [Id(1)] public int HarmStrikes { get; init; }

    /// <summary>Consecutive clean exchanges since the last strike (drives decay).</summary>
    [Id(2)] public int CleanStreak { get; init; }

    /// <summary>Exchanges left during which the branch counts as showing imminent risk.</summary>
    [Id(3)] public int RiskTurnsLeft { get; init; }

    /// <summary>The assistant asked the user to confirm an end request in the previous exchange.</summary>
    [Id(4)] public bool AwaitingEndConfirmation { get; init; }

    /// <summary>Exchanges left during which a weak self-harm cue (below the risk threshold) still blocks any ending.</summary>
    [Id(5)] public int RiskCueTurnsLeft { get; init; }

    /// <summary>The initial state of a new conversation.</summary>
    public static PolicyState Initial => default;

    /// <summary>True while the branch shows imminent risk: the policy never ends it nor threatens to.</summary>
    [JsonIgnore] public bool RiskActive => RiskTurnsLeft > 0;

    /// <summary>True while a recent weak self-harm cue makes an ending unsafe ("when unsure, continue").</summary>
    [JsonIgnore] public bool RiskCueActive => RiskCueTurnsLeft > 0;
}
