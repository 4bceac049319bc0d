// The canvas map: Natural Earth basemap (world-atlas TopoJSON, d3-geo), overlays and tracks.
//
// Per-frame work is kept small (5,000 tracks at 1 Hz, ≥ 30 fps):
// - three layers: `base` (basemap, graticule; redrawn only on pan / zoom / resize), `scene` (base +
//   sensor coverage, assets, batteries, trails, impact ellipses; redrawn when the picture or the
//   view changes, i.e. about once a second) and the frame (scene blit + moving things);
// - each track is projected once per picture update (inline spherical Mercator, not d3's projection
//   stream) together with its screen velocity, and dead-reckoned in screen space every frame;
// - symbols are integer-aligned blits from one atlas canvas; level of detail: when more than
//   LOD_SYMBOLS tracks are on screen (or the map is zoomed out to the globe) routine tracks are
//   drawn as affiliation-coloured dots, while threats (missiles, hostile / suspect), engaged and
//   selected tracks always get their full symbol. `?lod=0` forces full symbols (measurement).
import { geoMercator, geoPath, geoGraticule10, geoCircle, GeoProjection, GeoPermissibleObjects } from "d3-geo";
import { feature, mesh } from "topojson-client";
import type { Topology, GeometryCollection } from "topojson-specification";
import { Picture, Track, Alert } from "./model";
import { symbolFor, atlasImage, CachedSymbol } from "./symbols";

const EARTH_R = 6_371_000;
const DEG = Math.PI / 180;
const AFF_COLOURS = ["#e6e600", "#e6e600", "#80e0ff", "#80e0ff", "#aaffaa", "#ff8080", "#ff8080"];
/** Dot colours per affiliation (index = Affiliation), brighter than the symbol fills so 4-px dots read on the basemap. */
const DOT_COLOURS = ["#f0f000", "#f0f000", "#80e0ff", "#80e0ff", "#aaffaa", "#ff6060", "#ff6060"];
/** Above this many tracks on screen routine tracks are drawn as dots. */
export const LOD_SYMBOLS = 1_000;
/** Below this Mercator scale (px per radian; the initial view is 1,400) routine tracks are dots. */
const LOD_MIN_SCALE = 700;
/** Dead reckoning is capped at this age (s): a track not updated for longer stays where it was last extrapolated. */
const MAX_DR_S = 60;
/** Trail points closer than this (px) to the previous kept point are skipped. */
const TRAIL_MIN_PX = 1.5;
/** Per-track cache stride in `geo`: x0, y0 (px at the track's time), vx, vy (px/s), time (sim ms). */
const STRIDE = 5;

export interface MapLayers { trails: boolean; leaders: boolean; coverage: boolean; assets: boolean; ellipses: boolean; engagements: boolean }

/**
 * Spherical Mercator as d3's geoMercator with center [0, 0] and no rotation:
 * x = tx + k·λ, y = ty − k·ln tan(π/4 + φ/2) (Snyder, Map Projections — A Working Manual, USGS PP 1395, eq. 7-1, 7-2, sphere),
 * λ wrapped to [−π, π] as d3's identity rotation does. Writes into `out` (no allocation).
 */
function mercator(k: number, tx: number, ty: number, lonDeg: number, latDeg: number, out: Float64Array, at: number): void {
  let lam = lonDeg * DEG;
  if (lam > Math.PI || lam < -Math.PI) lam -= Math.round(lam / (2 * Math.PI)) * 2 * Math.PI;
  const phi = Math.max(-89.5, Math.min(89.5, latDeg)) * DEG;
  out[at] = tx + k * lam;
  out[at + 1] = ty - k * Math.log(Math.tan(Math.PI / 4 + phi / 2));
}

