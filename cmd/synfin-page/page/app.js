// The page's script: it starts synfin's WebAssembly module (embedded
// above, gzip-compressed), hands it the files chosen or dropped, and
// shows what it returns. Every figure and sentence comes from synfin's
// own views (package web in Go); this script only lays them out.
"use strict";

const state = {
  lang: (navigator.language || "en").startsWith("zh") ? "zh" : "en",
  text: {},
  files: [],       // the File objects last read
  analysis: null,  // what synfin.analyze returned
  rows: [],        // analysis rows after filtering and sorting
  sortKey: null, sortDesc: false,
  shown: 0,
  picked: null,    // the row whose detail is shown
};

const PAGE = 500; // rows added to the table at a time
const $ = (id) => document.getElementById(id);
const T = (key) => state.text[key] || key;
// F formats a catalogue message: %d and %s in order, as Go's fmt does for them.
function F(key, ...args) {
  let i = 0;
  return T(key).replace(/%[ds]/g, () => String(args[i++]));
}

// The module: base64 → gzip → WebAssembly, with no request of any kind.
async function start() {
  if (typeof WebAssembly !== "object" || typeof DecompressionStream !== "function") {
    $("status").textContent = "This browser cannot run WebAssembly, which the page needs.";
    return;
  }
  const raw = Uint8Array.from(atob(synfinModule), (c) => c.charCodeAt(0));
  const wasm = await new Response(new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  const go = new Go();
  const ready = new Promise((resolve) => { window.synfinReady = resolve; });
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance);
  await ready;
  $("version").textContent = synfin.version;
  setLang(state.lang);
  document.body.dataset.startms = String(Math.round(performance.now())); // from navigation to ready
  document.body.dataset.ready = "1";
}

function setLang(lang) {
  state.lang = lang;
  state.text = JSON.parse(synfin.text(lang));
  document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
  document.title = T("web.title");
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = T(el.dataset.t);
  $("lang").textContent = T("web.lang");
  if (state.analysis) {
    // Summary meanings, the walkthrough and the headers are in the new
    // language: synfin says them again.
    analyzeFiles(state.files, true);
  }
}

async function analyzeFiles(files, keepPick) {
  if (!files.length) return;
  state.files = files;
  const total = files.reduce((n, f) => n + f.size, 0);
  const before = new Map();
  let done = 0;
  $("progress").hidden = false;
  $("bar").value = 0;
  $("status").textContent = T("web.working");
  const t0 = performance.now();
  let json;
  try {
    json = await synfin.analyze(files, state.lang, (name, read, size) => {
      done += read - (before.get(name) || 0);
      before.set(name, read);
      $("bar").value = total ? done / total : 1;
      $("progresstext").textContent = F("web.reading", name, (read / 1e6).toFixed(1), (size / 1e6).toFixed(1));
    });
  } catch (e) {
    $("progress").hidden = true;
    $("status").textContent = F("web.failed", files.map((f) => f.name).join(", ")) + " " + String(e);
    return;
  }
  const secs = (performance.now() - t0) / 1000;
  const a = JSON.parse(json);
  state.analysis = a;
  $("progress").hidden = true;
  // A rate is worth giving only for a capture big enough to time.
  $("status").textContent = a.packets >= 10000 && secs > 0
    ? F("web.read.rate", a.packets, a.rows.length, secs.toFixed(2), (a.packets / secs / 1e6).toFixed(2))
    : F("web.read", a.packets, a.rows.length, secs.toFixed(2));
  document.body.dataset.packets = String(a.packets);
  document.body.dataset.seconds = secs.toFixed(3);
  showMessages(a.messages);
  if (a.code === 2) {
    // Nothing could be read: synfin's message says why.
    $("status").textContent = F("web.failed", a.files.join(", "));
  } else if (!a.rows.length) {
    $("status").textContent += " " + T("web.none");
  }
  $("results").hidden = a.code === 2;
  renderSummary(a);
  renderStates(a);
  renderHead();
  applyFilter();
  if (keepPick && state.picked) {
    const r = a.rows.find((x) => x.file === state.picked.file && x.conn === state.picked.conn);
    if (r) { pick(r); }
  } else {
    state.picked = null;
    $("detail").hidden = true;
    delete document.body.dataset.detail;
  }
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
}

function showMessages(text) {
  $("messages").hidden = !text;
  $("messagetext").textContent = text || "";
}

function cell(tag, text, cls) {
  const c = document.createElement(tag);
  c.textContent = text;
  if (cls) c.className = cls;
  return c;
}

