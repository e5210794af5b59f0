namespace Parley.Moderation.Policy;

/// <summary>The outcome of one policy step.</summary>
/// <param name="Decision">The decision for this user turn.</param>
/// <param name="State">The branch's policy state after this turn.</param>
/// <param name="EndReason">Set when <paramref name="Decision"/> is <see cref="Decision.End"/>.</param>
/// <param name="Violation">What the message counted as.</param>
/// <param name="Rationale">A short human-readable explanation, for logs and audit.</param>
public sealed record PolicyOutcome(
    Decision Decision,
    PolicyState State,
    EndReason? EndReason,
    Violation Violation,
    string Rationale);
