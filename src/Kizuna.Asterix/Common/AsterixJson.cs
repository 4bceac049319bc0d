using System.Text.Json;
using Kizuna.Asterix.Common;

namespace Kizuna.Asterix;

/// <summary>JSON form of one record (one object per line for <c>kizuna asterix dump</c>).</summary>
/// <remarks>
/// Layout: <c>{"cat":48,"edition":"1.31","items":{"I048/010":{"hex":"19C9", ...typed values with units}}}</c>.
/// Every present item carries its raw bytes as hex; items with typed fields add their decoded values, named with
/// the unit (e.g. <c>rho_nm</c>, <c>theta_deg</c>).
/// </remarks>
public static class AsterixJson
{
    /// <summary>Writes <paramref name="r"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, AsterixRecord r)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        w.WriteStartObject();
        w.WriteNumber("cat", r.Category);
        if (r.Uap is { } uap)
        {
            w.WriteString("edition", uap.Edition);
            if (uap.Variation.Length > 0)
            {
                w.WriteString("uap", uap.Variation);
            }

            w.WriteStartObject("items");
            for (var frn = 1; frn <= uap.Count; frn++)
            {
                if (!r.Has(frn))
                {
                    continue;
                }

                var name = uap.Items[frn - 1].Name;
                w.WriteStartObject(name.Length == 3 ? $"I{r.Category:D3}/{name}" : name);
                w.WriteString("hex", Convert.ToHexString(r.GetItemBytes(frn)));
                WriteTyped(w, r, name);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteTyped(Utf8JsonWriter w, AsterixRecord r, string item)
    {
        switch (r.Category, item)
        {
            case (48, "010"): w.WriteNumber("SAC", r.Cat048.Sac); w.WriteNumber("SIC", r.Cat048.Sic); break;
            case (48, "140"): w.WriteNumber("ToD_s", r.Cat048.TimeOfDaySeconds); break;
            case (48, "020"): w.WriteNumber("TYP", r.Cat048.Typ); w.WriteBoolean("SIM", r.Cat048.Simulated); break;
            case (48, "040"): w.WriteNumber("RHO_NM", r.Cat048.RangeNauticalMiles); w.WriteNumber("RHO_m", r.Cat048.RangeMetres); w.WriteNumber("THETA_deg", r.Cat048.AzimuthDegrees); break;
            case (48, "070"): w.WriteString("Mode3A", r.Cat048.Mode3AOctal.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)); break;
            case (48, "090"): w.WriteNumber("FL", r.Cat048.FlightLevel); break;
            case (48, "220"): w.WriteString("ADR", r.Cat048.AircraftAddress.ToString("X6", System.Globalization.CultureInfo.InvariantCulture)); break;
            case (48, "240"): w.WriteString("ID", r.Cat048.Callsign); break;
            case (48, "161"): w.WriteNumber("TRN", r.Cat048.TrackNumber); break;
            case (48, "042"): w.WriteNumber("X_m", r.Cat048.XMetres); w.WriteNumber("Y_m", r.Cat048.YMetres); break;
            case (48, "120") when r.Cat048.HasCalculatedDopplerSpeed:
                w.WriteNumber("CAL_mps", r.Cat048.CalculatedDopplerSpeedMetresPerSecond); w.WriteBoolean("D", r.Cat048.DopplerSpeedDoubtful); break;
            case (48, "200"): w.WriteNumber("GSP_kt", r.Cat048.GroundSpeedKnots); w.WriteNumber("HDG_deg", r.Cat048.HeadingDegrees); break;
            case (34, "010"): w.WriteNumber("SAC", r.Cat034.Sac); w.WriteNumber("SIC", r.Cat034.Sic); break;
            case (34, "000"): w.WriteNumber("MT", r.Cat034.MessageType); break;
            case (34, "030"): w.WriteNumber("ToD_s", r.Cat034.TimeOfDaySeconds); break;
            case (34, "020"): w.WriteNumber("SECTOR_deg", r.Cat034.SectorDegrees); break;
            case (34, "041"): w.WriteNumber("ARS_s", r.Cat034.AntennaRotationSeconds); break;
            case (34, "120"): w.WriteNumber("HGT_m", r.Cat034.SiteHeightMetres); w.WriteNumber("LAT_deg", r.Cat034.SiteLatitudeDegrees); w.WriteNumber("LON_deg", r.Cat034.SiteLongitudeDegrees); break;
            case (62, "010"): w.WriteNumber("SAC", r.Cat062.Sac); w.WriteNumber("SIC", r.Cat062.Sic); break;
            case (62, "070"): w.WriteNumber("ToT_s", r.Cat062.TimeOfTrackSeconds); break;
            case (62, "105"): w.WriteNumber("LAT_deg", r.Cat062.LatitudeDegrees); w.WriteNumber("LON_deg", r.Cat062.LongitudeDegrees); break;
            case (62, "100"): w.WriteNumber("X_m", r.Cat062.XRaw * 0.5); w.WriteNumber("Y_m", r.Cat062.YRaw * 0.5); break;
            case (62, "185"): w.WriteNumber("VX_mps", r.Cat062.VxRaw * 0.25); w.WriteNumber("VY_mps", r.Cat062.VyRaw * 0.25); break;
            case (62, "040"): w.WriteNumber("TRK", r.Cat062.TrackNumber); break;
            case (62, "380"):
                if (r.Cat062.TargetAddress >= 0) { w.WriteString("ADR", r.Cat062.TargetAddress.ToString("X6", System.Globalization.CultureInfo.InvariantCulture)); }
                if (r.Cat062.HasCallsign) { w.WriteString("ID", r.Cat062.Callsign); }
                break;
            case (62, "136"): w.WriteNumber("MFL_FL", r.Cat062.MeasuredFlightLevelRaw / 4.0); break;
            case (21, "010"): w.WriteNumber("SAC", r.Cat021.Sac); w.WriteNumber("SIC", r.Cat021.Sic); break;
            case (21, "130"):
            {
                // ed. 2.x LSB 180/2^23 deg; ed. 0.26 LSB 180/2^25 deg.
                var lsb = r.Uap!.Edition == "0.26" ? 180.0 / 33554432.0 : 180.0 / 8388608.0;
                w.WriteNumber("LAT_deg", r.Cat021.LatitudeRaw * lsb);
                w.WriteNumber("LON_deg", r.Cat021.LongitudeRaw * lsb);
                break;
            }

            case (21, "131") when r.Uap!.Edition != "0.26":
                w.WriteNumber("LAT_deg", r.Cat021.LatitudeHighResRaw * (180.0 / 1073741824.0));
                w.WriteNumber("LON_deg", r.Cat021.LongitudeHighResRaw * (180.0 / 1073741824.0));
                break;
            case (21, "071" or "030"): w.WriteNumber("ToD_s", r.Cat021.TimeOfApplicabilityPositionSeconds); break;
            case (21, "073"): w.WriteNumber("ToD_s", r.Cat021.TimeOfReceptionPositionSeconds); break;
            case (21, "075"): w.WriteNumber("ToD_s", r.Cat021.TimeOfReceptionVelocitySeconds); break;
            case (21, "077"): w.WriteNumber("ToD_s", r.Cat021.TimeOfReportTransmissionSeconds); break;
            case (21, "070"): w.WriteString("Mode3A", r.Cat021.Mode3AOctal.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)); break;
            case (21, "080"): w.WriteString("ADR", r.Cat021.TargetAddress.ToString("X6", System.Globalization.CultureInfo.InvariantCulture)); break;
            case (21, "145"): w.WriteNumber("FL", r.Cat021.FlightLevel); break;
            case (21, "140"): w.WriteNumber("GH_ft", r.Cat021.GeometricHeightFeet); break;
            case (21, "170"): w.WriteString("ID", r.Cat021.Callsign); break;
            case (21, "161"): w.WriteNumber("TRN", r.Cat021.TrackNumber); break;
            case (1 or 2, "010"): w.WriteNumber("SAC", r.Cat001.Sac); w.WriteNumber("SIC", r.Cat001.Sic); break;
            case (1, "020"): w.WriteNumber("TYP", r.Cat001.IsTrack ? 1 : 0); w.WriteNumber("SSRPSR", r.Cat001.SsrPsr); break;
            case (1, "040"): w.WriteNumber("RHO_NM", r.Cat001.RangeNauticalMiles); w.WriteNumber("RHO_m", r.Cat001.RangeMetres); w.WriteNumber("THETA_deg", r.Cat001.AzimuthDegrees); break;
            case (1, "042"): w.WriteNumber("X_m", r.Cat001.XMetres); w.WriteNumber("Y_m", r.Cat001.YMetres); break;
            case (1, "200"): w.WriteNumber("GSP_kt", r.Cat001.GroundSpeedKnots); w.WriteNumber("HDG_deg", r.Cat001.HeadingDegrees); break;
            case (1, "070"): w.WriteString("Mode3A", r.Cat001.Mode3AOctal.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)); break;
            case (1, "090"): w.WriteNumber("FL", r.Cat001.FlightLevel); break;
            case (1, "141"): w.WriteNumber("ToD_trunc_s", r.Cat001.TruncatedTimeSeconds); break;
            case (1, "161"): w.WriteNumber("TRN", r.Cat001.TrackNumber); break;
            case (2, "000"): w.WriteNumber("MT", r.Cat001.MessageType); break;
            case (2, "020"): w.WriteNumber("SECTOR_deg", r.Cat001.SectorDegrees); break;
            case (2, "030"): w.WriteNumber("ToD_s", r.Cat001.TimeOfDaySeconds); break;
            default: break;
        }
    }
}
