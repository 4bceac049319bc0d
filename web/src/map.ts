// The canvas map: Natural Earth basemap (world-atlas TopoJSON, d3-geo), overlays and tracks.
// The basemap is drawn into an off-screen canvas only when the view changes; each frame blits it
// and draws tracks (dead-reckoned to the current simulation time) from cached symbol canvases.
import { geoMercator, geoPath, geoGraticule10, geoCircle, GeoProjection, GeoPermissibleObjects } from "d3-geo";
import { feature, mesh } from "topojson-client";
import type { Topology, GeometryCollection } from "topojson-specification";
import { Picture, Track, Alert } from "./model";
import { symbolFor, atlas } from "./symbols";

const EARTH_R = 6_371_000;
const DEG = Math.PI / 180;
const AFF_COLOURS = ["#e6e600", "#e6e600", "#80e0ff", "#80e0ff", "#aaffaa", "#ff8080", "#ff8080"];

export interface MapLayers { trails: boolean; leaders: boolean; coverage: boolean; assets: boolean; ellipses: boolean; engagements: boolean }

export class MapView {
  readonly layers: MapLayers = { trails: true, leaders: true, coverage: true, assets: true, ellipses: true, engagements: true };
  selected = 0;
  onSelect: (tn: number) => void = () => {};
  /** Tracks drawn in the last frame (read by the browser tests). */
  drawnTracks = 0;
  frames = 0;

