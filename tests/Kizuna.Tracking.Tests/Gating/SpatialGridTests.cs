using Kizuna.Core;
using Kizuna.Tracking.Gating;

namespace Kizuna.Tracking.Tests.Gating;

public class SpatialGridTests
{
    /// <summary>Every query returns exactly the brute-force set, for small, cell-sized and huge radii, negative coordinates and a tiny hash table.</summary>
    [Theory]
    [InlineData(1.0, 0.3)]
    [InlineData(5.0, 5.0)]
    [InlineData(2.0, 17.0)]
    [InlineData(0.5, 1e6)]
    public void Query_RandomPoints_EqualsBruteForce(double cell, double radius)
    {
        var random = new Random(7);
        var grid = new SpatialGrid();
        grid.Reset(cell, 4); // deliberately small: forces growth and collisions
        var points = new List<Vec3>();
        for (var i = 0; i < 500; i++)
        {
            var p = new Vec3((random.NextDouble() * 100) - 50, (random.NextDouble() * 100) - 50, (random.NextDouble() * 4) - 2);
            points.Add(p);
            Assert.Equal(i, grid.Add(p));
        }

        for (var q = 0; q < 200; q++)
        {
            var c = new Vec3((random.NextDouble() * 120) - 60, (random.NextDouble() * 120) - 60, 0);
            var expected = Enumerable.Range(0, points.Count).Where(i => (points[i] - c).Norm <= radius).ToHashSet();
            var actual = new List<int>();
            foreach (var i in grid.Query(c, radius))
            {
                actual.Add(i);
            }

            Assert.Equal(expected.Count, actual.Count);
            Assert.True(expected.SetEquals(actual));
        }
    }

    [Fact]
    public void Reset_ClearsPreviousPoints()
    {
        var grid = new SpatialGrid();
        grid.Reset(1, 1);
        grid.Add(new Vec3(0, 0, 0));
        grid.Reset(1, 1);
        var n = 0;
        foreach (var unused in grid.Query(Vec3.Zero, 10))
        {
            n++;
        }

        Assert.Equal(0, n);
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.Reset(0, 1));
    }
}