function renderSummary(a) {
  const t = $("summary");
  t.replaceChildren();
  const head = t.createTHead().insertRow();
  for (const k of ["report.item", "report.value", "report.meaning"]) head.append(cell("th", T(k)));
  const body = t.createTBody();
  for (const row of a.summary) {
    const tr = body.insertRow();
    for (const v of row) tr.append(cell("td", v));
  }
}

function renderStates(a) {
  const sel = $("fstate");
  const keep = sel.value;
  sel.replaceChildren(new Option(T("web.filter.any"), ""));
  for (const s of [...new Set(a.rows.map((r) => r.state))].sort()) sel.append(new Option(s, s));
  sel.value = keep;
}

// The columns: the conns view's, with the handshake's ISNs.
function columns() {
  const cols = [
    ["conn", (r) => r.conn, true],
    ["client", (r) => r.client],
    ["server", (r) => r.server],
    ["state", (r) => r.state],
    ["history", (r) => r.history],
    ["handshake", (r) => name("handshake", r.handshake)],
    ["rtt_ms", (r) => r.rtt_ms, true],
    ["client_isn", (r) => r.client_isn, true],
    ["server_isn", (r) => r.server_isn, true],
    ["teardown", (r) => name("teardown", r.teardown)],
    ["closer", (r) => name("side", r.closer)],
    ["pkts", (r) => r.client_pkts + r.server_pkts, true],
    ["bytes", (r) => r.client_bytes + r.server_bytes, true],
    ["duration_ms", (r) => r.duration_ms, true],
  ];
  if (state.analysis && state.analysis.files.length > 1) cols.unshift(["file", (r) => state.analysis.files[r.file]]);
  return cols;
}

// name is a value of a closed set as synfin names it in the page's language.
function name(topic, v) {
  if (v === null || v === undefined || v === "") return "";
  return state.lang === "zh" && state.text["name." + topic + "." + v] ? state.text["name." + topic + "." + v] : v;
}

function renderHead() {
  const tr = document.createElement("tr");
  for (const [key] of columns()) {
    const th = cell("th", key === "file" ? T("web.file") : T("col." + key));
    th.dataset.key = key;
    if (state.sortKey === key) th.className = state.sortDesc ? "desc" : "asc";
    th.addEventListener("click", () => {
      state.sortDesc = state.sortKey === key ? !state.sortDesc : false;
      state.sortKey = key;
      renderHead();
      applyFilter();
    });
    tr.append(th);
  }
  $("conns").tHead.replaceChildren(tr);
}

function applyFilter() {
  const host = $("fhost").value.trim();
  const port = $("fport").value.trim();
  const st = $("fstate").value;
  const hostOf = (ep) => ep.slice(0, ep.lastIndexOf(":")).replace(/^\[|\]$/g, "");
  const portOf = (ep) => ep.slice(ep.lastIndexOf(":") + 1);
  let rows = state.analysis.rows.filter((r) =>
    (!host || hostOf(r.client).includes(host) || hostOf(r.server).includes(host)) &&
    (!port || portOf(r.client) === port || portOf(r.server) === port) &&
    (!st || r.state === st));
  if (state.sortKey) {
    const get = columns().find((c) => c[0] === state.sortKey)[1];
    const cmp = (a, b) => {
      const x = get(a), y = get(b);
      if (x === y) return 0;
      if (x === null || x === undefined || x === "") return 1;
      if (y === null || y === undefined || y === "") return -1;
      return typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    };
    rows = rows.slice().sort((a, b) => (state.sortDesc ? -cmp(a, b) : cmp(a, b)) || a.file - b.file || a.conn - b.conn);
  }
  state.rows = rows;
  state.shown = 0;
  $("conns").tBodies[0].replaceChildren();
  more();
}

// more adds the next rows, a frame at a time, so a table of many
// thousands never freezes the page.
function more() {
  const body = $("conns").tBodies[0];
  const cols = columns();
  const end = Math.min(state.rows.length, state.shown + PAGE);
  const frag = document.createDocumentFragment();
  for (let i = state.shown; i < end; i++) {
    const r = state.rows[i];
    const tr = document.createElement("tr");
    tr.dataset.file = r.file;
    tr.dataset.conn = r.conn;
    for (const [key, get, num] of cols) {
      let v = get(r);
      if (v === null || v === undefined) v = "";
      const td = cell("td", String(v), num ? "num" : "");
      if (key === "state") td.title = T("state." + r.state);
      if (key === "handshake") td.title = T("handshake." + r.handshake);
      if (key === "teardown") td.title = T("teardown." + r.teardown);
      tr.append(td);
    }
    tr.addEventListener("click", () => pick(r));
    if (state.picked && state.picked.file === r.file && state.picked.conn === r.conn) tr.className = "picked";
    frag.append(tr);
  }
  body.append(frag);
  state.shown = end;
  $("shown").textContent = F("web.shown", state.shown, state.rows.length);
  $("more").hidden = state.shown >= state.rows.length;
}

