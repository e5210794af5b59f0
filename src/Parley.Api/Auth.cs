using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
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

    /// <summary>Roles.</summary>
    public const string Role = "role";

    /// <summary>The operator role: feedback totals and the audit log of endings.</summary>
    public const string OperatorRole = "operator";

    /// <summary>The authorization policy name for operator endpoints.</summary>
    public const string OperatorPolicy = "parley-operator";
}

/// <summary>Holds the signing key; validates and (for the development sign-in) issues tokens.</summary>
public sealed class ParleyTokens
{
    private readonly ParleyAuthOptions _options;

    /// <summary>Creates the service; throws when no signing key is configured and the development sign-in is off.</summary>
    public ParleyTokens(IOptions<ParleyAuthOptions> options, ILogger<ParleyTokens> logger)
    {
        _options = options.Value;
        byte[] key;
        if (!string.IsNullOrEmpty(_options.SigningKey))
        {
            key = Encoding.UTF8.GetBytes(_options.SigningKey);
            if (key.Length < 32)
            {
                throw new InvalidOperationException("Parley:Auth:SigningKey must be at least 32 bytes.");
            }
        }
        else if (_options.DevSignIn)
        {
            key = RandomNumberGenerator.GetBytes(32);
            logger.LogWarning("Parley:Auth:SigningKey is not set: using a random per-process key (development sign-in is on). Tokens will not survive a restart.");
        }
        else
        {
            throw new InvalidOperationException("Parley:Auth:SigningKey is required (or enable the development-only Parley:Auth:DevSignIn).");
        }

        Key = new SymmetricSecurityKey(key);
    }

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
        RoleClaimType = ParleyClaims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <summary>Issues a token for <paramref name="userId"/> with <paramref name="roles"/>.</summary>
    public (string Token, DateTimeOffset Expires) Issue(string userId, IEnumerable<string> roles)
    {
        var claims = new List<Claim> { new(ParleyClaims.UserId, userId), new(ParleyClaims.Name, userId) };
        claims.AddRange(roles.Select(r => new Claim(ParleyClaims.Role, r)));
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
