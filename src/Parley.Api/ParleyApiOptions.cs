namespace Parley.Api;

/// <summary>HTTP API settings (configuration section <c>Parley:Api</c>, auth in <c>Parley:Auth</c>). Input limits are <see cref="Parley.Abstractions.InputRules"/>.</summary>
public sealed class ParleyApiOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Parley:Api";

    /// <summary>Largest accepted request body on <c>/api</c>, in bytes (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Longest accepted request target (path and query), in bytes (414 problem above it).</summary>
    public int MaxRequestTargetLength { get; set; } = 4096;

    /// <summary>Largest accepted total size of the request headers, in bytes (431 problem above it).</summary>
    public int MaxRequestHeadersBytes { get; set; } = 16 * 1024;

    /// <summary>Per-user rate limit (after authentication, by <c>sub</c>): requests allowed per <see cref="RateLimitWindow"/> (429 beyond it).</summary>
    public int RateLimitPermits { get; set; } = 120;

    /// <summary>
    /// Per-client-address rate limit (before authentication, every request but <c>/health</c>): requests allowed per
    /// <see cref="RateLimitWindow"/>. The address is the connection's, or the <c>X-Forwarded-For</c> one when the
    /// connection comes from one of <see cref="TrustedProxies"/>.
    /// </summary>
    public int AddressRateLimitPermits { get; set; } = 600;

    /// <summary>
    /// The window of both rate limits. They are token buckets: the full allowance may be used at once, and it comes back
    /// evenly over the window (one request every window / permits), so <c>Retry-After</c> is the time until the next one.
    /// </summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Reverse proxies (IP addresses, or networks in CIDR notation such as <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c>
    /// and <c>X-Forwarded-Proto</c> headers are believed. Empty (the default): the headers are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Serve <c>/metrics</c> without sign-in (for a private network). Off: it needs the operator role.</summary>
    public bool PublicMetrics { get; set; }

    /// <summary>Serve the OpenAPI document (<c>/openapi/v1.json</c>) without sign-in. Off: it needs a signed-in user.</summary>
    public bool PublicOpenApi { get; set; }
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
    /// The HMAC-SHA256 signing key (at least 32 bytes of text). Required, except in the Development environment with
    /// <see cref="DevSignIn"/> on, where an empty key means a random per-process key.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The token claim that carries roles (for example <c>role</c>, <c>roles</c> or <c>groups</c>, as your identity provider issues them).</summary>
    public string RoleClaim { get; set; } = ParleyClaims.Role;

    /// <summary>The role value (in <see cref="RoleClaim"/>) that grants the operator endpoints.</summary>
    public string OperatorRole { get; set; } = ParleyClaims.OperatorRole;

    /// <summary>
    /// DEVELOPMENT ONLY: enables <c>POST /api/dev/sign-in</c>, which issues a token for any user name without a password.
    /// The host refuses to start with it on outside the Development environment unless
    /// <see cref="UnsafeAllowDevSignInOutsideDevelopment"/> is set.
    /// </summary>
    public bool DevSignIn { get; set; }

    /// <summary>
    /// UNSAFE: lets <see cref="DevSignIn"/> run outside the Development environment (a throwaway demo or test deployment).
    /// Anyone can then sign in as any user; the operator role is still never granted by the sign-in form there.
    /// </summary>
    public bool UnsafeAllowDevSignInOutsideDevelopment { get; set; }

    /// <summary>Lifetime of tokens issued by the development sign-in.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
