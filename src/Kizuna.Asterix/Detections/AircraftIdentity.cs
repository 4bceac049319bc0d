namespace Kizuna.Asterix.Detections;

/// <summary>The last cooperative identity data seen for one ICAO 24-bit address (Mode S / ADS-B).</summary>
/// <param name="Mode3A">Mode 3/A code, 12 bits, or −1 when never seen.</param>
/// <param name="Callsign">Aircraft identification (8 characters, space padded), or null when never seen.</param>
/// <param name="FlightLevelRaw">Last flight level, LSB 1/4 FL, or null when never seen.</param>
public readonly record struct AircraftIdentity(int Mode3A, string? Callsign, int? FlightLevelRaw);
