namespace Parley.Domain;

/// <summary>
/// The one decision the policy takes for each user turn. The same type is the policy's output, the stored decision and the
/// contract's; the numbers are stored, so members are added, never renumbered.
/// </summary>
[GenerateSerializer, Alias("parley.Decision")]
public enum Decision
{
    /// <summary>An ordinary reply.</summary>
    Respond = 0,
    /// <summary>The assistant declines or sets a boundary and steers back to something productive.</summary>
    Redirect = 1,
    /// <summary>A redirect that also names the problem behaviour and says the conversation will end if it goes on.</summary>
    Warn = 2,
    /// <summary>The user seems at imminent risk of harming themselves or someone else: support and crisis resources.</summary>
    CrisisSupport = 3,
    /// <summary>The user asked to end the conversation: the assistant asks them to confirm.</summary>
    ConfirmEnd = 4,
    /// <summary>The branch is ended; the reply says why and what the user can do now.</summary>
    End = 5,
}

/// <summary>Why a branch was ended.</summary>
[GenerateSerializer, Alias("parley.EndReason")]
public enum EndReason
{
    /// <summary>Abuse aimed at the assistant went on after a warning.</summary>
    PersistentAbuse = 1,
    /// <summary>Requests for severely harmful content went on after a warning.</summary>
    PersistentHarmfulRequests = 2,
    /// <summary>The user asked to end the conversation and confirmed.</summary>
    UserRequested = 3,
}

/// <summary>A user's vote on an assistant turn.</summary>
[GenerateSerializer, Alias("parley.Rating")]
public enum Rating
{
    /// <summary>No vote (or a withdrawn vote).</summary>
    None = 0,
    /// <summary>Thumbs up.</summary>
    Up = 1,
    /// <summary>Thumbs down.</summary>
    Down = 2,
}

/// <summary>Whom a message is aimed at, as the classifier judged it (the classifier's <c>MessageTarget</c> is this type).</summary>
[GenerateSerializer, Alias("parley.Target")]
public enum Target
{
    /// <summary>No one in particular (a bug, a topic, the user themself).</summary>
    Nothing = 0,
    /// <summary>The assistant.</summary>
    Assistant = 1,
    /// <summary>A person or a group.</summary>
    PersonOrGroup = 2,
}

/// <summary>What a message counted as for the policy (stored with each exchange: an ending's leading turns are those of its kind).</summary>
[GenerateSerializer, Alias("parley.Violation")]
public enum Violation
{
    /// <summary>Nothing the policy counts.</summary>
    None = 0,
    /// <summary>Abuse aimed at the assistant (harassment, threats, hate).</summary>
    Abuse = 1,
    /// <summary>A request for severely harmful content.</summary>
    HarmfulRequest = 2,
}

/// <summary>Stable snake_case wire names for the enums above (used by the HTTP API, the CLI and reports).</summary>
public static class WireNames
{
    /// <summary>The wire name of a decision, e.g. <c>crisis_support</c>.</summary>
    public static string Name(this Decision decision) => decision switch
    {
        Decision.Respond => "respond",
        Decision.Redirect => "redirect",
        Decision.Warn => "warn",
        Decision.CrisisSupport => "crisis_support",
        Decision.ConfirmEnd => "confirm_end",
        Decision.End => "end",
        _ => throw new ArgumentOutOfRangeException(nameof(decision)),
    };

    /// <summary>The wire name of an end reason, e.g. <c>persistent_abuse</c>.</summary>
    public static string Name(this EndReason reason) => reason switch
    {
        EndReason.PersistentAbuse => "persistent_abuse",
        EndReason.PersistentHarmfulRequests => "persistent_harmful_requests",
        EndReason.UserRequested => "user_requested",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The wire name of a rating: <c>up</c>, <c>down</c> or <c>none</c>.</summary>
    public static string Name(this Rating rating) => rating switch
    {
        Rating.Up => "up",
        Rating.Down => "down",
        _ => "none",
    };

    /// <summary>The wire name of a target: <c>assistant</c>, <c>person_or_group</c> or <c>nothing</c>.</summary>
    public static string Name(this Target target) => target switch
    {
        Target.Assistant => "assistant",
        Target.PersonOrGroup => "person_or_group",
        _ => "nothing",
    };
}
