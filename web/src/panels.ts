// Side panels: track table, track detail, alerts, engagements, timeline.
import { Picture, Track, Me, KIND_NAMES, AFFILIATION_NAMES, trackNumber, speedKt, courseDeg, utc, Engagement } from "./model";
import { symbolDataUrl } from "./symbols";

const TABLE_ROWS = 200;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

type SortKey = "tn" | "kind" | "aff" | "speed" | "alt" | "q" | "nation";

export class TrackTable {
  sort: SortKey = "tn";
  descending = false;
  onSelect: (tn: number) => void = () => {};
  private readonly body: HTMLTableSectionElement;
  private readonly count: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly affFilter: HTMLSelectElement;
  private readonly kindFilter: HTMLSelectElement;
  private readonly icons = new Map<string, string>();

  constructor(root: HTMLElement, private readonly picture: Picture, private readonly requestRender: () => void) {
    this.body = root.querySelector("tbody")!;
    this.count = document.getElementById("track-count")!;
    this.search = document.getElementById("track-search") as HTMLInputElement;
    this.affFilter = document.getElementById("filter-affiliation") as HTMLSelectElement;
    this.kindFilter = document.getElementById("filter-kind") as HTMLSelectElement;
    AFFILIATION_NAMES.forEach((n, i) => this.affFilter.append(new Option(n, String(i))));
    KIND_NAMES.forEach((n, i) => this.kindFilter.append(new Option(n, String(i))));
    for (const input of [this.search, this.affFilter, this.kindFilter]) input.addEventListener("input", () => this.requestRender());
    root.querySelectorAll<HTMLElement>("th[data-sort]").forEach((th) =>
      th.addEventListener("click", () => {
        const k = th.dataset.sort as SortKey;
        this.descending = this.sort === k ? !this.descending : false;
        this.sort = k;
        this.requestRender();
      }));
    this.body.addEventListener("click", (e) => {
      const tr = (e.target as HTMLElement).closest("tr");
      if (tr?.dataset.tn) this.onSelect(Number(tr.dataset.tn));
    });
  }

  private icon(kind: number, aff: number): string {
    const k = `${kind}/${aff}`;
    let u = this.icons.get(k);
    if (!u) { u = symbolDataUrl(kind, aff, 14); this.icons.set(k, u); }
    return u;
  }

  render(selected: number): void {
    const q = this.search.value.trim().replace(/^0+/, "");
    const aff = this.affFilter.value, kind = this.kindFilter.value;
    let rows: Track[] = [];
    for (const t of this.picture.tracks.values()) {
      if (q && !String(t.tn).startsWith(q)) continue;
      if (aff !== "" && String(t.aff) !== aff) continue;
      if (kind !== "" && String(t.kind) !== kind) continue;
      rows.push(t);
    }
    const key: Record<SortKey, (t: Track) => number | string> = {
      tn: (t) => t.tn, kind: (t) => t.kind, aff: (t) => t.aff, speed: (t) => speedKt(t), alt: (t) => t.h, q: (t) => t.q, nation: (t) => t.nation,
    };
    const f = key[this.sort], sign = this.descending ? -1 : 1;
    rows.sort((a, b) => { const x = f(a), y = f(b); return (x < y ? -1 : x > y ? 1 : a.tn - b.tn) * sign; });
    const total = rows.length;
    rows = rows.slice(0, TABLE_ROWS);
    this.count.textContent = total > TABLE_ROWS ? `${TABLE_ROWS} of ${total} shown (search or filter to narrow)` : `${total} tracks`;
    const frag = document.createDocumentFragment();
    for (const t of rows) {
      const tr = el("tr", { "data-tn": String(t.tn) });
      if (t.tn === selected) tr.className = "selected";
      const img = el("img", { src: this.icon(t.kind, t.aff), alt: "" });
      const c0 = el("td"); c0.append(img, document.createTextNode(" " + trackNumber(t.tn)));
      tr.append(c0, el("td", {}, KIND_NAMES[t.kind]), el("td", { class: `aff-${t.aff}` }, AFFILIATION_NAMES[t.aff]),
        el("td", { class: "num" }, speedKt(t).toFixed(0)), el("td", { class: "num" }, (t.h / 0.3048 / 100).toFixed(0)),
        el("td", { class: "num" }, String(t.q)), el("td", {}, t.nation));
      frag.append(tr);
    }
    this.body.replaceChildren(frag);
  }
}

