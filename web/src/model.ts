// The picture as the browser holds it: filled by the live feed (snapshot, then deltas).

export const KIND_NAMES = ["Unknown", "Aircraft", "Civil aircraft", "Cruise missile", "Ballistic missile", "Surface", "Interceptor"];
export const AFFILIATION_NAMES = ["Pending", "Unknown", "Assumed friend", "Friend", "Neutral", "Suspect", "Hostile"];
/** APP-6 / 2525 standard identity letters, indexed like AFFILIATION_NAMES. */
export const AFFILIATION_LETTERS = ["P", "U", "A", "F", "N", "S", "H"];

/** One track; the wire array layout is PictureJson.TrackLayout on the server. */
export interface Track {
  tn: number;
  lat: number;
  lon: number;
  h: number;
  ve: number;
  vn: number;
  vu: number;
  sigma: number;
  q: number;
  kind: number;
  aff: number;
  nation: string;
  marking: string;
  sensors: string[];
  icao: number;
  /** Simulation time (Unix ms) of the state. */
  time: number;
  /** Previous positions [lon, lat] (oldest first), at most TRAIL_POINTS. */
  trail: number[];
}

export const TRAIL_POINTS = 12;

export interface Alert {
  id: string; time: number; state: string; warned: string; tn: number; kind: number; asset: string;
  lat: number; lon: number; semiMajorM: number; semiMinorM: number; orientationRad: number; impactTime: number; marking: string;
}

export interface Engagement {
  id: string; time: number; status: string; tn: number; battery: string; owner: string; decidedBy: string;
  interceptTime: number; pk: number; marking: string;
}

export interface Sensor { id: string; owner: string; lat: number; lon: number; rangeM: number; marking: string }
export interface Asset { name: string; owner: string; lat: number; lon: number; radiusM: number; marking: string }
export interface Battery { id: string; owner: string; lat: number; lon: number; marking: string }

export interface Clock { time: number; playing: boolean; speed: number; start: number; end: number; canPause: boolean; canSeek: boolean }

export interface Me { nation: string; role: string; canDecide: boolean; canControlClock: boolean }

type TrackWire = [number, number, number, number, number, number, number, number, number, number, number, string, string, string[], number];

export class Picture {
  readonly tracks = new Map<number, Track>();
  readonly alerts = new Map<string, Alert>();
  readonly engagements = new Map<string, Engagement>();
  sensors: Sensor[] = [];
  assets: Asset[] = [];
  batteries: Battery[] = [];
  clock: Clock = { time: 0, playing: false, speed: 1, start: 0, end: 0, canPause: false, canSeek: false };
  /** performance.now() when the clock was last received (dead reckoning between updates). */
  clockReceivedAt = 0;
  /** Incremented on every change (panels redraw when it moves). */
  version = 0;
  /** Alerts first seen in the last frame (for the optional sound). */
  newAlerts: Alert[] = [];

  apply(frame: any): void {
    this.newAlerts = [];
    if (frame.type === "snapshot") {
      this.tracks.clear();
      this.alerts.clear();
      this.engagements.clear();
      this.sensors = frame.sensors;
      this.assets = frame.assets;
      this.batteries = frame.batteries;
    }
    const time = frame.time as number;
    for (const w of frame.tracks as TrackWire[]) this.upsertTrack(w, time);
    if (frame.dropped) for (const tn of frame.dropped as number[]) this.tracks.delete(tn);
    for (const a of frame.alerts as Alert[]) {
      if (!this.alerts.has(a.id) && frame.type === "delta") this.newAlerts.push(a);
      this.alerts.set(a.id, a);
    }
    for (const e of frame.engagements as Engagement[]) this.engagements.set(e.id, e);
    this.clock = frame.clock;
    this.clockReceivedAt = performance.now();
    this.version++;
  }

  /** Simulation time now (ms), extrapolated from the last clock frame. */
  simNow(): number {
    if (!this.clock.playing) return this.clock.time;
    return this.clock.time + (performance.now() - this.clockReceivedAt) * this.clock.speed;
  }

  private upsertTrack(w: TrackWire, time: number): void {
    let t = this.tracks.get(w[0]);
    if (!t) {
      t = { tn: w[0], lat: w[1], lon: w[2], h: w[3], ve: w[4], vn: w[5], vu: w[6], sigma: w[7], q: w[8], kind: w[9], aff: w[10],
        nation: w[11], marking: w[12], sensors: w[13], icao: w[14], time, trail: [] };
      this.tracks.set(t.tn, t);
      return;
    }
    t.trail.push(t.lon, t.lat);
    if (t.trail.length > TRAIL_POINTS * 2) t.trail.splice(0, 2);
    t.lat = w[1]; t.lon = w[2]; t.h = w[3]; t.ve = w[4]; t.vn = w[5]; t.vu = w[6]; t.sigma = w[7]; t.q = w[8];
    t.kind = w[9]; t.aff = w[10]; t.nation = w[11]; t.marking = w[12]; t.sensors = w[13]; t.icao = w[14]; t.time = time;
  }
}

export function trackNumber(tn: number): string {
  return tn.toString().padStart(5, "0");
}

export function speedKt(t: Track): number {
  return Math.hypot(t.ve, t.vn) / 0.514444;
}

export function courseDeg(t: Track): number {
  const c = (Math.atan2(t.ve, t.vn) * 180) / Math.PI;
  return c < 0 ? c + 360 : c;
}

export function utc(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z";
}