  private readonly ctx: CanvasRenderingContext2D;
  private readonly base = document.createElement("canvas");
  private readonly projection: GeoProjection;
  private land: GeoPermissibleObjects | null = null;
  private borders: GeoPermissibleObjects | null = null;
  private baseDirty = true;
  private width = 0;
  private height = 0;
  private dpr = 1;
  /** Screen positions of the last frame, [tn, x, y] flattened, for picking. */
  private screen = new Float64Array(0);
  /** Tracks of the last frame, in the order of `screen`. */
  private visible: Track[] = [];
  /** Trails as one Path2D, rebuilt only when the picture or the view changed (they do not dead-reckon). */
  private trails: Path2D | null = null;
  private trailsKey = "";
  private viewGeneration = 0;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly picture: Picture) {
    this.ctx = canvas.getContext("2d")!;
    this.projection = geoMercator().center([135, 30]).scale(1400);
    this.resize();
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.installPanZoom();
  }

  async loadBasemap(url: string): Promise<void> {
    const topo = (await (await fetch(url)).json()) as Topology;
    const countries = topo.objects.countries as GeometryCollection;
    this.land = feature(topo, countries) as unknown as GeoPermissibleObjects;
    this.borders = mesh(topo, countries, (a, b) => a !== b) as unknown as GeoPermissibleObjects;
    this.baseDirty = true;
  }

  private resize(): void {
    this.dpr = window.devicePixelRatio || 1;
    this.width = this.canvas.clientWidth;
    this.height = this.canvas.clientHeight;
    this.canvas.width = Math.max(1, Math.round(this.width * this.dpr));
    this.canvas.height = Math.max(1, Math.round(this.height * this.dpr));
    this.base.width = this.canvas.width;
    this.base.height = this.canvas.height;
    this.projection.translate([this.width / 2, this.height / 2]);
    this.baseDirty = true;
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
      const [tx, ty] = this.projection.translate();
      this.projection.translate([tx + dx, ty + dy]);
      drag.x = e.clientX; drag.y = e.clientY;
      this.baseDirty = true;
    });
    this.canvas.addEventListener("pointerup", (e) => {
      if (drag && !drag.moved) this.pick(e.offsetX, e.offsetY);
      drag = null;
    });
    this.canvas.addEventListener("wheel", (e) => {
      e.preventDefault();
      const k = Math.exp(-e.deltaY * 0.0015);
      const s = this.projection.scale();
      const ns = Math.min(200_000, Math.max(150, s * k));
      const [tx, ty] = this.projection.translate();
      const f = ns / s;
      this.projection.scale(ns).translate([e.offsetX - (e.offsetX - tx) * f, e.offsetY - (e.offsetY - ty) * f]);
      this.baseDirty = true;
    }, { passive: false });
  }

  /** Centres the map on a position. */
  centreOn(lon: number, lat: number): void {
    const p = this.projection([lon, lat]);
    if (!p) return;
    const [tx, ty] = this.projection.translate();
    this.projection.translate([tx + this.width / 2 - p[0], ty + this.height / 2 - p[1]]);
    this.baseDirty = true;
  }

  private pick(x: number, y: number): void {
    let best = 0, bestD = 14 * 14;
    const s = this.screen;
    for (let i = 0; i < s.length; i += 3) {
      const d = (s[i + 1] - x) ** 2 + (s[i + 2] - y) ** 2;
      if (d < bestD) { bestD = d; best = s[i]; }
    }
    if (best) this.onSelect(best);
  }

  private drawBase(): void {
    const c = this.base.getContext("2d")!;
    c.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    c.fillStyle = "#0b1a2b";
    c.fillRect(0, 0, this.width, this.height);
    const path = geoPath(this.projection, c);
    c.beginPath(); path(geoGraticule10()); c.strokeStyle = "rgba(120,150,180,0.18)"; c.lineWidth = 0.5; c.stroke();
    if (this.land) { c.beginPath(); path(this.land); c.fillStyle = "#1f2d22"; c.fill(); }
    if (this.borders) { c.beginPath(); path(this.borders); c.strokeStyle = "rgba(200,200,180,0.35)"; c.lineWidth = 0.6; c.stroke(); }
    this.baseDirty = false;
    this.viewGeneration++;
  }

  /** Draws one frame. */
  draw(): void {
    if (this.baseDirty) this.drawBase();
    const c = this.ctx;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.drawImage(this.base, 0, 0);
    c.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const p = this.picture;
    const path = geoPath(this.projection, c);
    const now = p.simNow();

    if (this.layers.coverage) {
      c.lineWidth = 1;
      for (const s of p.sensors) {
        c.beginPath();
        path(geoCircle().center([s.lon, s.lat]).radius(s.rangeM / EARTH_R / DEG).precision(2)());
        c.strokeStyle = "rgba(130,200,255,0.45)"; c.setLineDash([4, 4]); c.stroke(); c.setLineDash([]);
        const q = this.projection([s.lon, s.lat]);
        if (q) { c.fillStyle = "#82c8ff"; c.fillRect(q[0] - 3, q[1] - 3, 6, 6); c.font = "10px sans-serif"; c.fillText(s.id, q[0] + 5, q[1] - 4); }
      }
    }
    if (this.layers.assets) {
      for (const a of p.assets) {
        c.beginPath();
        path(geoCircle().center([a.lon, a.lat]).radius(a.radiusM / EARTH_R / DEG).precision(1)());
        c.fillStyle = "rgba(80,160,255,0.15)"; c.fill(); c.strokeStyle = "#5aa0ff"; c.lineWidth = 1.5; c.stroke();
        const q = this.projection([a.lon, a.lat]);
        if (q) { c.fillStyle = "#cfe3ff"; c.font = "bold 11px sans-serif"; c.fillText(`◆ ${a.name}`, q[0] + 6, q[1] + 4); }
      }
      for (const b of p.batteries) {
        const q = this.projection([b.lon, b.lat]);
        if (q) { c.fillStyle = "#80e0ff"; c.beginPath(); c.moveTo(q[0], q[1] - 6); c.lineTo(q[0] + 5, q[1] + 4); c.lineTo(q[0] - 5, q[1] + 4); c.fill(); }
      }
    }
    if (this.layers.ellipses) for (const a of p.alerts.values()) if (a.state !== "cleared") this.drawEllipse(c, a);

    // Tracks: dead-reckon, then trails and leaders as one path each, then symbols.
    const n = p.tracks.size;
    if (this.screen.length < n * 3) this.screen = new Float64Array(n * 3 + 300);
    const s = this.screen;
    const vis = this.visible;
    vis.length = 0;
    let i = 0;
    const w = this.width, h = this.height;
    for (const t of p.tracks.values()) {
      const dt = Math.max(0, Math.min(60, (now - t.time) / 1000));
      const lat = t.lat + (t.vn * dt) / EARTH_R / DEG;
      const lon = t.lon + (t.ve * dt) / (EARTH_R * Math.cos(t.lat * DEG)) / DEG;
      const q = this.projection([lon, lat]);
      if (!q || q[0] < -20 || q[1] < -20 || q[0] > w + 20 || q[1] > h + 20) continue;
      s[i] = t.tn; s[i + 1] = q[0]; s[i + 2] = q[1]; i += 3;
      vis.push(t);
    }
    const count = i / 3;
    if (this.layers.trails) {
      const key = `${p.version}/${this.viewGeneration}`;
      if (this.trailsKey !== key || !this.trails) {
        const path = new Path2D();
        for (const t of p.tracks.values()) {
          const tr = t.trail;
          if (tr.length < 2) continue;
          for (let m = 0; m < tr.length; m += 2) {
            const q = this.projection([tr[m], tr[m + 1]]);
            if (!q) continue;
            if (m === 0) path.moveTo(q[0], q[1]); else path.lineTo(q[0], q[1]);
          }
          const q = this.projection([t.lon, t.lat]);
          if (q) path.lineTo(q[0], q[1]);
        }
        this.trails = path;
        this.trailsKey = key;
      }
      c.strokeStyle = "rgba(255,255,255,0.28)"; c.lineWidth = 1; c.stroke(this.trails);
    }
    if (this.layers.leaders) {
      // Velocity leader: where the track will be in 60 s at its current velocity.
      const scale = this.projection.scale();
      const mPerPx = (EARTH_R * 2 * Math.PI) / (2 * Math.PI * scale);
      c.beginPath();
      for (let k = 0; k < i; k += 3) {
        const t = vis[k / 3];
        const f = Math.cos(t.lat * DEG);
        const lx = (t.ve * 60) / (mPerPx * f), ly = (t.vn * 60) / (mPerPx * f);
        c.moveTo(s[k + 1], s[k + 2]); c.lineTo(s[k + 1] + lx, s[k + 2] - ly);
      }
      c.strokeStyle = "rgba(255,255,255,0.6)"; c.lineWidth = 1; c.stroke();
    }
    if (this.layers.engagements) this.drawEngagements(c, s, i);
    const size = count > 1500 ? 14 : 20;
    for (let k = 0; k < i; k += 3) {
      const sym = symbolFor(vis[k / 3], size);
      c.drawImage(atlas, sym.x, sym.y, sym.w, sym.h, Math.round(s[k + 1]) - sym.ax, Math.round(s[k + 2]) - sym.ay, sym.w, sym.h);
    }
    if (this.selected) this.drawSelection(c, s, i);
    this.drawnTracks = count;
    this.canvas.dataset.drawnTracks = String(count);
    this.frames++;
  }

  private drawSelection(c: CanvasRenderingContext2D, s: Float64Array, end: number): void {
    for (let k = 0; k < end; k += 3) {
      if (s[k] !== this.selected) continue;
      c.strokeStyle = "#ffff00"; c.lineWidth = 2;
      c.strokeRect(s[k + 1] - 16, s[k + 2] - 16, 32, 32);
      const t: Track = this.picture.tracks.get(this.selected)!;
      c.fillStyle = "#ffff00"; c.font = "bold 11px monospace";
      c.fillText(`TN ${String(t.tn).padStart(5, "0")}`, s[k + 1] + 18, s[k + 2] - 10);
    }
  }

  private drawEngagements(c: CanvasRenderingContext2D, s: Float64Array, end: number): void {
    const p = this.picture;
    for (const e of p.engagements.values()) {
      if (e.status === "denied" || e.status === "cancelled") continue;
      const b = p.batteries.find((x) => x.id === e.battery);
      if (!b) continue;
      let tx = NaN, ty = NaN;
      for (let k = 0; k < end; k += 3) if (s[k] === e.tn) { tx = s[k + 1]; ty = s[k + 2]; break; }
      const q = this.projection([b.lon, b.lat]);
      if (!q || Number.isNaN(tx)) continue;
      c.beginPath(); c.moveTo(q[0], q[1]); c.lineTo(tx, ty);
      c.strokeStyle = e.status === "recommended" ? "rgba(255,200,0,0.9)" : "rgba(0,255,160,0.9)";
      c.setLineDash(e.status === "recommended" ? [6, 4] : []); c.lineWidth = 2; c.stroke(); c.setLineDash([]);
    }
  }

  /** 95 % impact ellipse: points a·cos u along the bearing, b·sin u across it, on the local tangent plane. */
  private drawEllipse(c: CanvasRenderingContext2D, a: Alert): void {
    const sinO = Math.sin(a.orientationRad), cosO = Math.cos(a.orientationRad);
    c.beginPath();
    for (let k = 0; k <= 48; k++) {
      const u = (k / 48) * 2 * Math.PI;
      const along = a.semiMajorM * Math.cos(u), across = a.semiMinorM * Math.sin(u);
      const east = along * sinO + across * cosO, north = along * cosO - across * sinO;
      const lat = a.lat + north / EARTH_R / DEG;
      const lon = a.lon + east / (EARTH_R * Math.cos(a.lat * DEG)) / DEG;
      const q = this.projection([lon, lat]);
      if (!q) continue;
      if (k === 0) c.moveTo(q[0], q[1]); else c.lineTo(q[0], q[1]);
    }
    c.fillStyle = "rgba(255,60,60,0.25)"; c.fill(); c.strokeStyle = "#ff5050"; c.lineWidth = 1.5; c.stroke();
    const q = this.projection([a.lon, a.lat]);
    if (q) { c.fillStyle = "#ff9090"; c.font = "bold 11px sans-serif"; c.fillText(`impact ${a.asset || ""}`, q[0] + 8, q[1] - 8); }
  }
}

export { AFF_COLOURS };
