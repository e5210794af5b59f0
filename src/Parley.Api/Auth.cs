using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parley.Api;

/// <summary>Claim names and roles used by the API.</summary>
public static class ParleyClaims
{
    /// <summary>The user id (the conversation owner).</summary>
    public const string UserId = "sub";

    /// <summary>The display name.</summary>
    public const string Name = "name";

    /// <summary>The default role claim (<c>Parley:Auth:RoleClaim</c>).</summary>
    public const string Role = "role";

    /// <summary>The default operator role (<c>Parley:Auth:OperatorRole</c>): feedback totals, the audit log of endings, classifier evidence, metrics.</summary>
    public const string OperatorRole = "operator";

    /// <summary>The authorization policy name for operator endpoints.</summary>
    public const string OperatorPolicy = "parley-operator";

    /// <summary>Parley's own claim, set after token validation when the token has the configured operator role; never taken from a token.</summary>
    public const string Operator = "parley:operator";

    /// <summary>Marks a validated principal as an operator when it has <paramref name="operatorRole"/> (in its role claim); drops any such mark the token carried.</summary>
    public static Task MarkOperator(ClaimsPrincipal? principal, string operatorRole)
    {
        if (principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var forged in identity.FindAll(Operator).ToList())
            {
                identity.RemoveClaim(forged);
            }

            if (principal.IsInRole(operatorRole))
            {
                identity.AddClaim(new Claim(Operator, "true"));
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Holds the signing key; validates and (for the development sign-in) issues tokens. Created at startup, where it refuses
/// an unsafe configuration: the development sign-in outside Development (unless explicitly, loudly overridden), or no
/// signing key where a random one would be wrong.
/// </summary>
public sealed class ParleyTokens
{
    private readonly ParleyAuthOptions _options;

    /// <summary>Creates the service; throws <see cref="InvalidOperationException"/> on an unsafe or incomplete configuration.</summary>
    public ParleyTokens(IOptions<ParleyAuthOptions> options, IHostEnvironment environment, ILogger<ParleyTokens> logger)
    {
        _options = options.Value;
        IsDevelopment = environment.IsDevelopment();
        if (_options.DevSignIn && !IsDevelopment)
        {
            if (!_options.UnsafeAllowDevSignInOutsideDevelopment)
            {
                throw new InvalidOperationException(
                    $"Refusing to start: Parley:Auth:DevSignIn is on in the '{environment.EnvironmentName}' environment. The development sign-in " +
                    "issues a token for any user name without a password. Turn it off (Parley__Auth__DevSignIn=false) and use tokens from your " +
                    "identity provider, or run with ASPNETCORE_ENVIRONMENT=Development on your own machine. For a throwaway deployment only, " +
                    "Parley:Auth:UnsafeAllowDevSignInOutsideDevelopment=true overrides this check.");
            }

            logger.LogCritical("UNSAFE: the development sign-in is on in the '{Environment}' environment " +
                "(Parley:Auth:UnsafeAllowDevSignInOutsideDevelopment): anyone can sign in as any user.", environment.EnvironmentName);
        }

        byte[] key;
        if (!string.IsNullOrEmpty(_options.SigningKey))
        {
            key = Encoding.UTF8.GetBytes(_options.SigningKey);
            if (key.Length < 32)
            {
                throw new InvalidOperationException("Refusing to start: Parley:Auth:SigningKey must be at least 32 bytes.");
            }
        }
        else if (_options.DevSignIn && IsDevelopment)
        {
            key = RandomNumberGenerator.GetBytes(32);
            logger.LogWarning("Parley:Auth:SigningKey is not set: using a random per-process key (Development, development sign-in on). Tokens will not survive a restart.");
        }
        else
        {
            throw new InvalidOperationException(
                $"Refusing to start: Parley:Auth:SigningKey is not set (environment '{environment.EnvironmentName}'). Set it (Parley__Auth__SigningKey, " +
                "at least 32 bytes, the key your identity provider signs tokens with, shared by all front ends) together with " +
                "Parley:Auth:Issuer and Parley:Auth:Audience. See docs/security.md.");
        }

        Key = new SymmetricSecurityKey(key);
    }

    /// <summary>True in the Development environment (the only one where the sign-in form may grant the operator role).</summary>
    public bool IsDevelopment { get; }

    /// <summary>The signing key.</summary>
    public SymmetricSecurityKey Key { get; }

    /// <summary>The validation parameters of bearer tokens.</summary>
    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = _options.Issuer,
        ValidAudience = _options.Audience,
        IssuerSigningKey = Key,
        ValidateIssuerSigningKey = true,
        NameClaimType = ParleyClaims.Name,
        RoleClaimType = _options.RoleClaim,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <summary>Issues a token for <paramref name="userId"/> with <paramref name="roles"/>.</summary>
    public (string Token, DateTimeOffset Expires) Issue(string userId, IEnumerable<string> roles)
    {
        var claims = new List<Claim> { new(ParleyClaims.UserId, userId), new(ParleyClaims.Name, userId) };
        claims.AddRange(roles.Select(r => new Claim(_options.RoleClaim, r)));
        var expires = DateTimeOffset.UtcNow.Add(_options.TokenLifetime);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
