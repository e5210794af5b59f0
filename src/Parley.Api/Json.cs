using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Abstractions;

namespace Parley.Api;

/// <summary>Writes a <see cref="TurnId"/> as its string form <c>"branch.depth"</c>.</summary>
public sealed class TurnIdJsonConverter : JsonConverter<TurnId>
{
    /// <inheritdoc />
    public override TurnId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && TurnId.TryParse(reader.GetString(), out var id)
            ? id
            : throw new JsonException("A turn id is a string \"branch.depth\", e.g. \"0.3\".");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TurnId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>JSON settings of the API: camelCase properties, snake_case enum values (the <see cref="WireNames"/>), turn ids as strings.</summary>
public static class ParleyJson
{
    /// <summary>Applies the settings.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new TurnIdJsonConverter());
        options.NumberHandling = JsonNumberHandling.Strict; // "1" is not a number: a shape error, 400
        options.AllowDuplicateProperties = false;
    }
}

/// <summary>Body of <c>POST /api/dev/sign-in</c>.</summary>
/// <param name="UserName">The user name (1 to 64 letters, digits, <c>.</c>, <c>_</c> or <c>-</c>); it becomes the user id.</param>
/// <param name="Operator">Also grant the operator role (only in the Development environment).</param>
public sealed record DevSignInRequest(string? UserName, bool Operator = false);

/// <summary>A token issued by the development sign-in.</summary>
public sealed record DevSignInResponse(string Token, string UserId, IReadOnlyList<string> Roles, DateTimeOffset Expires, bool DevelopmentOnly, string Warning);

/// <summary>The signed-in user.</summary>
public sealed record MeResponse(string UserId, IReadOnlyList<string> Roles);

/// <summary>Body of <c>POST /api/conversations</c>.</summary>
/// <param name="Title">Optional title (by default the start of the first message).</param>
/// <param name="Locale">Optional locale such as <c>en-GB</c> (selects the crisis resources).</param>
public sealed record CreateConversationRequest(string? Title = null, string? Locale = null);

/// <summary>Body of a send or an edit. The client message id may instead be given in the <c>Idempotency-Key</c> header.</summary>
public sealed record SendMessageRequest(string? Text, string? ClientMessageId = null);

/// <summary>Body of <c>PUT .../current-branch</c>; <c>branchId</c> is a required JSON number.</summary>
public sealed record SwitchBranchRequest(int? BranchId);

/// <summary>Body of <c>PUT .../rating</c>: <c>up</c>, <c>down</c> or <c>none</c> (withdraw).</summary>
public sealed record RateRequest(string? Rating);

/// <summary>Body of <c>POST .../feedback</c>; <c>turnId</c> null means the conversation (for example its ending).</summary>
public sealed record FeedbackRequest(string? Text, string? TurnId = null);

/// <summary>Body of <c>PATCH /api/conversations/{id}</c>: the new title (1 to <see cref="InputRules.MaxTitleLength"/> characters).</summary>
public sealed record RenameRequest(string? Title);

/// <summary>A conversation with its status.</summary>
/// <param name="Id">The conversation id.</param>
/// <param name="Title">Its title in the list (may be empty).</param>
/// <param name="Status">Its status.</param>
/// <param name="CrisisResources">The crisis resources for its locale, as structured data (the web chat's resource card); omitted on create.</param>
public sealed record ConversationResponse(string Id, string Title, StatusResponse Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CrisisResourceResponse>? CrisisResources = null);
