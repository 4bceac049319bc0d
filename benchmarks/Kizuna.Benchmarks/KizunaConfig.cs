using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Kizuna.Benchmarks;

/// <summary>Shared benchmark configuration: memory is always measured (STYLE.md habit 10).</summary>
internal sealed class KizunaConfig : ManualConfig
{
    public KizunaConfig()
    {
        AddDiagnoser(MemoryDiagnoser.Default);
        Add(DefaultConfig.Instance);
    }
}
