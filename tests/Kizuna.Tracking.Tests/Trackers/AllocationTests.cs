namespace Kizuna.Tracking.Tests.Trackers;

public class AllocationTests
{
    /// <summary>
    /// After warm-up, stepping the 100-target tutorial scenario (with clutter, so tracks are born
    /// and deleted every scan) allocates zero bytes on the calling thread, for every configuration.
    /// </summary>
    [Theory]
    [InlineData("NCV+GNN")]
    [InlineData("NCV+JPDA")]
    [InlineData("IMM+GNN")]
    [InlineData("IMM+JPDA")]
    public void Step_SteadyState_AllocatesNothing(string configuration)
    {
        var scenario = new TutorialScenario(100, 120, seed: 21);
        var tracker = TrackerFactory.Create(configuration, TrackerFactory.TutorialOptions(scenario.ClutterDensity));
        for (var k = 0; k < 60; k++)
        {
            tracker.Step(TutorialScenario.Epoch.AddSeconds(k), scenario.Scans[k]);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var detections = 0;
        for (var k = 60; k < 120; k++)
        {
            tracker.Step(TutorialScenario.Epoch.AddSeconds(k), scenario.Scans[k]);
            detections += scenario.Scans[k].Length;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"{configuration}: {allocated} bytes over {detections} detections");
        Assert.Equal(0, allocated);
    }
}
