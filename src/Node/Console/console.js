// The Kuiper console: plain JavaScript over the node's own HTTP API, served with the node (no CDN, no build step).
// Every value from the API is written with textContent, never as HTML.
"use strict";

const KINDS = ["streams", "tables", "rules", "nativePlugins", "portablePlugins", "sourceConfig", "sinkConfig",
  "connectionConfig", "Service", "Schema", "uploads", "scripts"];
const $ = (id) => document.getElementById(id);

// ---- API -------------------------------------------------------------------------------------------------------
function token() { return sessionStorage.getItem("kuiper-token") || ""; }

async function api(method, path, body) {
  const headers = {};
  if (token()) headers["Authorization"] = token();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return await fetch(path, { method, headers, body, cache: "no-store" });
}

const TOKEN_NEEDED = "The node asks for a token (authentication is on): paste one at the top right.";

/** The text of a reply, and its JSON when it is JSON (eKuiper's envelope comes as text/plain but is JSON). */
async function read(response) {
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, ok: response.ok, text, json };
}

async function getJson(path) {
  const reply = await read(await api("GET", path));
  if (!reply.ok) throw new Error(errorText(reply));
  return reply.json;
}

function errorText(reply) {
  if (reply.status === 401) return `${TOKEN_NEEDED} (${reply.text.trim()})`;
  if (reply.json && typeof reply.json.message === "string") return `${reply.status}: ${reply.json.message}`;
  return `${reply.status}: ${reply.text.trim()}`;
}

function notice(text) {
  const box = $("notice");
  box.textContent = text;
  box.hidden = !text;
}

// ---- small DOM helpers -----------------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function table(target, headers, rows) {
  target.replaceChildren(el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))), el("tbody", {}, rows));
}

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- tabs ------------------------------------------------------------------------------------------------------
const loaders = { status: loadStatus, export: loadRules, history: loadHistory, cluster: loadCluster };

function show(tab) {
  if (!document.getElementById(tab) || !document.querySelector(`nav a[data-tab="${tab}"]`)) tab = "import";
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.tab === tab);
  for (const section of document.querySelectorAll("main section")) section.hidden = section.id !== tab;
  notice("");
  if (loaders[tab]) loaders[tab]().catch((e) => notice(e.message));
}

// ---- import ----------------------------------------------------------------------------------------------------
let cancelTask = null;

async function bundleText() {
  const file = $("bundle-file").files[0];
  if (file) return await file.text();
  return $("bundle-text").value;
}

function importQuery() {
  const query = new URLSearchParams();
  if ($("opt-partial").checked) query.set("partial", "1");
  if ($("opt-atomic").checked) query.set("atomic", "1");
  if ($("opt-dryrun").checked) query.set("dryRun", "1");
  const text = query.toString();
  return text ? "?" + text : "";
}

async function runImport() {
  const content = await bundleText();
  if (!content.trim()) { notice("Pick a bundle file or paste one first."); return; }
  notice("");
  const body = JSON.stringify({ content });
  const query = importQuery();
  $("import-result").replaceChildren();
  setBusy(true, "importing…");
  try {
    // eKuiper's async API gives progress; a node without it answers 404 and the plain import runs instead.
    const started = await read(await api("POST", "/async/data/import" + query, body));
    let outcome;
    if (started.status === 404 || started.status === 405) outcome = await read(await api("POST", "/data/import" + query, body));
    else if (started.ok && started.json && started.json.id) outcome = await followTask(started.json.id);
    else outcome = started;
    renderImport(outcome, content);
  } catch (e) {
    notice("The import could not be sent: " + e.message);
  } finally {
    setBusy(false);
  }
}

function setBusy(busy, stage) {
  $("import-run").disabled = busy;
  $("import-progress").hidden = !busy;
  $("import-cancel").hidden = true;
  $("import-bar").hidden = true;
  if (stage) $("import-stage").textContent = stage;
}