export function renderDetail(root: HTMLElement, t: Track | undefined): void {
  if (!t) { root.innerHTML = `<p class="hint">Click a track on the map or in the table.</p>`; return; }
  const rows: [string, string][] = [
    ["Track number", trackNumber(t.tn)],
    ["Kind / identity", `${KIND_NAMES[t.kind]} / ${AFFILIATION_NAMES[t.aff]}`],
    ["Position", `${t.lat.toFixed(4)}°, ${t.lon.toFixed(4)}°`],
    ["Height", `${t.h.toFixed(0)} m (FL${(t.h / 0.3048 / 100).toFixed(0)})`],
    ["Speed / course", `${speedKt(t).toFixed(0)} kt / ${courseDeg(t).toFixed(0)}°`],
    ["Vertical rate", `${t.vu.toFixed(1)} m/s`],
    ["Position σ (1-σ)", `${t.sigma.toFixed(0)} m`],
    ["Track quality", `${t.q} / 15`],
    ["Reporting nation", t.nation],
    ["Sensors (as released)", t.sensors.length ? t.sensors.join(", ") : "not released"],
    ["ICAO 24-bit", t.icao ? t.icao.toString(16).toUpperCase().padStart(6, "0") : "—"],
    ["Updated", utc(t.time)],
    ["Marking", t.marking],
  ];
  const table = el("table", { class: "kv" });
  for (const [k, v] of rows) { const tr = el("tr"); tr.append(el("th", {}, k), el("td", {}, v)); table.append(tr); }
  root.replaceChildren(table);
}

export function renderAlerts(root: HTMLElement, p: Picture): void {
  const list = [...p.alerts.values()].sort((a, b) => a.impactTime - b.impactTime);
  if (!list.length) { root.innerHTML = `<p class="hint">No early warnings for your nation.</p>`; return; }
  const frag = document.createDocumentFragment();
  const now = p.simNow();
  for (const a of list) {
    const left = Math.max(0, Math.round((a.impactTime - now) / 1000));
    const d = el("div", { class: `alert state-${a.state}`, "data-id": a.id });
    d.append(el("b", {}, `${KIND_NAMES[a.kind]} TN ${trackNumber(a.tn)}`),
      el("span", {}, ` → ${a.asset || "territory"}; impact ${utc(a.impactTime).slice(11)} (T−${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")})`),
      el("div", { class: "marking" }, `${a.state} · warned ${a.warned} · ${a.marking}`));
    frag.append(d);
  }
  root.replaceChildren(frag);
}

export function renderEngagements(root: HTMLElement, p: Picture, me: Me, decide: (e: Engagement, approve: boolean) => void): void {
  const list = [...p.engagements.values()].sort((a, b) => a.id.localeCompare(b.id));
  if (!list.length) { root.innerHTML = `<p class="hint">No engagements.</p>`; return; }
  const frag = document.createDocumentFragment();
  for (const e of list) {
    const d = el("div", { class: `engagement status-${e.status}`, "data-id": e.id });
    d.append(el("b", {}, `${e.id}`), el("span", { class: "status" }, e.status.toUpperCase()),
      el("div", {}, `${e.battery} (${e.owner}) → TN ${trackNumber(e.tn)} · Pk ${(e.pk * 100).toFixed(0)} % · intercept ${utc(e.interceptTime).slice(11)}`));
    if (e.decidedBy) d.append(el("div", { class: "marking" }, `decided by ${e.decidedBy}`));
    // Buttons only for the owning nation's commander; the server refuses everyone else anyway.
    if (me.canDecide && e.owner === me.nation && e.status === "recommended") {
      const ok = el("button", { class: "approve" }, "Approve"), no = el("button", { class: "deny" }, "Deny");
      ok.addEventListener("click", () => decide(e, true));
      no.addEventListener("click", () => decide(e, false));
      const row = el("div", { class: "buttons" }); row.append(ok, no); d.append(row);
    } else if (e.status === "recommended") {
      d.append(el("div", { class: "marking" }, e.owner === me.nation ? "awaiting your commander" : `awaiting ${e.owner} authority`));
    }
    frag.append(d);
  }
  root.replaceChildren(frag);
}
