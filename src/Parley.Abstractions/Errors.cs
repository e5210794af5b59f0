namespace Parley.Abstractions;

/// <summary>
/// Base of every error Parley reports to callers. <see cref="Code"/> is a stable machine-readable code
/// (the HTTP API uses it as the problem type), the message is for people.
/// </summary>
[GenerateSerializer, Alias("parley.ParleyException")]
public class ParleyException : Exception
{
    /// <summary>Creates an exception with a code and a message.</summary>
    public ParleyException(string code, string message) : base(message) => Code = code;

    /// <summary>For the serializer.</summary>
    public ParleyException() => Code = "error";

    /// <summary>The stable machine-readable error code, e.g. <c>conversation_ended</c>.</summary>
    [Id(0)] public string Code { get; init; }
}

/// <summary>Stable error codes.</summary>
public static class ErrorCodes
{
    /// <summary>The conversation was never started.</summary>
    public const string ConversationNotFound = "conversation_not_found";
    /// <summary>The caller is not the conversation's owner.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>The message was sent to an ended branch.</summary>
    public const string ConversationEnded = "conversation_ended";
    /// <summary>The message text is empty or whitespace.</summary>
    public const string MessageEmpty = "message_empty";
    /// <summary>The message text is longer than allowed.</summary>
    public const string MessageTooLong = "message_too_long";
    /// <summary>A request field is missing or malformed.</summary>
    public const string InvalidRequest = "invalid_request";
    /// <summary>The turn id does not exist in this conversation.</summary>
    public const string UnknownTurn = "unknown_turn";
    /// <summary>The branch id does not exist in this conversation.</summary>
    public const string UnknownBranch = "unknown_branch";
    /// <summary>A per-conversation limit (branches, written feedback) is reached.</summary>
    public const string LimitReached = "limit_reached";
    /// <summary>Storage failed; nothing was stored and the call may be retried with the same client message id.</summary>
    public const string StorageUnavailable = "storage_unavailable";
    /// <summary>The chat model failed; nothing was stored and the call may be retried.</summary>
    public const string AssistantUnavailable = "assistant_unavailable";
}

/// <summary>A message was sent to a branch that has ended. Nothing was stored.</summary>
[GenerateSerializer, Alias("parley.ConversationEndedException")]
public sealed class ConversationEndedException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public ConversationEndedException(string conversationId, int branchId, EndReason reason)
        : base(ErrorCodes.ConversationEnded,
            $"Conversation '{conversationId}' branch {branchId} has ended ({reason.Name()}). " +
            "Start a new conversation, edit an earlier message to continue on a new branch, or leave feedback.")
    {
        ConversationId = conversationId;
        BranchId = branchId;
        Reason = reason;
    }

    /// <summary>For the serializer.</summary>
    public ConversationEndedException() { }

    /// <summary>The conversation.</summary>
    [Id(0)] public string ConversationId { get; init; } = "";

    /// <summary>The ended branch.</summary>
    [Id(1)] public int BranchId { get; init; }

    /// <summary>Why it ended.</summary>
    [Id(2)] public EndReason Reason { get; init; }

    /// <summary>
    /// The refused message signalled imminent risk to the user or someone else: the caller should show crisis resources
    /// with the refusal (the HTTP API adds them), since a person in danger must not meet only a closed door.
    /// </summary>
    [Id(3)] public bool ImminentRisk { get; init; }

    /// <summary>The conversation's locale (for the crisis resources of <see cref="ImminentRisk"/>); empty when none was set.</summary>
    [Id(4)] public string Locale { get; init; } = "";
}

/// <summary>Bad input: empty or oversized messages, missing ids, unknown turns or branches, limits reached.</summary>
[GenerateSerializer, Alias("parley.InvalidRequestException")]
public sealed class InvalidRequestException : ParleyException
{
    /// <summary>Creates the exception with one of the <see cref="ErrorCodes"/>.</summary>
    public InvalidRequestException(string code, string message) : base(code, message) { }

    /// <summary>For the serializer.</summary>
    public InvalidRequestException() { }
}

/// <summary>The conversation does not exist (it was never started).</summary>
[GenerateSerializer, Alias("parley.ConversationNotFoundException")]
public sealed class ConversationNotFoundException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public ConversationNotFoundException(string conversationId)
        : base(ErrorCodes.ConversationNotFound, $"Conversation '{conversationId}' does not exist.") { }

    /// <summary>For the serializer.</summary>
    public ConversationNotFoundException() { }
}

/// <summary>The caller is not the owner of the conversation.</summary>
[GenerateSerializer, Alias("parley.ConversationAccessDeniedException")]
public sealed class ConversationAccessDeniedException : ParleyException
{
    /// <summary>Creates the exception.</summary>
    public ConversationAccessDeniedException(string conversationId)
        : base(ErrorCodes.Forbidden, $"Conversation '{conversationId}' belongs to another user.") { }

    /// <summary>For the serializer.</summary>
    public ConversationAccessDeniedException() { }
}

/// <summary>A dependency (storage, the chat model) failed; nothing was stored and the call can be retried.</summary>
[GenerateSerializer, Alias("parley.ServiceUnavailableException")]
public sealed class ServiceUnavailableException : ParleyException
{
    /// <summary>Creates the exception with <see cref="ErrorCodes.StorageUnavailable"/> or <see cref="ErrorCodes.AssistantUnavailable"/>.</summary>
    public ServiceUnavailableException(string code, string message) : base(code, message) { }

    /// <summary>For the serializer.</summary>
    public ServiceUnavailableException() { }
}
