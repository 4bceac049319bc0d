// Kizuna web picture: login, live feed, render loop.
import { Picture, Me, Engagement, utc } from "./model";
import { MapView } from "./map";
import { TrackTable, renderDetail, renderAlerts, renderEngagements } from "./panels";

const $ = (id: string) => document.getElementById(id)!;

async function api(path: string, body?: unknown): Promise<Response> {
  return fetch(path, body === undefined ? { credentials: "same-origin" } : {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
}

function showLogin(): void {
  $("login").hidden = false;
  $("app").hidden = true;
  ($("login-form") as HTMLFormElement).onsubmit = async (ev) => {
    ev.preventDefault();
    const nation = ($("login-nation") as HTMLSelectElement).value, role = ($("login-role") as HTMLSelectElement).value;
    const r = await api("/api/login", { nation, role });
    if (r.ok) start((await r.json()) as Me); else $("login-error").textContent = "Login refused.";
  };
}

const CLASS_ORDER = ["UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"];

function banner(p: Picture, me: Me): void {
  let level = 0;
  for (const t of p.tracks.values()) {
    const i = CLASS_ORDER.findIndex((c) => t.marking.startsWith(c + "//"));
    if (i > level) level = i;
    if (level === CLASS_ORDER.length - 1) break;
  }
  const text = `EXERCISE — ${CLASS_ORDER[level]} (notional) — ${me.nation} VIEW — EXERCISE`;
  for (const id of ["banner-top", "banner-bottom"]) { const b = $(id); b.textContent = text; b.className = `banner level-${level}`; }
}

/**
 * Says plainly why the picture is empty: a nation without a node of its own (GBR in the trilateral
 * scenario) sees only what partners release to it; a nation with sensors has simply no track yet.
 */
function emptyView(p: Picture, me: Me): void {
  const box = $("empty-view");
  const empty = p.tracks.size === 0 && p.alerts.size === 0 && p.engagements.size === 0;
  box.hidden = !empty;
  if (!empty) return;
  const ownSensors = p.sensors.some((s) => s.owner === me.nation);
  box.innerHTML = "";
  const title = document.createElement("b");
  const text = document.createElement("span");
  if (ownSensors) {
    title.textContent = `No tracks in the ${me.nation} picture yet`;
    text.textContent = `${me.nation}'s sensors have not formed a track and no partner has released one to ${me.nation} so far. Tracks appear here as soon as there are any.`;
  } else {
    title.textContent = `Nothing has been released to ${me.nation} yet`;
    text.textContent = `— agreements between the coalition nations decide what each receives, and so far none of them has released a track, alert or engagement to ${me.nation} ` +
      `(for example, reports classified above what an agreement allows ${me.nation} are withheld). The picture fills in as soon as a partner releases something.`;
  }
  box.append(title, text);
  box.dataset.nation = me.nation;
}

function start(me: Me): void {
  $("login").hidden = true;
  $("app").hidden = false;
  $("who").textContent = `${me.nation} · ${me.role}`;
  $("who").title = me.canDecide ? "You may approve or deny your nation's engagements." : "You may not approve or deny engagements.";
  $("logout").onclick = async () => { await api("/api/logout", {}); location.reload(); };
  const query = new URLSearchParams(location.search);
  const perf = query.has("perf");

  const picture = new Picture();
  const map = new MapView($("map") as HTMLCanvasElement, picture);
  map.lod = query.get("lod") !== "0";
  void map.loadBasemap("countries-50m.json");
  const table = new TrackTable($("track-table"), picture, () => { tableVersion = -1; });
  let selected = 0, tableVersion = -1, panelVersion = -1, lastPanels = 0;
  const select = (tn: number) => { selected = tn; map.selected = tn; tableVersion = -1; panelVersion = -1; };
  map.onSelect = select;
  table.onSelect = (tn) => { select(tn); const t = picture.tracks.get(tn); if (t) map.centreOn(t.lon, t.lat); };

  document.querySelectorAll<HTMLInputElement>("#layers input[data-layer]").forEach((cb) =>
    cb.addEventListener("change", () => { (map.layers as unknown as Record<string, boolean>)[cb.dataset.layer!] = cb.checked; }));

  // Timeline.
  const clockCmd = async (body: unknown) => {
    const r = await api("/api/clock", body);
    if (!r.ok) $("status").textContent = ((await r.json()) as { reason?: string }).reason ?? "refused";
  };
  for (const id of ["play", "pause", "speed", "seek"]) ($(id) as HTMLInputElement).disabled = !me.canControlClock;
  $("play").onclick = () => clockCmd({ action: "play" });
  $("pause").onclick = () => clockCmd({ action: "pause" });
  ($("speed") as HTMLSelectElement).onchange = (e) => clockCmd({ action: "speed", speed: Number((e.target as HTMLSelectElement).value) });
  ($("seek") as HTMLInputElement).onchange = (e) => clockCmd({ action: "seek", time: Number((e.target as HTMLInputElement).value) });

  const decide = async (e: Engagement, approve: boolean) => {
    const r = await api(`/api/engagements/${encodeURIComponent(e.id)}/decision`, { approve });
    const j = (await r.json()) as { accepted: boolean; reason: string };
    $("status").textContent = `${e.id}: ${j.accepted ? j.reason : "refused — " + j.reason}`;
  };

  // Sound is off by default; a short tone (Web Audio, nothing fetched) per new alert when on.
  let audio: AudioContext | null = null;
  const beep = () => {
    if (!($("sound") as HTMLInputElement).checked) return;
    audio ??= new AudioContext();
    const o = audio.createOscillator(), g = audio.createGain();
    o.frequency.value = 880; g.gain.value = 0.1; o.connect(g).connect(audio.destination); o.start(); o.stop(audio.currentTime + 0.25);
  };

  // Live feed with reconnect.
  let frames = 0, bytes = 0;
  const connect = () => {
    const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/feed`);
    ws.onmessage = (m) => {
      const f0 = performance.now();
      frames++; bytes += (m.data as string).length;
      picture.apply(JSON.parse(m.data as string));
      stats.feedMs = performance.now() - f0;
      if (picture.newAlerts.length) beep();
      $("status").dataset.feed = "live";
    };
    ws.onopen = () => { $("conn").textContent = "● live"; $("conn").className = "ok"; };
    ws.onclose = () => {
      $("conn").textContent = "○ reconnecting"; $("conn").className = "bad";
      void api("/api/me").then((r) => (r.status === 401 ? location.reload() : setTimeout(connect, 1000)));
    };
  };
  connect();

  // Frame counter (the performance test reads window.kizuna).
  // drawTimes: the last 512 map draws (ms), for medians in the perf test; feedMs: JSON parse + apply of the last frame.
  const stats = { fps: 0, frames: 0, tracks: 0, symbols: 0, feedFrames: 0, feedBytes: 0, drawMs: 0, panelMs: 0, feedMs: 0, rebuildMs: 0, sceneMs: 0,
    drawTimes: new Float64Array(512) };
  (window as unknown as { kizuna: unknown }).kizuna = stats;
  let fpsT0 = performance.now(), fpsN = 0;
  const loop = () => {
    const d0 = performance.now();
    map.draw();
    const now = performance.now();
    stats.drawMs = stats.drawMs * 0.9 + (now - d0) * 0.1;
    stats.drawTimes[map.frames % stats.drawTimes.length] = now - d0;
    stats.rebuildMs = map.rebuildMs; stats.sceneMs = map.sceneMs;
    fpsN++;
    if (now - fpsT0 >= 1000) { stats.fps = (fpsN * 1000) / (now - fpsT0); fpsT0 = now; fpsN = 0; }
    stats.frames = map.frames; stats.tracks = picture.tracks.size; stats.symbols = map.drawnSymbols; stats.feedFrames = frames; stats.feedBytes = bytes;
    if (perf) $("fps").textContent = `${stats.fps.toFixed(1)} fps · ${stats.drawMs.toFixed(1)} ms/draw · ${map.drawnTracks} tracks drawn (${map.drawnSymbols} as symbols)`;
    if (picture.version !== tableVersion && now - lastPanels > 500) {
      lastPanels = now;
      tableVersion = picture.version;
      table.render(selected);
      banner(picture, me);
      if (frames > 0) emptyView(picture, me);
      $("clock").textContent = utc(picture.simNow());
      $("clock-state").textContent = picture.clock.playing ? `▶ ×${picture.clock.speed}` : "❚❚ paused";
      const seek = $("seek") as HTMLInputElement;
      if (picture.clock.canSeek && document.activeElement !== seek) {
        seek.min = String(picture.clock.start); seek.max = String(picture.clock.end); seek.value = String(picture.clock.time);
      }
      if (panelVersion !== picture.version) {
        panelVersion = picture.version;
        renderDetail($("detail"), picture.tracks.get(selected));
        renderAlerts($("alerts"), picture);
        renderEngagements($("engagements"), picture, me, decide);
      }
      stats.panelMs = performance.now() - now;
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}

void (async () => {
  const r = await api("/api/me");
  if (r.ok) start((await r.json()) as Me); else showLogin();
})();
