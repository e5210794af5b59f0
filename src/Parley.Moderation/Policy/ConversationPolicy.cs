using Parley.Moderation.Classification;

namespace Parley.Moderation.Policy;

/// <summary>
/// The conversation policy (brief §2.2–2.3): a pure function from (branch state, classification) to (decision, new state).
/// <list type="bullet">
/// <item>Risk first: a risk signal puts the branch in crisis mode for <see cref="PolicyOptions.RiskMemoryTurns"/> exchanges;
/// while it lasts nothing ends or warns, offending or risky messages get <c>crisis_support</c>, and end requests are not taken.</item>
/// <item>Two strike tracks, abuse aimed at the assistant and requests for severely harmful content. On a track, strikes below
/// <see cref="PolicyOptions.WarnAtStrike"/> get <c>redirect</c>, that strike gets <c>warn</c>, and
/// <see cref="PolicyOptions.EndAtStrike"/> ends the branch. Because a warn is only given at its own strike number,
/// an end always follows at least one redirect and a warn on the same track.</item>
/// <item>Decay: every <see cref="PolicyOptions.CleanTurnsToForgiveStrike"/> consecutive clean exchanges forgive one strike per track.</item>
/// <item>End requests: a clear request gets <c>confirm_end</c>; a clear "yes" next ends with <c>user_requested</c>; a hesitation
/// ("hmm, wait") gets <c>confirm_end</c> again; anything else drops the request.</item>
/// <item>A weak risk cue (below crisis level) blocks any warning or ending for <see cref="PolicyOptions.RiskMemoryTurns"/> exchanges:
/// the turn that would warn or end gets <c>crisis_support</c> instead, and the track stays below the warning.</item>
/// <item>A failed classification (null) continues the conversation: it never adds a strike and never ends.</item>
/// </list>
/// </summary>
public sealed class ConversationPolicy
{
    private readonly PolicyOptions _options;

    /// <summary>Creates the policy; throws if <paramref name="options"/> are invalid.</summary>
    public ConversationPolicy(PolicyOptions? options = null)
    {
        _options = options ?? new PolicyOptions();
        _options.Validate();
    }

    /// <summary>The policy version recorded with every decision.</summary>
    public string Version => _options.Version;

    /// <summary>Decides on one user turn.</summary>
    public PolicyOutcome Decide(PolicyState state, MessageClassification? classification)
    {
        if (classification is null)
        {
            // Classification failed or timed out: continue, keep crisis mode if the branch is in it.
            var s = state with
            {
                AwaitingEndConfirmation = false,
                RiskTurnsLeft = Math.Max(0, state.RiskTurnsLeft - 1),
                RiskCueTurnsLeft = Math.Max(0, state.RiskCueTurnsLeft - 1),
            };
            return state.RiskActive
                ? new PolicyOutcome(Decision.CrisisSupport, s, null, Violation.None, "classifier unavailable; branch in crisis mode")
                : new PolicyOutcome(Decision.Respond, s, null, Violation.None, "classifier unavailable; continuing");
        }

        var violation = ViolationOf(classification);
        var risk = SignalsRisk(classification);
        var cue = risk || HasRiskCue(classification);
        var cueActive = cue || state.RiskCueActive;
        state = state with { RiskCueTurnsLeft = cue ? _options.RiskMemoryTurns : Math.Max(0, state.RiskCueTurnsLeft - 1) };

        var endRequested = classification[HarmCategory.EndRequest] >= _options.EndRequestThreshold;
        if (risk || state.RiskActive)
        {
            return DecideInCrisis(state, violation, risk, endRequested);
        }

        // Asked "are you sure?", a yes confirms, and so does asking again ("just end it", "close it already").
        if (state.AwaitingEndConfirmation && (classification.Affirmative || (endRequested && !classification.Declines))
            && violation == Violation.None)
        {
            return cueActive
                ? new PolicyOutcome(Decision.CrisisSupport, state with { AwaitingEndConfirmation = false }, null, Violation.None,
                    "end confirmed, but the branch showed a self-harm cue: staying")
                : new PolicyOutcome(Decision.End, state with { AwaitingEndConfirmation = false }, EndReason.UserRequested,
                    Violation.None, "user confirmed the end request");
        }

        // "hmm, wait", "let me think": not an answer yet, so the question stays open (asked again) rather than dropped.
        if (state.AwaitingEndConfirmation && classification.Hesitates && violation == Violation.None)
        {
            return new PolicyOutcome(Decision.ConfirmEnd, state, null, Violation.None, "user hesitated over the end request: asking again");
        }

        state = state with { AwaitingEndConfirmation = false };

        if (violation != Violation.None)
        {
            return Strike(state, violation, cueActive);
        }

        state = Forgive(state);
        if (endRequested)
        {
            return new PolicyOutcome(Decision.ConfirmEnd, state with { AwaitingEndConfirmation = true }, null, Violation.None,
                "user asked to end the conversation");
        }

        return new PolicyOutcome(Decision.Respond, state, null, Violation.None, "ordinary message");
    }

