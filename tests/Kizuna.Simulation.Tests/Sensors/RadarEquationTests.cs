using Kizuna.Simulation.Sensors;

namespace Kizuna.Simulation.Tests.Sensors;

public class RadarEquationTests
{
    [Fact]
    public void MeanSnr_ReferenceTargetAtReferenceRange_EqualsReferenceSnr() =>
        Assert.Equal(RadarEquation.DecibelsToRatio(13), RadarEquation.MeanSnr(300_000, 1, 13, 300_000, 1), 12);

    [Fact]
    public void MeanSnr_DoubleRangeTenfoldRcs_FollowsFourthPowerLaw()
    {
        var snr = RadarEquation.MeanSnr(600_000, 10, 13, 300_000, 1);
        Assert.Equal(RadarEquation.DecibelsToRatio(13) * 10 / 16, snr, 9);
    }

    [Fact]
    public void SwerlingOne_ZeroSnr_EqualsFalseAlarmProbability() =>
        Assert.Equal(1e-6, RadarEquation.SwerlingOneDetectionProbability(0, 1e-6), 15);

    [Fact]
    public void SwerlingOne_ReferenceSnr13Db_Gives0517()
    {
        // Pd = (1e-6)^(1/(1 + 19.953)) = exp(−13.8155 / 20.953) = 0.5172.
        Assert.Equal(0.5172, RadarEquation.SwerlingOneDetectionProbability(RadarEquation.DecibelsToRatio(13), 1e-6), 4);
    }

    /// <summary>
    /// Checks the closed form against the physics it summarises: a Rayleigh (complex Gaussian)
    /// target echo of mean power SNR̄ plus unit complex Gaussian noise, square-law detected against
    /// T = −ln Pfa, 10,000 independent trials, agrees with Pfa^(1/(1+SNR̄)) within 3σ.
    /// </summary>
    [Theory]
    [InlineData(13.0, 1e-6)]
    [InlineData(6.0, 1e-4)]
    public void SwerlingOne_ClosedForm_MatchesMonteCarloOfRayleighTargetInNoise(double snrDb, double pfa)
    {
        var snr = RadarEquation.DecibelsToRatio(snrDb);
        var threshold = -Math.Log(pfa);
        var random = new Random(1234);
        const int trials = 10_000;
        var hits = 0;
        for (var k = 0; k < trials; k++)
        {
            var signalScale = Math.Sqrt(snr / 2);
            var i = (signalScale * SensorRandom.Gaussian(random)) + (Math.Sqrt(0.5) * SensorRandom.Gaussian(random));
            var q = (signalScale * SensorRandom.Gaussian(random)) + (Math.Sqrt(0.5) * SensorRandom.Gaussian(random));
            if ((i * i) + (q * q) > threshold)
            {
                hits++;
            }
        }

        SensorTestKit.AssertProportion(hits, trials, RadarEquation.SwerlingOneDetectionProbability(snr, pfa), "Swerling 1 Monte Carlo");
    }
}