async function pick(r) {
  state.picked = r;
  for (const tr of $("conns").tBodies[0].rows) {
    tr.className = Number(tr.dataset.file) === r.file && Number(tr.dataset.conn) === r.conn ? "picked" : "";
  }
  const file = [state.files[r.file]];
  $("detail").hidden = false;
  $("detailtitle").textContent = F("web.detail", r.conn, state.analysis.files[r.file]);
  $("ladder").textContent = T("web.working");
  $("explain").textContent = "";
  $("graphs").replaceChildren();
  $("dataphase").hidden = true;
  $("fields").replaceChildren();
  // One reading of the capture gives all three.
  const d = await synfin.detail(file[0], r.conn, state.lang);
  if (state.picked !== r) return; // another row was clicked meanwhile
  if (d.messages) showMessages(d.messages);
  $("ladder").innerHTML = d.svg;
  $("explain").textContent = d.explain;
  $("graphs").innerHTML = d.graphs;
  $("dataphase").hidden = !d.graphs;
  if (d.record) renderFields(JSON.parse(d.record));
  document.body.dataset.detail = r.file + ":" + r.conn;
  $("detail").scrollIntoView({ block: "start" });
}

// renderFields lays out a record's handshake, its two option sets and its
// teardown as tables of field and value, in the record's own names.
function renderFields(rec) {
  const box = $("fields");
  const table = (title, obj) => {
    if (!obj) return;
    box.append(cell("h4", title));
    const t = document.createElement("table");
    t.className = "grid";
    for (const [k, v] of Object.entries(obj)) {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) continue;
      const tr = document.createElement("tr");
      tr.append(cell("th", k), cell("td", v === null ? "—" : Array.isArray(v) ? v.join(", ") : String(v)));
      t.append(tr);
    }
    box.append(t);
  };
  table("handshake", rec.handshake);
  table("syn_options", rec.handshake && rec.handshake.syn_options);
  table("synack_options", rec.handshake && rec.handshake.synack_options);
  table("negotiated", rec.handshake && rec.handshake.negotiated);
  table("teardown", rec.teardown);
}

async function download(kind, files, conn, name, type) {
  const out = await synfin.view(kind, files, conn, state.lang);
  if (out.messages) showMessages(out.messages);
  const url = URL.createObjectURL(new Blob([out.bytes], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function baseName() {
  const n = state.files.length === 1 ? state.files[0].name : "captures";
  return n.replace(/\.(gz|zst|xz|lz4)$/i, "").replace(/\.(pcapng|pcap|cap)$/i, "");
}

const downloads = {
  "csv": ["csv", "text/csv"],
  "jsonl": ["jsonl", "application/jsonl"],
  "report-html": ["report.html", "text/html"],
  "report-md": ["report.md", "text/markdown"],
};

function wire() {
  $("files").addEventListener("change", (e) => analyzeFiles([...e.target.files]));
  const drop = $("open");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    analyzeFiles([...e.dataTransfer.files]);
  });
  $("lang").addEventListener("click", () => setLang(state.lang === "zh" ? "en" : "zh"));
  for (const id of ["fhost", "fport"]) $(id).addEventListener("input", applyFilter);
  $("fstate").addEventListener("change", applyFilter);
  $("more").addEventListener("click", more);
  for (const b of document.querySelectorAll("[data-dl]")) {
    const [ext, type] = downloads[b.dataset.dl];
    b.addEventListener("click", () => download(b.dataset.dl, state.files, 0, baseName() + "." + ext, type));
  }
  $("dlsvg").addEventListener("click", () => {
    const r = state.picked;
    if (r) download("ladder-svg", [state.files[r.file]], r.conn, baseName() + "-conn" + r.conn + ".svg", "image/svg+xml");
  });
}

wire();
start().catch((e) => { $("status").textContent = String(e); document.body.dataset.failed = String(e); });
