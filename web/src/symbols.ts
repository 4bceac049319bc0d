// MIL-STD-2525C / APP-6 symbols from milsymbol, rendered once per code and blitted.
import ms from "milsymbol";

const MilSymbol = ms.Symbol;
import { AFFILIATION_LETTERS, Track } from "./model";

/** 2525C function identifiers per TrackKind (battle dimension + function). */
const FUNCTION_BY_KIND = [
  "AP------",   // unknown: air track, no function
  "APMF----",   // aircraft: military fixed wing
  "APCF----",   // civil aircraft: civil fixed wing
  "APWMCM--",   // cruise missile: air, weapon, missile in flight
  "APWMB---",   // ballistic missile in flight
  "SP------",   // surface track
  "APWMSA--",   // interceptor (surface-to-air missile in flight)
];

/** A symbol's place in the shared atlas canvas and its anchor (the track position) within it. */
export interface CachedSymbol { x: number; y: number; w: number; h: number; ax: number; ay: number }

// One atlas canvas for every symbol: the frame loop blits sub-rectangles of a single image, which
// keeps the browser on one texture instead of thousands of tiny canvases.
export const atlas = document.createElement("canvas");
atlas.width = 1024;
atlas.height = 1024;
const atlasCtx = atlas.getContext("2d")!;
let packX = 0, packY = 0, rowH = 0;
const cache = new Map<number, CachedSymbol>();
/** An ImageBitmap copy of the atlas (blitting from a bitmap is cheaper than from a canvas); null while stale. */
let atlasBitmap: ImageBitmap | null = null;
let atlasVersion = 0;

/** The atlas to blit from: its ImageBitmap when current, else the canvas itself. */
export function atlasImage(): CanvasImageSource {
  return atlasBitmap ?? atlas;
}

function atlasChanged(): void {
  atlasBitmap = null;
  const v = ++atlasVersion;
  if (typeof createImageBitmap === "function") {
    void createImageBitmap(atlas).then((b) => { if (v === atlasVersion) atlasBitmap = b; else b.close(); });
  }
}

export function sidc(kind: number, aff: number): string {
  const f = FUNCTION_BY_KIND[kind] ?? FUNCTION_BY_KIND[0];
  return `S${AFFILIATION_LETTERS[aff] ?? "U"}${f[0]}P${f.slice(2)}--`.padEnd(15, "-");
}

/** The symbol of a track in the atlas (rendered on first use for each kind, identity and size). */
export function symbolFor(t: Track, size: number): CachedSymbol {
  const key = (t.kind << 16) | (t.aff << 8) | size;
  let c = cache.get(key);
  if (!c) {
    const s = new MilSymbol(sidc(t.kind, t.aff), { size, outlineWidth: 2, outlineColor: "rgba(0,0,0,0.6)" });
    const canvas = s.asCanvas(1);
    if (packX + canvas.width > atlas.width) { packX = 0; packY += rowH + 1; rowH = 0; }
    atlasCtx.drawImage(canvas, packX, packY);
    const a = s.getAnchor();
    c = { x: packX, y: packY, w: canvas.width, h: canvas.height, ax: Math.round(a.x), ay: Math.round(a.y) };
    packX += canvas.width + 1;
    rowH = Math.max(rowH, canvas.height);
    cache.set(key, c);
    atlasChanged();
  }
  return c;
}

/** A symbol as a data URL (legend and table icons). */
export function symbolDataUrl(kind: number, aff: number, size = 18): string {
  return new MilSymbol(sidc(kind, aff), { size }).asCanvas(1).toDataURL();
}