export class MapView {
  readonly layers: MapLayers = { trails: true, leaders: true, coverage: true, assets: true, ellipses: true, engagements: true };
  selected = 0;
  onSelect: (tn: number) => void = () => {};
  /** Tracks drawn in the last frame (read by the browser tests). */
  drawnTracks = 0;
  /** Tracks drawn with a full symbol in the last frame (the rest were dots). */
  drawnSymbols = 0;
  frames = 0;
  /** Milliseconds of the last per-track cache rebuild and scene redraw (about once a second; the perf test reads them). */
  rebuildMs = 0;
  sceneMs = 0;
  /** False forces full symbols for every track (`?lod=0`). */
  lod = true;

  private readonly ctx: CanvasRenderingContext2D;
  private readonly base = document.createElement("canvas");
  private readonly scene = document.createElement("canvas");
  private readonly projection: GeoProjection;
  private land: GeoPermissibleObjects | null = null;
  private borders: GeoPermissibleObjects | null = null;
  /** View: Mercator scale (px/rad) and translation (screen position of lon 0, lat 0). */
  private k = 1400;
  private tx = 0;
  private ty = 0;
  private baseDirty = true;
  private viewGeneration = 0;
  private sceneKey = "";
  private width = 0;
  private height = 0;
  private dpr = 1;
  private readonly pt = new Float64Array(2);

  // Per-track cache, rebuilt when the picture version or the view changes.
  private cacheKey = "";
  private count = 0;
  private geo = new Float64Array(0);
  private tns = new Int32Array(0);
  private affs = new Uint8Array(0);
  /** 1 = always a full symbol (missile, hostile / suspect, engaged, selected). */
  private priority = new Uint8Array(0);
  private tracks: Track[] = [];
  private spritesFull: CachedSymbol[] = [];
  private spritesDense: CachedSymbol[] = [];
  /** Cache indices grouped by affiliation (dots are drawn one colour at a time). */
  private order = new Int32Array(0);
  private affStart = new Int32Array(8);
  /** Engagement targets and selection by track number → cache index. */
  private readonly indexOf = new Map<number, number>();

  // Per-frame screen positions (by cache index) and visibility.
  private sx = new Float64Array(0);
  private sy = new Float64Array(0);
  private onScreen = new Uint8Array(0);

  constructor(private readonly canvas: HTMLCanvasElement, private readonly picture: Picture) {
    this.ctx = canvas.getContext("2d")!;
    this.projection = geoMercator();
    this.resize();
    this.centreOn(135, 30);
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.installPanZoom();
  }

  async loadBasemap(url: string): Promise<void> {
    const topo = (await (await fetch(url)).json()) as Topology;
    const countries = topo.objects.countries as GeometryCollection;
    this.land = feature(topo, countries) as unknown as GeoPermissibleObjects;
    this.borders = mesh(topo, countries, (a, b) => a !== b) as unknown as GeoPermissibleObjects;
    this.viewChanged();
  }

  /** Screen position [x, y] (CSS px) of a geographic position, by the same projection the tracks use. */
  project(lon: number, lat: number): [number, number] {
    mercator(this.k, this.tx, this.ty, lon, lat, this.pt, 0);
    return [this.pt[0], this.pt[1]];
  }

  private viewChanged(): void {
    this.baseDirty = true;
    this.viewGeneration++;
  }

  private resize(): void {
    const oldW = this.width, oldH = this.height;
    this.dpr = window.devicePixelRatio || 1;
    this.width = this.canvas.clientWidth;
    this.height = this.canvas.clientHeight;
    this.canvas.width = Math.max(1, Math.round(this.width * this.dpr));
    this.canvas.height = Math.max(1, Math.round(this.height * this.dpr));
    for (const c of [this.base, this.scene]) { c.width = this.canvas.width; c.height = this.canvas.height; }
    // Keep the same geographic point at the centre.
    this.tx += (this.width - oldW) / 2;
    this.ty += (this.height - oldH) / 2;
    this.viewChanged();
  }