/** Polls an async task until it ends; answers what /data/import would have answered. */
async function followTask(id) {
  $("import-cancel").hidden = false;
  cancelTask = () => api("POST", `/async/task/${encodeURIComponent(id)}/cancel`);
  try {
    for (;;) {
      const task = await getJson(`/async/task/${encodeURIComponent(id)}`);
      if (task.progress && task.progress.total > 0) {
        $("import-bar").hidden = false;
        $("import-bar").max = task.progress.total;
        $("import-bar").value = task.progress.done;
      }
      const done = task.progress ? ` ${task.progress.done} of ${task.progress.total}` : "";
      $("import-stage").textContent = `${task.status}${task.stage ? " · " + task.stage : ""}${done}`;
      if (task.status === "finish") return { ok: true, status: 200, text: task.message, json: parse(task.message) };
      if (task.status === "error") {
        // eKuiper's text: err:<error>, response:<the status as JSON>
        const at = task.message.indexOf("response:");
        const response = at >= 0 ? parse(task.message.slice(at + "response:".length)) : null;
        if (response && response.ConfigResponse) return { ok: false, status: 400, text: task.message, json: { message: JSON.stringify(response.ConfigResponse) } };
        return { ok: false, status: 400, text: task.message, json: { message: task.message } };
      }
      if (task.status === "cancel") return { ok: false, status: 400, text: task.message, json: { message: task.message } };
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  } finally {
    cancelTask = null;
  }
}

function parse(text) { try { return JSON.parse(text); } catch { return null; } }

/** The per-kind result: every item of the bundle, failed ones highlighted with their error. */
function renderImport(reply, content) {
  const target = $("import-result");
  const bundle = parse(content) || {};
  let errors = null;
  let plan = null;
  let headline;
  if (reply.ok && reply.json) {
    errors = reply.json.ConfigResponse || {};
    plan = reply.json.Plan || null;
    headline = el("p", { class: "summary ok", "data-testid": "import-outcome" },
      reply.json.DryRun ? "Dry run: every item would be imported; nothing was changed." : "Imported: every item succeeded.");
  } else {
    const message = reply.status === 401 ? errorText(reply)
      : reply.json && typeof reply.json.message === "string" ? reply.json.message : reply.text;
    const perKind = parse(message);
    plan = reply.json && reply.json.plan ? reply.json.plan : null;
    if (perKind && typeof perKind === "object" && KINDS.some((k) => k in perKind)) {
      errors = perKind;
      const failed = KINDS.reduce((n, k) => n + Object.keys(perKind[k] || {}).length, 0);
      headline = el("p", { class: "summary bad", "data-testid": "import-outcome" },
        `${failed} item${failed === 1 ? "" : "s"} failed` + ($("opt-atomic").checked || $("opt-dryrun").checked ? "; nothing was changed." : "; the others were imported."));
    } else {
      headline = el("p", { class: "summary bad", "data-testid": "import-outcome" }, `Refused (${reply.status}): ${message}`);
    }
  }
  const parts = [headline];
  if (errors) {
    const rows = [];
    for (const kind of KINDS) {
      const names = new Set([...Object.keys(bundle[kind] || {}), ...Object.keys(errors[kind] || {})]);
      for (const name of [...names].sort()) {
        const error = (errors[kind] || {})[name];
        rows.push(el("tr", error ? { class: "failed", "data-kind": kind, "data-name": name } : { "data-kind": kind, "data-name": name },
          el("td", {}, kind), el("td", { class: "mono" }, name), el("td", {}, error ? "failed: " + error : (plan ? "checked" : "ok"))));
      }
    }
    const resultTable = el("table", { "data-testid": "import-items" });
    table(resultTable, ["kind", "item", "result"], rows.length ? rows : [el("tr", {}, el("td", { colspan: "3" }, "the bundle named no items"))]);
    parts.push(el("div", { class: "scroll" }, resultTable));
  }
  if (plan) parts.push(el("h3", {}, "What would change"), planTable(plan));
  target.replaceChildren(...parts);
}

function planTable(plan) {
  const rows = KINDS.filter((k) => plan[k]).map((k) => el("tr", {},
    el("td", {}, k),
    ["added", "changed", "removed"].map((what) => el("td", { class: "mono" }, (plan[k][what] || []).join(", ") || "–")),
    el("td", {}, String((plan[k].unchanged || []).length))));
  const target = el("table", { "data-testid": "plan" });
  table(target, ["kind", "added", "changed", "removed", "unchanged"], rows);
  return el("div", { class: "scroll" }, target);
}

// ---- last import -----------------------------------------------------------------------------------------------
async function loadStatus() {
  const [status, history] = await Promise.all([getJson("/data/import/status"), getJson("/data/imports?limit=1&kind=import")]);
  const last = history && history[0];
  const parts = [];
  if (last) {
    parts.push(el("p", {},
      el("span", { class: last.succeeded ? "ok" : "bad" }, last.succeeded ? "succeeded" : "failed"),
      ` · ${last.mode} · ${last.apply} · ${new Date(last.requestedAt).toLocaleString()} · by ${last.node}`));
  } else {
    parts.push(el("p", { class: "muted" }, "No import yet."));
  }
  const rows = KINDS.map((kind) => {
    const counts = last && last.counts && last.counts[kind];
    const errors = Object.entries(status[kind] || {});
    return el("tr", errors.length ? { class: "failed" } : {},
      el("td", {}, kind),
      el("td", {}, counts ? String(counts.imported) : "–"),
      el("td", {}, counts ? String(counts.failed) : "–"),
      el("td", {}, counts ? String(counts.removed) : "–"),
      el("td", {}, errors.map(([name, error]) => el("div", {}, el("span", { class: "mono" }, name), ": ", error))));
  });
  const target = el("table", {});
  table(target, ["kind", "imported", "failed", "removed", "errors"], rows);
  parts.push(el("div", { class: "scroll" }, target));
  $("status-body").replaceChildren(...parts);
}

// ---- export ----------------------------------------------------------------------------------------------------
async function loadRules() {
  const rules = await getJson("/rules");
  const target = $("export-rules");
  if (!rules.length) { target.replaceChildren(el("span", { class: "muted" }, "No rules stored.")); return; }
  target.replaceChildren(...rules.map((rule) =>
    el("label", {}, el("input", { type: "checkbox", value: rule.id, "data-rule": rule.id }), " ", rule.id)));
}

async function exportBundle(method, body, name) {
  const response = await api(method, "/data/export", body);
  if (!response.ok) { notice("Export failed: " + errorText(await read(response))); return; }
  download(name, await response.blob());
}

function stamp() { return new Date().toISOString().replace(/[:.]/g, "-"); }

// ---- history ---------------------------------------------------------------------------------------------------
async function loadHistory() {
  const records = await getJson("/data/imports?limit=50");
  const rows = records.map((record, index) => {
    const totals = Object.values(record.counts || {}).reduce(
      (sum, c) => ({ imported: sum.imported + c.imported, failed: sum.failed + c.failed, removed: sum.removed + c.removed }),
      { imported: 0, failed: 0, removed: 0 });
    const older = records[index + 1];
    return el("tr", record.succeeded ? { "data-id": record.id } : { class: "failed", "data-id": record.id },
      el("td", {}, new Date(record.requestedAt).toLocaleString()),
      el("td", {}, record.change
        ? `change: ${record.change.kind} ${record.change.names.join(", ")} (${record.change.operation})`
        : record.mode + (record.apply !== "always" ? ` (${record.apply})` : "") + (record.restoreOf ? " restore" : "")),
      el("td", {}, record.succeeded ? "succeeded" : "failed"),
      el("td", {}, `${totals.imported} imported, ${totals.failed} failed, ${totals.removed} removed`),
      el("td", { class: "mono" }, record.node || ""),
      el("td", {},
        older ? el("button", { onclick: () => showDiff(older, record).catch((e) => notice(e.message)) }, "Diff") : null,
        record.restorable && !record.dryRun ? el("button", { onclick: () => downloadAt(record) }, "Export") : null,
        record.restorable && !record.dryRun ? el("button", { onclick: () => restore(record) }, "Restore") : null));
  });
  table($("history-table"), ["when", "mode", "outcome", "items", "node", ""],
    rows.length ? rows : [el("tr", {}, el("td", { colspan: "6", class: "muted" }, "No import yet."))]);
}

async function showDiff(older, record) {
  const diff = await getJson(`/data/imports/${encodeURIComponent(older.id)}/diff/${encodeURIComponent(record.id)}`);
  $("history-detail").replaceChildren(
    el("h3", {}, `What changed from ${new Date(older.requestedAt).toLocaleString()} to ${new Date(record.requestedAt).toLocaleString()}`),
    planTable(diff));
}

async function downloadAt(record) {
  const response = await api("GET", `/data/imports/${encodeURIComponent(record.id)}/export`);
  if (!response.ok) { notice("Export failed: " + errorText(await read(response))); return; }
  download(`kuiper-export-${record.id}.json`, await response.blob());
}

async function restore(record) {
  if (!confirm(`Replace the whole configuration with the one this import left (${new Date(record.requestedAt).toLocaleString()})?`)) return;
  const reply = await read(await api("POST", `/data/imports/${encodeURIComponent(record.id)}/restore`));
  if (!reply.ok) notice("Restore failed: " + errorText(reply));
  else $("history-detail").replaceChildren(el("p", { class: "ok" }, "Restored."));
  await loadHistory();
}

// ---- cluster ---------------------------------------------------------------------------------------------------
// The answering node and its release: "0.2.0+<commit>" is shown as "0.2.0 (abcdef1)".
function showNode(view) {
  $("node").textContent = `this node: ${view.self} · version ${view.nodeVersion.replace(/\+(.{7}).*$/, " ($1)")}`;
}

async function loadCluster() {
  const view = await getJson("/cluster/members");
  showNode(view);
  const addresses = view.members.map((m) => m.address);
  table($("members-table"), ["address", "status", "reachable", "version", "labels", ""], view.members.map((m) =>
    el("tr", m.reachable && m.status === "Up" ? { "data-address": m.address } : { class: "failed", "data-address": m.address },
      el("td", { class: "mono addr" }, m.address),
      el("td", {}, m.status),
      el("td", {}, m.reachable ? "yes" : "no"),
      el("td", {}, m.appVersion),
      el("td", { class: "mono" }, Object.entries(m.labels || {}).map(([k, v]) => `${k}=${v}`).join(", ")),
      el("td", { class: "muted" }, [m.address === view.self ? "this node" : null, m.address === view.leader ? "leader" : null,
        m.address === view.oldest ? "singletons" : null].filter(Boolean).join(", ")))));

  const regions = (await getJson("/cluster/sharding/regions")).regions;
  const stats = await Promise.all(regions.map((r) => getJson(`/cluster/sharding/regions/${encodeURIComponent(r.type)}/stats`)));
  table($("partitions-table"), ["node", ...regions.map((r) => r.type)], addresses.map((address) =>
    el("tr", { "data-address": address },
      el("td", { class: "mono addr" }, address),
      stats.map((stat) => {
        const node = stat.nodes.find((n) => n.address === address);
        if (!node) return el("td", { class: "muted" }, "–");
        if (!node.answered) return el("td", { class: "failed" }, "no answer");
        const ids = node.shards.map((s) => s.shardId);
        return el("td", { title: "partitions " + ids.join(", ") }, el("strong", {}, String(ids.length)), el("span", { class: "ids" }, ids.join(" ")));
      }))));

  const artefacts = await loadArtefacts();
  table($("artefacts-table"), ["kind", "name", "version", ...addresses], artefacts.length
    ? artefacts.map((a) => el("tr", {},
      el("td", {}, a.kind), el("td", { class: "mono" }, a.name), el("td", {}, a.version || ""),
      addresses.map((address) => {
        const install = (a.nodes || []).find((n) => n.node === address);
        if (!install) return el("td", { class: "muted" }, "pending");
        return install.installed ? el("td", { class: "ok" }, "installed") : el("td", { class: "failed" }, install.error || "not installed");
      })))
    : [el("tr", {}, el("td", { colspan: String(3 + addresses.length), class: "muted" }, "No plugins, services or schemas stored."))]);
}

/** Every stored artefact with its per-node install state, from the read endpoints. */
async function loadArtefacts() {
  const found = [];
  for (const detail of await getJson("/plugins/portables")) found.push({ kind: "portable plugin", ...detail });
  for (const type of ["sources", "sinks", "functions"])
    for (const name of await getJson(`/plugins/${type}`))
      found.push({ kind: `native ${type.replace(/s$/, "")}`, ...(await getJson(`/plugins/${type}/${encodeURIComponent(name)}`)) });
  for (const name of await getJson("/services"))
    found.push({ kind: "service", ...(await getJson(`/services/${encodeURIComponent(name)}`)) });
  for (const type of ["protobuf", "custom"])
    for (const name of await getJson(`/schemas/${type}`))
      found.push({ kind: `${type} schema`, ...(await getJson(`/schemas/${type}/${encodeURIComponent(name)}`)) });
  return found;
}

// ---- wiring ----------------------------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("token").value = token();
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("kuiper-token", $("token").value.trim());
    show(location.hash.slice(1) || "import");
  });
  $("import-run").addEventListener("click", () => runImport());
  $("import-cancel").addEventListener("click", () => cancelTask && cancelTask());
  $("bundle-file").addEventListener("change", () => { if ($("bundle-file").files[0]) $("bundle-text").value = ""; });
  $("export-all").addEventListener("click", () => exportBundle("GET", undefined, `kuiper-export-${stamp()}.json`).catch((e) => notice(e.message)));
  $("export-chosen").addEventListener("click", () => {
    const chosen = [...document.querySelectorAll("#export-rules input:checked")].map((box) => box.value);
    if (!chosen.length) { notice("Choose at least one rule."); return; }
    exportBundle("POST", JSON.stringify(chosen), `kuiper-rules-${stamp()}.json`).catch((e) => notice(e.message));
  });
  for (const button of document.querySelectorAll("[data-refresh]"))
    button.addEventListener("click", () => loaders[button.dataset.refresh]().catch((e) => notice(e.message)));
  window.addEventListener("hashchange", () => show(location.hash.slice(1)));
  show(location.hash.slice(1) || "import");
  getJson("/cluster/members").then(showNode).catch(() => {});
});
