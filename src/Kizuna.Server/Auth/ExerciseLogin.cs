using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Kizuna.Core;
using Kizuna.Server.Picture;

namespace Kizuna.Server.Auth;

/// <summary>A logged-in user of the web picture: a nation and a role.</summary>
/// <param name="Nation">The user's nation (decides what may be released to them).</param>
/// <param name="Role">The user's role (decides what they may do).</param>
public readonly record struct Viewer(Nation Nation, ViewerRole Role)
{
    /// <summary>"JPN/commander".</summary>
    public override string ToString() => $"{Nation}/{ExerciseLogin.RoleName(Role)}";
}

/// <summary>
/// Exercise-grade login: the user picks a nation and a role, and the server issues an HttpOnly,
/// SameSite=Strict cookie carrying both. There is no password — it separates views in an exercise
/// and proves the server-side release checks; it is not an authentication system for real
/// classified data (docs/web.md says what a real deployment needs instead).
/// </summary>
public static class ExerciseLogin
{
    /// <summary>Cookie authentication scheme name.</summary>
    public const string Scheme = "KizunaExercise";

    /// <summary>Claim type holding the nation code.</summary>
    public const string NationClaim = "kizuna:nation";

    /// <summary>Claim type holding the role name.</summary>
    public const string RoleClaim = "kizuna:role";

    /// <summary>The nations that may log in.</summary>
    public static IReadOnlyList<Nation> Nations { get; } = [Nation.Usa, Nation.Japan, Nation.Australia, Nation.UnitedKingdom];

    /// <summary>Lower-case role name.</summary>
    public static string RoleName(ViewerRole role) => role switch
    {
        ViewerRole.Commander => "commander",
        ViewerRole.Operator => "operator",
        _ => "observer",
    };

    /// <summary>Parses a login request; false when the nation is not one of <see cref="Nations"/> or the role is unknown.</summary>
    public static bool TryParse(string? nation, string? role, out Viewer viewer)
    {
        viewer = default;
        if (!Nation.TryParse(nation, out var n) || !Nations.Contains(n))
        {
            return false;
        }

        ViewerRole? r = role?.ToUpperInvariant() switch
        {
            "COMMANDER" => ViewerRole.Commander,
            "OPERATOR" => ViewerRole.Operator,
            "OBSERVER" => ViewerRole.Observer,
            _ => null,
        };
        if (r is null)
        {
            return false;
        }

        viewer = new Viewer(n, r.Value);
        return true;
    }

    /// <summary>The principal stored in the cookie.</summary>
    public static ClaimsPrincipal ToPrincipal(Viewer viewer) =>
        new(new ClaimsIdentity(
            [new Claim(NationClaim, viewer.Nation.Code), new Claim(RoleClaim, RoleName(viewer.Role)), new Claim(ClaimTypes.Name, viewer.ToString())],
            Scheme));

    /// <summary>Reads the viewer back from an authenticated principal.</summary>
    public static bool TryGetViewer(ClaimsPrincipal? user, [NotNullWhen(true)] out Viewer? viewer)
    {
        viewer = null;
        if (user?.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        if (TryParse(user.FindFirst(NationClaim)?.Value, user.FindFirst(RoleClaim)?.Value, out var v))
        {
            viewer = v;
            return true;
        }

        return false;
    }
}