  private installPanZoom(): void {
    let drag: { x: number; y: number; moved: boolean } | null = null;
    this.canvas.addEventListener("pointerdown", (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
      this.canvas.setPointerCapture(e.pointerId);
    });
    this.canvas.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
      if (!drag.moved) return;
      this.tx += dx; this.ty += dy;
      drag.x = e.clientX; drag.y = e.clientY;
      this.viewChanged();
    });
    this.canvas.addEventListener("pointerup", (e) => {
      if (drag && !drag.moved) this.pick(e.offsetX, e.offsetY);
      drag = null;
    });
    this.canvas.addEventListener("wheel", (e) => {
      e.preventDefault();
      const f0 = Math.exp(-e.deltaY * 0.0015);
      const ns = Math.min(200_000, Math.max(150, this.k * f0));
      const f = ns / this.k;
      this.k = ns;
      this.tx = e.offsetX - (e.offsetX - this.tx) * f;
      this.ty = e.offsetY - (e.offsetY - this.ty) * f;
      this.viewChanged();
    }, { passive: false });
  }

  /** Centres the map on a position. */
  centreOn(lon: number, lat: number): void {
    mercator(this.k, this.tx, this.ty, lon, lat, this.pt, 0);
    this.tx += this.width / 2 - this.pt[0];
    this.ty += this.height / 2 - this.pt[1];
    this.viewChanged();
  }

  private pick(x: number, y: number): void {
    let best = 0, bestD = 14 * 14;
    for (let i = 0; i < this.count; i++) {
      if (!this.onScreen[i]) continue;
      const d = (this.sx[i] - x) ** 2 + (this.sy[i] - y) ** 2;
      if (d < bestD) { bestD = d; best = this.tns[i]; }
    }
    if (best) this.onSelect(best);
  }

  /** Basemap and graticule through d3-geo (slow: only on pan / zoom / resize). */
  private drawBase(): void {
    this.projection.scale(this.k).translate([this.tx, this.ty]);
    const c = this.base.getContext("2d")!;
    c.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    c.fillStyle = "#0b1a2b";
    c.fillRect(0, 0, this.width, this.height);
    const path = geoPath(this.projection, c);
    c.beginPath(); path(geoGraticule10()); c.strokeStyle = "rgba(120,150,180,0.18)"; c.lineWidth = 0.5; c.stroke();
    if (this.land) { c.beginPath(); path(this.land); c.fillStyle = "#1f2d22"; c.fill(); }
    if (this.borders) { c.beginPath(); path(this.borders); c.strokeStyle = "rgba(200,200,180,0.35)"; c.lineWidth = 0.6; c.stroke(); }
    this.baseDirty = false;
  }

  /** Rebuilds the per-track cache: one projection per track per update (not per frame). */
  private rebuildTracks(): void {
    const p = this.picture;
    const n = p.tracks.size;
    if (this.tns.length < n) {
      const cap = n + 256;
      this.geo = new Float64Array(cap * STRIDE);
      this.tns = new Int32Array(cap);
      this.affs = new Uint8Array(cap);
      this.priority = new Uint8Array(cap);
      this.order = new Int32Array(cap);
      this.sx = new Float64Array(cap);
      this.sy = new Float64Array(cap);
      this.onScreen = new Uint8Array(cap);
    }
    const engaged = new Set<number>();
    for (const e of p.engagements.values()) if (e.status !== "denied" && e.status !== "cancelled") engaged.add(e.tn);
    const g = this.geo, k = this.k, tx = this.tx, ty = this.ty, pt = this.pt;
    this.tracks.length = n;
    this.spritesFull.length = n;
    this.spritesDense.length = n;
    this.indexOf.clear();
    const affCount = new Int32Array(8);
    let i = 0;
    for (const t of p.tracks.values()) {
      mercator(k, tx, ty, t.lon, t.lat, pt, 0);
      // Screen velocity of Mercator: dx/dt = k·v_e / (R cos φ), dy/dt = −k·v_n / (R cos φ) (d/dφ ln tan(π/4 + φ/2) = sec φ).
      const sec = k / (EARTH_R * Math.cos(Math.max(-89.5, Math.min(89.5, t.lat)) * DEG));
      const o = i * STRIDE;
      g[o] = pt[0]; g[o + 1] = pt[1]; g[o + 2] = t.ve * sec; g[o + 3] = -t.vn * sec; g[o + 4] = t.time;
      this.tns[i] = t.tn;
      const aff = Math.min(7, t.aff);
      this.affs[i] = aff;
      affCount[aff]++;
      this.priority[i] = t.kind === 3 || t.kind === 4 || t.aff >= 5 || engaged.has(t.tn) || t.tn === this.selected ? 1 : 0;
      this.tracks[i] = t;
      this.spritesFull[i] = symbolFor(t, 20);
      this.spritesDense[i] = symbolFor(t, 16);
      this.indexOf.set(t.tn, i);
      i++;
    }
    this.count = n;
    let acc = 0;
    for (let a = 0; a < 8; a++) { this.affStart[a] = acc; acc += affCount[a]; }
    const fill = this.affStart.slice();
    for (let j = 0; j < n; j++) this.order[fill[this.affs[j]]++] = j;
  }

  /** Scene: base + coverage, assets, batteries, trails, impact ellipses (redrawn about once a second). */
  private drawScene(): void {
    const c = this.scene.getContext("2d")!;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.drawImage(this.base, 0, 0);
    c.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const p = this.picture;
    const path = geoPath(this.projection, c);
    if (this.layers.coverage) {
      c.lineWidth = 1;
      c.strokeStyle = "rgba(130,200,255,0.45)"; c.setLineDash([4, 4]);
      for (const s of p.sensors) {
        c.beginPath();
        path(geoCircle().center([s.lon, s.lat]).radius(s.rangeM / EARTH_R / DEG).precision(2)());
        c.stroke();
      }
      c.setLineDash([]);
      c.fillStyle = "#82c8ff"; c.font = "10px sans-serif";
      for (const s of p.sensors) {
        const [x, y] = this.project(s.lon, s.lat);
        c.fillRect(x - 3, y - 3, 6, 6); c.fillText(s.id, x + 5, y - 4);
      }
    }
    if (this.layers.assets) {
      for (const a of p.assets) {
        c.beginPath();
        path(geoCircle().center([a.lon, a.lat]).radius(a.radiusM / EARTH_R / DEG).precision(1)());
        c.fillStyle = "rgba(80,160,255,0.15)"; c.fill(); c.strokeStyle = "#5aa0ff"; c.lineWidth = 1.5; c.stroke();
        const [x, y] = this.project(a.lon, a.lat);
        c.fillStyle = "#cfe3ff"; c.font = "bold 11px sans-serif"; c.fillText(`◆ ${a.name}`, x + 6, y + 4);
      }
      c.fillStyle = "#80e0ff";
      for (const b of p.batteries) {
        const [x, y] = this.project(b.lon, b.lat);
        c.beginPath(); c.moveTo(x, y - 6); c.lineTo(x + 5, y + 4); c.lineTo(x - 5, y + 4); c.fill();
      }
    }
    if (this.layers.trails) {
      // Trails do not dead-reckon: previous reported positions and the latest one, one path for all tracks.
      // Screen-space decimation: a point closer than TRAIL_MIN_PX to the last one kept is skipped, so at theatre
      // zoom (4.5 km per pixel) a 12-update trail of an airliner collapses to nothing instead of 12 sub-pixel segments.
      const k = this.k, tx = this.tx, ty = this.ty, pt = this.pt, w = this.width, h = this.height;
      const min2 = TRAIL_MIN_PX * TRAIL_MIN_PX;
      c.beginPath();
      for (let i = 0; i < this.count; i++) {
        const tr = this.tracks[i].trail;
        if (tr.length < 2) continue;
        const o = i * STRIDE;
        const x1 = this.geo[o], y1 = this.geo[o + 1];
        if (x1 < -200 || y1 < -200 || x1 > w + 200 || y1 > h + 200) continue;
        mercator(k, tx, ty, tr[0], tr[1], pt, 0);
        let lx = pt[0], ly = pt[1];
        if ((x1 - lx) ** 2 + (y1 - ly) ** 2 < min2) continue;
        c.moveTo(lx, ly);
        for (let m = 2; m < tr.length; m += 2) {
          mercator(k, tx, ty, tr[m], tr[m + 1], pt, 0);
          if ((pt[0] - lx) ** 2 + (pt[1] - ly) ** 2 < min2) continue;
          c.lineTo(pt[0], pt[1]);
          lx = pt[0]; ly = pt[1];
        }
        c.lineTo(x1, y1);
      }
      c.strokeStyle = "rgba(255,255,255,0.28)"; c.lineWidth = 1; c.stroke();
    }
    if (this.layers.ellipses) for (const a of p.alerts.values()) if (a.state !== "cleared") this.drawEllipse(c, a);
  }

  /** Draws one frame. */
  draw(): void {
    if (this.baseDirty) this.drawBase();
    const p = this.picture;
    const l = this.layers;
    const key = `${p.version}/${this.viewGeneration}/${this.selected}`;
    if (key !== this.cacheKey) {
      const t0 = performance.now();
      this.rebuildTracks();
      this.cacheKey = key;
      this.rebuildMs = performance.now() - t0;
    }
    const sceneKey = `${key}/${l.coverage ? 1 : 0}${l.assets ? 1 : 0}${l.trails ? 1 : 0}${l.ellipses ? 1 : 0}`;
    if (sceneKey !== this.sceneKey) {
      const t0 = performance.now();
      this.drawScene();
      this.sceneKey = sceneKey;
      this.sceneMs = performance.now() - t0;
    }

    const c = this.ctx;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.drawImage(this.scene, 0, 0);
    c.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);

    // Dead reckoning in screen space and culling.
    const now = p.simNow();
    const g = this.geo, sx = this.sx, sy = this.sy, vis = this.onScreen, n = this.count;
    const w = this.width, h = this.height;
    let visible = 0;
    for (let i = 0; i < n; i++) {
      const o = i * STRIDE;
      const dt = Math.max(0, Math.min(MAX_DR_S, (now - g[o + 4]) / 1000));
      const x = g[o] + g[o + 2] * dt, y = g[o + 1] + g[o + 3] * dt;
      sx[i] = x; sy[i] = y;
      const on = x >= -20 && y >= -20 && x <= w + 20 && y <= h + 20;
      vis[i] = on ? 1 : 0;
      if (on) visible++;
    }

    if (l.leaders) {
      // Velocity leader: where the track will be in 60 s at its current velocity (screen velocity × 60 s).
      c.beginPath();
      for (let i = 0; i < n; i++) {
        if (!vis[i]) continue;
        const o = i * STRIDE;
        c.moveTo(sx[i], sy[i]); c.lineTo(sx[i] + g[o + 2] * 60, sy[i] + g[o + 3] * 60);
      }
      c.strokeStyle = "rgba(255,255,255,0.6)"; c.lineWidth = 1; c.stroke();
    }
    if (l.engagements) this.drawEngagements(c);

    const dense = this.lod && (visible > LOD_SYMBOLS || this.k < LOD_MIN_SCALE);
    let symbols = 0;
    if (dense) {
      // Routine tracks as 4-px dots, one fill colour at a time (integer-aligned, no anti-aliasing).
      for (let a = 0; a < 7; a++) {
        const from = this.affStart[a], to = this.affStart[a + 1];
        if (from === to) continue;
        c.fillStyle = DOT_COLOURS[a];
        for (let j = from; j < to; j++) {
          const i = this.order[j];
          if (!vis[i] || this.priority[i]) continue;
          c.fillRect(Math.round(sx[i]) - 2, Math.round(sy[i]) - 2, 4, 4);
        }
      }
    }
    const sprites = dense ? this.spritesDense : this.spritesFull;
    const atlas = atlasImage();
    for (let i = 0; i < n; i++) {
      if (!vis[i] || (dense && !this.priority[i])) continue;
      const s = sprites[i];
      c.drawImage(atlas, s.x, s.y, s.w, s.h, Math.round(sx[i]) - s.ax, Math.round(sy[i]) - s.ay, s.w, s.h);
      symbols++;
    }
    if (this.selected) this.drawSelection(c);
    this.drawnTracks = visible;
    this.drawnSymbols = symbols;
    this.canvas.dataset.drawnTracks = String(visible);
    this.canvas.dataset.drawnSymbols = String(symbols);
    this.frames++;
  }

  private drawSelection(c: CanvasRenderingContext2D): void {
    const i = this.indexOf.get(this.selected);
    if (i === undefined || !this.onScreen[i]) return;
    const x = this.sx[i], y = this.sy[i];
    c.strokeStyle = "#ffff00"; c.lineWidth = 2;
    c.strokeRect(x - 16, y - 16, 32, 32);
    c.fillStyle = "#ffff00"; c.font = "bold 11px monospace";
    c.fillText(`TN ${String(this.selected).padStart(5, "0")}`, x + 18, y - 10);
  }

  private drawEngagements(c: CanvasRenderingContext2D): void {
    const p = this.picture;
    for (const e of p.engagements.values()) {
      if (e.status === "denied" || e.status === "cancelled") continue;
      const b = p.batteries.find((x) => x.id === e.battery);
      const i = this.indexOf.get(e.tn);
      if (!b || i === undefined) continue;
      const [bx, by] = this.project(b.lon, b.lat);
      c.beginPath(); c.moveTo(bx, by); c.lineTo(this.sx[i], this.sy[i]);
      c.strokeStyle = e.status === "recommended" ? "rgba(255,200,0,0.9)" : "rgba(0,255,160,0.9)";
      c.setLineDash(e.status === "recommended" ? [6, 4] : []); c.lineWidth = 2; c.stroke(); c.setLineDash([]);
    }
  }

  /** 95 % impact ellipse: points a·cos u along the bearing, b·sin u across it, on the local tangent plane. */
  private drawEllipse(c: CanvasRenderingContext2D, a: Alert): void {
    const sinO = Math.sin(a.orientationRad), cosO = Math.cos(a.orientationRad);
    const pt = this.pt;
    c.beginPath();
    for (let k = 0; k <= 48; k++) {
      const u = (k / 48) * 2 * Math.PI;
      const along = a.semiMajorM * Math.cos(u), across = a.semiMinorM * Math.sin(u);
      const east = along * sinO + across * cosO, north = along * cosO - across * sinO;
      const lat = a.lat + north / EARTH_R / DEG;
      const lon = a.lon + east / (EARTH_R * Math.cos(a.lat * DEG)) / DEG;
      mercator(this.k, this.tx, this.ty, lon, lat, pt, 0);
      if (k === 0) c.moveTo(pt[0], pt[1]); else c.lineTo(pt[0], pt[1]);
    }
    c.fillStyle = "rgba(255,60,60,0.25)"; c.fill(); c.strokeStyle = "#ff5050"; c.lineWidth = 1.5; c.stroke();
    const [x, y] = this.project(a.lon, a.lat);
    c.fillStyle = "#ff9090"; c.font = "bold 11px sans-serif"; c.fillText(`impact ${a.asset || ""}`, x + 8, y - 8);
  }
}

export { AFF_COLOURS };