    /// <summary>What a classification counts as (abuse aimed at the assistant, a severely harmful request, or nothing).</summary>
    public Violation ViolationOf(MessageClassification c)
    {
        var harm = Math.Max(Math.Max(c[HarmCategory.SexualMinors], c[HarmCategory.MassCasualtyWeapons]),
            Math.Max(c[HarmCategory.ViolentExtremism], c[HarmCategory.Violence]));
        var abuse = c.Target == MessageTarget.Assistant
            ? Math.Max(Math.Max(c[HarmCategory.Harassment], c[HarmCategory.Threat]), c[HarmCategory.Hate])
            : 0;

        if (harm >= _options.HarmThreshold && harm >= abuse)
        {
            return Violation.HarmfulRequest;
        }

        return abuse >= _options.AbuseThreshold ? Violation.Abuse : Violation.None;
    }

    /// <summary>
    /// True when the classification signals imminent risk to the user or someone else. Asking for self-harm methods counts:
    /// the right answer to it is support and crisis resources, never a strike.
    /// </summary>
    public bool SignalsRisk(MessageClassification c) =>
        c.ImminentRisk
        || c[HarmCategory.SelfHarmIntent] >= _options.RiskThreshold
        || c[HarmCategory.SelfHarmIdeation] >= _options.RiskThreshold
        || c[HarmCategory.SelfHarmInstructions] >= _options.RiskThreshold;

    /// <summary>True when some self-harm category reaches the weak-cue threshold.</summary>
    public bool HasRiskCue(MessageClassification c) =>
        c[HarmCategory.SelfHarmIdeation] >= _options.RiskCueThreshold
        || c[HarmCategory.SelfHarmIntent] >= _options.RiskCueThreshold
        || c[HarmCategory.SelfHarmInstructions] >= _options.RiskCueThreshold;

    private PolicyOutcome DecideInCrisis(PolicyState state, Violation violation, bool risk, bool endRequested)
    {
        // Strikes are neither added nor forgiven in crisis mode: the branch is about the person's safety now.
        var s = state with
        {
            AwaitingEndConfirmation = false,
            RiskTurnsLeft = risk ? _options.RiskMemoryTurns : state.RiskTurnsLeft - 1,
        };
        if (risk || violation != Violation.None || endRequested)
        {
            // An end request at risk is not taken either: the assistant stays and keeps offering support.
            return new PolicyOutcome(Decision.CrisisSupport, s, null, violation,
                risk ? "message signals imminent risk"
                : endRequested ? "end request while the branch shows imminent risk: staying"
                : "offending message while the branch shows imminent risk");
        }

        return new PolicyOutcome(Decision.Respond, s, null, Violation.None, "ordinary message; branch still in crisis mode (no ending possible)");
    }

    private PolicyOutcome Strike(PolicyState state, Violation violation, bool cueActive)
    {
        var strikes = (violation == Violation.Abuse ? state.AbuseStrikes : state.HarmStrikes) + 1;
        var s = violation == Violation.Abuse
            ? state with { AbuseStrikes = strikes, CleanStreak = 0 }
            : state with { HarmStrikes = strikes, CleanStreak = 0 };
        var what = violation == Violation.Abuse ? "abuse aimed at the assistant" : "request for severely harmful content";

        if (strikes >= _options.WarnAtStrike && cueActive)
        {
            // A recent risk cue, even a weak one, from any stage: a person who may be in crisis is neither warned nor cut off.
            // The track is held below the warning, and the reply is support instead.
            var held = violation == Violation.Abuse ? s with { AbuseStrikes = _options.WarnAtStrike - 1 } : s with { HarmStrikes = _options.WarnAtStrike - 1 };
            return new PolicyOutcome(Decision.CrisisSupport, held, null, violation,
                $"{what}: would {(strikes >= _options.EndAtStrike ? "end" : "warn")}, but the branch showed a risk cue");
        }

        if (strikes >= _options.EndAtStrike)
        {
            var reason = violation == Violation.Abuse ? EndReason.PersistentAbuse : EndReason.PersistentHarmfulRequests;
            return new PolicyOutcome(Decision.End, s, reason, violation, $"{what}: strike {strikes} after a warning");
        }

        var decision = strikes >= _options.WarnAtStrike ? Decision.Warn : Decision.Redirect;
        return new PolicyOutcome(decision, s, null, violation, $"{what}: strike {strikes}");
    }

    private PolicyState Forgive(PolicyState state)
    {
        if (state.AbuseStrikes == 0 && state.HarmStrikes == 0)
        {
            return state with { CleanStreak = 0 };
        }

        var streak = state.CleanStreak + 1;
        if (streak < _options.CleanTurnsToForgiveStrike)
        {
            return state with { CleanStreak = streak };
        }

        return state with
        {
            CleanStreak = 0,
            AbuseStrikes = Math.Max(0, state.AbuseStrikes - 1),
            HarmStrikes = Math.Max(0, state.HarmStrikes - 1),
        };
    }
}
