namespace Parley.Api;

/// <summary>HTTP API settings (configuration section <c>Parley:Api</c>, auth in <c>Parley:Auth</c>).</summary>
public sealed class ParleyApiOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Api";

    /// <summary>Largest accepted request body on <c>/api</c>, in bytes (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Longest accepted message (and edited message), in characters (400 <c>message_too_long</c> above it).</summary>
    public int MaxMessageLength { get; set; } = 4000;

    /// <summary>Longest accepted written feedback, in characters.</summary>
    public int MaxFeedbackLength { get; set; } = 2000;

    /// <summary>Per-user rate limit: requests allowed per <see cref="RateLimitWindow"/> (429 beyond it).</summary>
    public int RateLimitPermits { get; set; } = 120;

    /// <summary>The rate limit's fixed window.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Authentication settings (configuration section <c>Parley:Auth</c>).</summary>
public sealed class ParleyAuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Auth";

    /// <summary>The token issuer (<c>iss</c>) accepted and issued.</summary>
    public string Issuer { get; set; } = "parley";

    /// <summary>The token audience (<c>aud</c>) accepted and issued.</summary>
    public string Audience { get; set; } = "parley-api";

    /// <summary>
    /// The HMAC-SHA256 signing key (at least 32 bytes of text). Required unless <see cref="DevSignIn"/> is on, in which case
    /// a random key is generated per process when it is empty (tokens then do not survive a restart or work across front ends).
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>DEVELOPMENT ONLY: enables <c>POST /api/dev/sign-in</c>, which issues a token for any user name without a password.</summary>
    public bool DevSignIn { get; set; }

    /// <summary>Lifetime of tokens issued by the development sign-in.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
