using System.Reflection;
using System.Runtime.CompilerServices;

namespace Kizuna.Core.Tests;

/// <summary>
/// Design rules enforced by reflection over Kizuna.Core (STYLE.md habit 6, after NodaTime's
/// MutabilityTest): value types are immutable, and no public static state can be changed.
/// </summary>
public class DesignRuleTests
{
    private static readonly Assembly Core = typeof(Vec3).Assembly;

    private static IEnumerable<Type> PublicTypes() => Core.GetTypes().Where(t => t.IsVisible);

    [Fact]
    public void EveryPublicStruct_IsReadOnly()
    {
        var structs = PublicTypes().Where(t => t.IsValueType && !t.IsEnum).ToList();

        var mutable = structs.Where(t => !t.IsDefined(typeof(IsReadOnlyAttribute), inherit: false)).Select(t => t.FullName).ToList();

        Assert.True(structs.Count >= 10, $"only {structs.Count} public structs found: the scan is not looking at Kizuna.Core");
        Assert.True(mutable.Count == 0, "public structs that are not readonly: " + string.Join(", ", mutable));
    }

    [Fact]
    public void NoPublicStaticField_IsMutable()
    {
        var offenders = PublicTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !f.IsInitOnly)
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name}")
            .ToList();

        Assert.True(offenders.Count == 0, "mutable public static fields: " + string.Join(", ", offenders));
    }

    [Fact]
    public void NoPublicStaticProperty_HasAPublicSetter()
    {
        var offenders = PublicTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => $"{p.DeclaringType!.FullName}.{p.Name}")
            .ToList();

        Assert.True(offenders.Count == 0, "public static properties with setters: " + string.Join(", ", offenders));
    }

    [Fact]
    public void PublicStaticReadonlyFields_HoldImmutableTypes()
    {
        // A readonly field of an array or other mutable reference type is still mutable state.
        var offenders = PublicTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => f.IsInitOnly && !f.FieldType.IsValueType && f.FieldType != typeof(string))
            .Where(f => !(f.FieldType.Namespace ?? string.Empty).StartsWith("System.Collections.Immutable", StringComparison.Ordinal))
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name}")
            .ToList();

        Assert.True(offenders.Count == 0, "public static readonly fields of mutable reference types: " + string.Join(", ", offenders));
    }
}
