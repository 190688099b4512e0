// app.js - the Hygie dashboard: pages built from the collector's JSON API.
//
// Every figure comes from /api/v1, which checks who asks; this file only
// shows what the API gives. Text goes in with textContent, never as HTML.
"use strict";

const state = { session: null, lang: "fr", names: new Map() };

function pickLang() {
  const saved = localStorage.getItem("hygie.lang");
  if (saved === "fr" || saved === "en") return saved;
  const nav = (navigator.languages || [navigator.language || "fr"])[0] || "fr";
  return nav.toLowerCase().startsWith("fr") ? "fr" : nav.toLowerCase().startsWith("en") ? "en" : "fr";
}

function t(key, vars) {
  let s = (MESSAGES[state.lang] && MESSAGES[state.lang][key]) || MESSAGES.fr[key] || key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace("{" + k + "}", String(v));
  return s;
}

function checkName(id) {
  return (CHECKS[state.lang] && CHECKS[state.lang][id]) || id;
}

// h("tag.class", {attr: v, onclick: f}, children...): an element.
function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag);
  if (classes.length) el.className = classes.join(" ");
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = "http://www.w3.org/2000/svg";
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children.flat()) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// The API. A 401 on a page means the session ended.
class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || "HTTP " + status);
    this.status = status;
    this.code = body && body.error && body.error.code;
    this.retryAfter = 0;
  }
}

// A page whose answer comes back after another page was asked for is
// dropped: the later page is the one the person sees.
class Stale extends Error {}
let generation = 0;

async function api(method, path, body) {
  const g = generation;
  const headers = { Accept: "application/json", "Accept-Language": state.lang };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.session) headers["X-CSRF-Token"] = state.session.csrf_token;
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (method === "GET" && g !== generation) throw new Stale();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new ApiError(res.status, json);
    err.retryAfter = Number(res.headers.get("Retry-After") || 0);
    throw err;
  }
  return json;
}

// Formatting.
function day(iso) {
  return iso ? new Date(iso + (iso.length === 10 ? "T00:00:00Z" : "")).toLocaleDateString(state.lang, { timeZone: "UTC" }) : "—";
}
function when(unix) {
  return unix ? new Date(unix * 1000).toLocaleString(state.lang) : "—";
}
function isoWhen(iso) {
  return iso ? new Date(iso).toLocaleString(state.lang) : "—";
}
function pct(x) {
  return x === null || x === undefined ? "—" : Math.round(x * 100) + " %";
}
function num(x) {
  return x === null || x === undefined ? "—" : x.toLocaleString(state.lang);
}

function severityBadge(sev) {
  return h("span.badge.sev-" + sev, {}, t("severity." + sev));
}

// A score out of 100; big ones say so.
function scoreBadge(score, big) {
  if (score === null || score === undefined) return h("span.score.score-none", { title: t("unknown") }, "—");
  const band = score >= 90 ? "good" : score >= 70 ? "fair" : "poor";
  return h("span.score.score-" + band, {}, String(score), big ? h("small", {}, " /100") : "");
}

function trendText(n) {
  if (n === null || n === undefined) return "—";
  if (n > 0) return "↑ " + t("trend.up", { n });
  if (n < 0) return "↓ " + t("trend.down", { n: -n });
  return "→ " + t("trend.flat");
}

function equipmentText(mask) {
  if (mask & 1) return t("equipment.replace");
  const parts = [];
  if (mask & 2) parts.push(t("equipment.ram"));
  if (mask & 4) parts.push(t("equipment.ssd"));
  return parts.length ? parts.join(", ") : t("equipment.ok");
}

// A table in its own scrolling box, so a narrow screen scrolls the table
// and not the page; on a phone each cell also carries its column's name.
function table(caption, columns, rows) {
  return h("div.scroll", { role: "region", "aria-label": caption, tabindex: "0" }, h(
    "table",
    {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c, i) => h("td", { "data-label": columns[i] }, c))))),
  ));
}

function link(href, text) {
  return h("a", { href }, text);
}

function notice(text, kind) {
  return h("p.notice" + (kind ? "." + kind : ""), { role: kind === "error" ? "alert" : "status" }, text);
}

// Charts: SVG with a text alternative.

// On a phone a chart is drawn at the screen's own width, so its text keeps
// its size instead of shrinking with the drawing.
function narrow() {
  return window.matchMedia("(max-width: 600px)").matches;
}

function lineChart(title, points) {
  const W = narrow() ? 340 : 560, H = 180, P = 32;
  const known = points.filter((p) => p.score !== null && p.score !== undefined);
  const fig = h("figure.chart", {}, h("figcaption", {}, title));
  if (!known.length) {
    fig.append(h("p", {}, t("chart.empty")));
    return fig;
  }
  const x = (i) => P + (i * (W - 2 * P)) / Math.max(points.length - 1, 1);
  const y = (v) => H - P - (v * (H - 2 * P)) / 100;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title, class: "line" });
  for (const g of [0, 50, 100]) {
    svg.append(s("line", { x1: P, x2: W - P, y1: y(g), y2: y(g), class: "grid" }));
    svg.append(s("text", { x: 4, y: y(g) + 4, class: "axis" }, String(g)));
  }
  let d = "";
  points.forEach((p, i) => {
    if (p.score === null || p.score === undefined) return;
    d += (d ? " L" : "M") + x(i).toFixed(1) + " " + y(p.score).toFixed(1);
    svg.append(s("circle", { cx: x(i), cy: y(p.score), r: 3, class: "dot" }, s("title", {}, `${p.label}: ${p.score}`)));
  });
  svg.append(s("path", { d, class: "stroke" }));
  fig.append(svg);
  const alt = h("details.alt", {}, h("summary", {}, title));
  alt.append(table(title, [t("col.date"), t("col.score")], known.map((p) => [p.label, String(p.score)])));
  fig.append(alt);
  return fig;
}

function barChart(title, bars, max, target) {
  const W = narrow() ? 340 : 560, row = 26, P = narrow() ? 120 : 180, chars = narrow() ? 17 : 28;
  const H = bars.length * row + 10;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title, class: "bars" });
  const scale = (v) => ((W - P - 60) * v) / (max || 1);
  bars.forEach((b, i) => {
    const yy = 5 + i * row;
    svg.append(s("text", { x: 0, y: yy + 16, class: "axis" }, b.label.length > chars ? b.label.slice(0, chars - 1) + "…" : b.label));
    svg.append(s("rect", { x: P, y: yy + 4, width: Math.max(scale(b.value), 1), height: 16, class: "bar" },
      s("title", {}, `${b.label}: ${b.text}`)));
    svg.append(s("text", { x: P + scale(b.value) + 6, y: yy + 16, class: "axis" }, b.text));
  });
  if (target !== undefined)
    svg.append(s("line", { x1: P + scale(target), x2: P + scale(target), y1: 0, y2: H, class: "target" }));
  return h("figure.chart", {}, h("figcaption", {}, title), svg);
}

// Layout.

function navigation() {
  const role = state.session && state.session.role;
  const items = [];
  if (role === "admin" || role === "regional") {
    items.push(["#/alerts", t("nav.alerts")], ["#/establishments", t("nav.establishments")], ["#/machines", t("nav.machines")], ["#/checks", t("nav.checks")]);
  }
  if (role === "establishment") {
    items.push(["#/establishment/" + state.session.finess, t("nav.mine")], ["#/alerts", t("nav.alerts")], ["#/machines", t("nav.machines")], ["#/checks", t("nav.checks")]);
  }
  if (role) items.push(["#/equipment", t("nav.equipment")], ["#/progress", t("nav.progress")], ["#/opendata", t("nav.opendata")]);
  const here = location.hash || "#/";
  return h("nav", { "aria-label": t("nav.main") },
    h("ul", {}, items.map(([href, text]) =>
      h("li", {}, h("a", { href, "aria-current": here.startsWith(href) ? "page" : null }, text)))));
}

function renderChrome() {
  document.documentElement.lang = state.lang;
  document.title = t("app.title");
  const header = document.getElementById("header");
  header.replaceChildren(
    h("div.brand", {}, h("strong", {}, t("app.title")), " ", h("span", {}, t("app.tagline"))),
    state.session ? navigation() : "",
    h("div.tools", {},
      state.session ? h("span.who", {}, state.session.login) : "",
      h("button.link", { type: "button", id: "lang", "aria-label": t("lang.label"), onclick: switchLang }, t("lang.switch")),
      state.session ? h("button.link", { type: "button", id: "logout", onclick: logout }, t("logout")) : ""),
  );
}

function main() {
  return document.getElementById("main");
}

function show(title, ...content) {
  document.title = title + " — " + t("app.title");
  const m = main();
  m.replaceChildren(h("h1", { tabindex: "-1" }, title), ...content);
  m.querySelector("h1").focus();
}

// Shows the page again after a change, unless the person has moved on.
function refreshSoon(ms) {
  const here = location.hash;
  setTimeout(() => { if (location.hash === here) route(); }, ms);
}

function switchLang() {
  state.lang = state.lang === "fr" ? "en" : "fr";
  localStorage.setItem("hygie.lang", state.lang);
  route();
}

async function logout() {
  try {
    await api("DELETE", "/api/v1/session");
  } catch (e) {
    /* the session is gone either way */
  }
  state.session = null;
  location.hash = "#/login";
}

// Pages.

function loginPage(message) {
  const login = h("input", { id: "login", name: "login", autocomplete: "username", required: true });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const out = h("div", { "aria-live": "polite" }, message ? notice(message, "error") : "");
  const form = h("form.card", {
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        state.session = await api("POST", "/api/v1/session", { login: login.value, password: password.value });
        location.hash = homeOf(state.session);
        route();
      } catch (e) {
        out.replaceChildren(notice(e.status === 429 ? t("login.wait", { s: e.retryAfter }) : e.status === 401 ? t("login.failed") : t("error.generic", { m: e.message }), "error"));
      }
    },
  },
  h("label", { for: "login" }, t("login.login")), login,
  h("label", { for: "password" }, t("login.password")), password,
  h("button", { type: "submit" }, t("login.submit")), out);
  show(t("login.title"), form);
}

function homeOf(session) {
  if (session.role === "establishment") return "#/establishment/" + session.finess;
  if (session.role === "funder") return "#/equipment";
  return "#/alerts";
}

async function loadNames() {
  if (state.names.size) return;
  const list = await api("GET", "/api/v1/establishments");
  for (const e of list.establishments) state.names.set(e.finess, e.name);
}

const SEVERITIES = ["critical", "high", "medium", "low", "info"];
const PAGE = 50;

// A filter form: submitting it puts its values into the address, so a
// view can be shared.
function filterForm(base, ...controls) {
  return h("form.filters", {
    "aria-label": t("filter.label"),
    onsubmit: (ev) => {
      ev.preventDefault();
      const p = new URLSearchParams();
      for (const [k, v] of new FormData(ev.target)) if (v) p.set(k, v);
      location.hash = base + "?" + p;
    },
  }, ...controls);
}

// A control with its label, for the filter forms.
function field(id, label, input) {
  return h("div.field", {}, h("label", { for: id }, label), input);
}

function pager(data, params, base) {
  const from = data.total ? data.offset + 1 : 0, to = Math.min(data.offset + data.limit, data.total);
  const go = (offset) => {
    const p = new URLSearchParams(params);
    if (offset > 0) p.set("offset", offset); else p.delete("offset");
    return base + "?" + p;
  };
  return h("nav.pager", { "aria-label": t("pager.label") },
    h("span", {}, t("pager.range", { from: num(from), to: num(to), n: num(data.total) })),
    data.offset > 0 ? link(go(Math.max(0, data.offset - data.limit)), t("pager.previous")) : "",
    to < data.total ? link(go(data.offset + data.limit), t("pager.next")) : "");
}

// Regional support's work list: groups of alerts by check and
// establishment, or the alerts one by one; filters, counts and pages come
// from the API, so the oldest critical alert of ten thousand is still there.
async function alertsPage(params) {
  await loadNames();
  const view = params.get("view") === "list" ? "list" : "groups";
  const q = new URLSearchParams();
  for (const k of ["finess", "department", "check", "status", "severity", "min_age_days", "offset"])
    if (params.get(k)) q.set(k, params.get(k));
  if (!params.get("status")) q.set("status", "open");
  q.set("limit", PAGE);
  const live = h("div", { "aria-live": "polite" });
  const current = (k) => params.get(k) || (k === "status" ? "open" : "");
  const select = (name, options) => h("select", { id: "f-" + name, name },
    options.map(([v, text]) => h("option", { value: v, selected: current(name) === v }, text)));
  const establishments = [...state.names.entries()].sort((a, b) => a[1].localeCompare(b[1], state.lang));
  const checks = Object.keys(CHECKS.fr).map((c) => [c, checkName(c)]).sort((a, b) => a[1].localeCompare(b[1], state.lang));
  const filters = filterForm("#/alerts",
  h("input", { type: "hidden", name: "view", value: view }),
  state.session.role === "establishment" ? "" :
    field("f-finess", t("filter.establishment"), select("finess", [["", t("filter.all")], ...establishments])),
  state.session.role === "establishment" ? "" :
    field("f-department", t("filter.department"), h("input", { id: "f-department", name: "department", value: current("department"), maxlength: "3", size: "3" })),
  field("f-check", t("filter.check"), select("check", [["", t("filter.all")], ...checks])),
  field("f-severity", t("filter.severity"), select("severity", [["", t("filter.all")], ...SEVERITIES.map((v) => [v, t("severity." + v)])])),
  field("f-min_age_days", t("filter.age"), h("input", { id: "f-min_age_days", name: "min_age_days", type: "number", min: "0", max: "36500", value: current("min_age_days") })),
  field("f-status", t("filter.status"), select("status", ["open", "acknowledged", "resolved"].map((v) => [v, t("status." + v)]))),
  h("button", { type: "submit" }, t("filter.apply")));
  const tabs = h("p.tabs", {},
    ...[["groups", t("alerts.by_group")], ["list", t("alerts.by_alert")]].map(([v, text]) => {
      const p = new URLSearchParams(params);
      p.set("view", v);
      p.delete("offset");
      return h("a", { href: "#/alerts?" + p, "aria-current": v === view ? "page" : null }, text);
    }));
  const canAck = current("status") === "open";
  let data;
  try {
    data = await api("GET", (view === "groups" ? "/api/v1/alerts/groups?" : "/api/v1/alerts?") + q);
  } catch (e) {
    if (e.status === 401 || e instanceof Stale) throw e;
    // The filters stay: the person corrects what the message names.
    show(t("alerts.title"), filters, notice(t("error.generic", { m: e.message }), "error"));
    return;
  }
  const acknowledge = async (body, done) => {
    try {
      const r = await api("POST", "/api/v1/alerts/acknowledge?" + q, body);
      live.replaceChildren(notice(t("alerts.acknowledged_n", { n: r.acknowledged })));
      done();
    } catch (e) {
      live.replaceChildren(notice(t("error.generic", { m: e.message }), "error"));
    }
  };
  if (view === "groups") {
    const rows = data.groups.map((g) => [
      h("span.counts", {}, SEVERITIES.filter((v) => g.counts[v]).map((v) => h("span.badge.sev-" + v, { title: t("severity." + v) }, `${g.counts[v]} ${t("severity." + v)}`))),
      link("#/alerts?" + new URLSearchParams({ view: "list", check: g.check, finess: g.finess, status: current("status") }), checkName(g.check)),
      link("#/establishment/" + g.finess, g.name),
      g.machines ? num(g.machines) : t("alerts.establishment_own"),
      isoWhen(g.oldest_opened_at),
      canAck ? h("button.small", {
        type: "button",
        "aria-label": t("alerts.acknowledge_group", { c: checkName(g.check), e: g.name }),
        onclick: (ev) => acknowledge({ check: g.check, finess: g.finess }, () => ev.target.replaceWith(t("status.acknowledged"))),
      }, t("alerts.acknowledge")) : "",
    ]);
    show(t("alerts.title"), filters, tabs, live,
      table(t("alerts.groups_count", { n: num(data.total) }),
        [t("col.severity"), t("col.check"), t("col.establishment"), t("col.machines"), t("col.oldest"), t("col.action")], rows),
      pager(data, params, "#/alerts"));
    return;
  }
  const counts = h("p.counts", {}, SEVERITIES.filter((v) => data.counts[v]).map((v) => {
    const p = new URLSearchParams(params);
    p.set("severity", v);
    p.delete("offset");
    return h("a.badge.sev-" + v, { href: "#/alerts?" + p }, `${num(data.counts[v])} ${t("severity." + v)}`);
  }));
  const boxes = [];
  const rows = data.alerts.map((a) => {
    const box = canAck && a.status === "open"
      ? h("input", { type: "checkbox", value: String(a.id), "aria-label": t("alerts.select", { c: checkName(a.check), m: a.hostname || state.names.get(a.finess) || a.finess }) })
      : "";
    if (box) boxes.push(box);
    return [
      box,
      severityBadge(a.severity),
      h("span", { title: a.check }, checkName(a.check), a.subject ? " — " + a.subject : ""),
      a.summary,
      a.agent_id ? link("#/machine/" + a.agent_id, a.hostname) : "—",
      link("#/establishment/" + a.finess, state.names.get(a.finess) || a.finess),
      isoWhen(a.opened_at),
      t("status." + a.status),
    ];
  });
  const bulk = canAck && boxes.length ? h("p", {}, h("button", {
    type: "button",
    onclick: () => {
      const ids = boxes.filter((b) => b.checked).map((b) => Number(b.value));
      if (!ids.length) return live.replaceChildren(notice(t("alerts.none_selected"), "error"));
      acknowledge({ ids }, () => refreshSoon(600));
    },
  }, t("alerts.acknowledge_selected"))) : "";
  show(t("alerts.title"), filters, tabs, counts, live, bulk,
    table(t("alerts.count", { n: num(data.total) }),
      [t("col.select"), t("col.severity"), t("col.check"), t("col.summary"), t("col.machine"), t("col.establishment"), t("col.opened"), t("col.status")], rows),
    pager(data, params, "#/alerts"));
}

async function establishmentsPage() {
  const data = await api("GET", "/api/v1/establishments");
  const list = data.establishments.slice().sort((a, b) => (a.hygiene_score ?? 101) - (b.hygiene_score ?? 101) || a.name.localeCompare(b.name));
  show(t("est.title"), h("p", {}, t("est.sorted")),
    table(t("est.title"), [t("col.establishment"), t("col.department"), t("col.score"), t("col.trend"), t("col.machines"), t("col.open_alerts"), t("est.last_exercise")],
      list.map((e) => [link("#/establishment/" + e.finess, e.name), e.department, scoreBadge(e.hygiene_score), trendText(e.trend), num(e.machines), num(e.open_alerts), day(e.last_exercise)])));
}

// A record of the plan: what was done, with the alert it resolves said
// once saved. A restore test names one of the backups the machines report,
// and its result is chosen, never assumed.
function recordForm(finess, kind, titleKey, fields, jobs) {
  const live = h("div", { "aria-live": "polite" });
  const id = (n) => `${kind}-${n}`;
  const choose = h("option", { value: "" }, t("form.choose"));
  const controls = fields.map(([name, labelKey, type]) => {
    let input;
    if (type === "textarea") input = h("textarea", { id: id(name), name, rows: "3", maxlength: "4000" });
    else if (type === "result")
      input = h("select", { id: id(name), name, required: true }, choose.cloneNode(true), h("option", { value: "success" }, t("form.success")), h("option", { value: "failure" }, t("form.failure")));
    else if (type === "job")
      input = h("select", { id: id(name), name, required: true, disabled: !jobs.length }, choose.cloneNode(true), jobs.map((j) => h("option", { value: j.job }, j.job)));
    else input = h("input", { id: id(name), name, type, required: type !== "textarea", min: type === "number" ? "0" : null, max: type === "date" ? new Date().toISOString().slice(0, 10) : null, maxlength: type === "text" ? "500" : null });
    return h("div.field", {}, h("label", { for: id(name) }, t(labelKey)), input);
  });
  const none = kind === "restore_test" && !jobs.length;
  const form = h("form.card.record", {
    "aria-labelledby": id("title"),
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { kind };
      for (const [name, , type] of fields) {
        const v = ev.target.elements[name].value;
        if (type === "number") body[name] = Number(v);
        else if (v !== "" || type !== "textarea") body[name] = v;
      }
      try {
        const r = await api("POST", `/api/v1/establishments/${finess}/records`, body);
        const resolved = (r.resolved || []).map((a) => checkName(a.check) + (a.subject ? " — " + a.subject : ""));
        live.replaceChildren(notice(resolved.length ? t("form.saved_resolved", { a: resolved.join(", ") })
          : body.result === "failure" ? t("form.saved_failed") : t("form.saved")));
        refreshSoon(1500);
      } catch (e) {
        live.replaceChildren(notice(t("error.generic", { m: e.message }), "error"));
      }
    },
  }, h("h3", { id: id("title") }, t(titleKey)),
  none ? h("p", {}, t("form.no_jobs")) : "",
  controls,
  h("button", { type: "submit", disabled: none }, t("form.save")), live);
  return form;
}

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

// What to do first: three things, each with the part the reader does and
// the part for the IT provider (the technical fix, folded away).
function todoList(items, forms) {
  if (!items.length) return notice(t("todo.nothing"));
  return h("ol.todo", {}, items.map((p) => {
    const who = p.count !== undefined ? (p.count > 1 ? t("todo.cases", { n: p.count }) : "")
      : p.machines ? t("todo.machines", { n: p.machines }) : t("todo.establishment");
    const you = p.for === "you" ? t("todo.you." + p.check, { s: p.subject || "" }) : t("todo.you.it");
    const form = forms && forms[p.check];
    return h("li.todo-item", {},
      h("h3", {}, severityBadge(p.severity), " ", checkName(p.check), who ? [" ", h("span.label", {}, "— " + who)] : ""),
      h("p", {}, h("strong", {}, t("todo.for_you") + " : "), you,
        form ? [" ", h("button.small", { type: "button", onclick: () => { const el = document.getElementById(form); el.scrollIntoView(); el.focus(); } }, t("todo.record"))] : ""),
      p.remediation ? h("details.alt", {}, h("summary", {}, t("todo.for_it")), h("p.remediation", {}, p.remediation)) : "");
  }));
}

async function establishmentPage(finess) {
  const e = await api("GET", "/api/v1/establishments/" + encodeURIComponent(finess));
  const weeks = e.weekly.map((w) => ({ label: day(w.week_ending), score: w.score }));
  const noMachine = !e.machines.length;
  // With no machine the plan's checks do not run: nothing is "up to date".
  const plan = e.plan_alerts.length
    ? h("ul.plan", {}, e.plan_alerts.map((a) => h("li", {}, severityBadge(a.severity), " ", checkName(a.check), a.subject ? " — " + a.subject : "", " : ", a.summary)))
    : noMachine ? h("p", {}, t("est.plan_no_machine")) : notice(t("est.plan_ok"));
  show(e.name,
    noMachine ? notice(t("est.no_machine"), "error") : "",
    noMachine ? "" : h("section", { "aria-labelledby": "todo-title" }, h("h2", { id: "todo-title" }, t("todo.title")),
      todoList(e.priorities || [], { "establishment.crisis_exercise": "exercise-date", "establishment.awareness": "awareness-date", "backup.restore_tested": "restore_test-date" })),
    h("section.summary", { "aria-label": t("est.score") },
      h("div.big", {}, h("span.label", {}, t("est.score")), scoreBadge(e.hygiene_score, true), h("span.trend", {}, trendText(e.trend))),
      h("dl.parts", { "aria-label": t("score.how") },
        h("dt", {}, t("score.machines")), h("dd", {}, scoreBadge(e.score_machines, true)),
        h("dt", {}, t("score.plan")), h("dd", {}, scoreBadge(e.score_plan, true))),
      h("dl", {},
        h("dt", {}, "FINESS"), h("dd", {}, e.finess),
        h("dt", {}, t("col.region")), h("dd", {}, e.region + " (" + e.department + ")"),
        h("dt", {}, t("est.last_exercise")), h("dd", {}, day(e.last_exercise)),
        h("dt", {}, t("est.last_awareness")), h("dd", {}, day(e.last_awareness)))),
    h("details.alt", {}, h("summary", {}, t("score.how")), h("p", {}, t("score.explain", { m: 100 - e.plan_percent, p: e.plan_percent }))),
    lineChart(t("est.trend_chart"), weeks),
    h("h2", {}, t("est.plan")), plan,
    h("h2", {}, t("est.machines")),
    table(t("est.machines"), [t("col.machine"), t("col.score"), t("col.open_alerts"), t("col.equipment"), t("col.last_seen")],
      e.machines.map((m) => [link("#/machine/" + m.id, m.hostname), scoreBadge(m.hygiene_score), num(m.open_alerts), equipmentText(m.equipment), when(m.last_seen)])),
    h("h2", {}, t("est.jobs")),
    e.backup_jobs.length ? table(t("est.jobs"), [t("col.job"), t("col.last_restore")], e.backup_jobs.map((j) => [j.job, day(j.last_restore_test)])) : h("p", {}, t("none")),
    h("h2", {}, t("est.records")),
    e.records.length
      ? table(t("est.records"), [t("col.date"), t("col.kind"), t("col.title"), t("col.people"), t("col.result"), t("col.notes"), t("col.by")],
          e.records.map((r) => [day(r.date), t("kind." + r.kind), r.title, r.kind === "restore_test" ? "—" : num(r.people), r.result ? t("form." + r.result) : "—", r.notes || "—", r.created_by]))
      : h("p", {}, t("none")),
    h("div.forms", {},
      recordForm(e.finess, "exercise", "form.exercise", [["date", "form.date", "date"], ["scenario", "form.scenario", "text"], ["participants", "form.participants", "number"], ["lessons", "form.lessons", "textarea"]]),
      recordForm(e.finess, "awareness", "form.awareness", [["date", "form.date", "date"], ["audience", "form.audience", "text"], ["reached", "form.reached", "number"], ["notes", "form.notes", "textarea"]]),
      recordForm(e.finess, "restore_test", "form.restore", [["date", "form.date", "date"], ["job", "form.job", "job"], ["result", "form.result", "result"], ["notes", "form.notes", "textarea"]], e.backup_jobs)));
}

async function machinePage(id) {
  const m = await api("GET", "/api/v1/agents/" + encodeURIComponent(id));
  // What fails first, the most severe first; then warnings, passes, skips.
  const order = { fail: 0, error: 0, warn: 1, pass: 2, skip: 3 };
  const findings = m.findings.slice().sort((a, b) => order[a.status] - order[b.status] ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || checkName(a.check).localeCompare(checkName(b.check), state.lang));
  const byCheck = new Map();
  for (const f of findings.filter((f) => order[f.status] === 0)) {
    const p = byCheck.get(f.check) || { check: f.check, severity: f.severity, count: 0, for: "it", remediation: f.remediation };
    p.count++;
    byCheck.set(f.check, p);
  }
  const priorities = [...byCheck.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.count - a.count).slice(0, 3);
  const history = m.history.map((d) => ({ label: day(d.day), score: d.score }));
  show(t("machine.title", { h: m.hostname }),
    h("section", { "aria-labelledby": "todo-title" }, h("h2", { id: "todo-title" }, t("todo.title")), todoList(priorities, null)),
    h("section.summary", { "aria-label": t("est.score") },
      h("div.big", {}, h("span.label", {}, t("est.score")), scoreBadge(m.hygiene_score, true)),
      h("dl", {},
        h("dt", {}, t("col.establishment")), h("dd", {}, link("#/establishment/" + m.finess, m.establishment)),
        h("dt", {}, t("col.last_seen")), h("dd", {}, when(m.last_seen)),
        h("dt", {}, t("col.equipment")), h("dd", {}, equipmentText(m.equipment)))),
    lineChart(t("machine.history"), history),
    h("h2", {}, t("machine.findings")),
    h("ul.findings", {}, findings.map((f) =>
      h("li.finding.st-" + f.status, {},
        h("div.head", {}, h("span.badge.st-" + f.status, {}, t("finding." + f.status)), " ", severityBadge(f.severity), " ", h("strong", {}, checkName(f.check)), f.subject ? " — " + f.subject : ""),
        h("p", {}, f.summary),
        f.remediation ? h("p.remediation", {}, h("span.label", {}, t("machine.remediation") + " : "), f.remediation) : "",
        f.status === "error" && f.evidence && f.evidence.message
          ? h("details.alt", {}, h("summary", {}, t("machine.technical")),
              h("p", {}, [f.evidence.file, f.evidence.line > 0 ? f.evidence.line : null].filter(Boolean).join(":"), " ", f.evidence.message))
          : ""))),
    h("h2", {}, t("machine.facts")),
    h("details", {}, h("summary", {}, t("machine.facts")), h("pre", {}, JSON.stringify(m.facts, null, 2))));
}

function size(mib) {
  if (mib === null || mib === undefined) return "—";
  return mib >= 1024 ? num(Math.round(mib / 102.4) / 10) + " " + t("unit.gib") : num(mib) + " " + t("unit.mib");
}

function diskText(m) {
  if (!m.disk && (m.disk_gb === null || m.disk_gb === undefined)) return "—";
  return [m.disk ? t("disk." + m.disk) : "", m.disk_gb !== null && m.disk_gb !== undefined ? num(m.disk_gb) + " " + t("unit.gb") : ""].filter(Boolean).join(", ");
}

// Every machine in scope, the silent ones first, then the worst.
async function machinesPage(params) {
  const q = new URLSearchParams({ limit: PAGE });
  if (params.get("offset")) q.set("offset", params.get("offset"));
  const data = await api("GET", "/api/v1/machines?" + q);
  const rows = data.machines.map((m) => [
    link("#/machine/" + m.id, m.hostname),
    link("#/establishment/" + m.finess, m.establishment),
    h("span", {}, when(m.last_seen), m.silent ? [" ", h("span.badge.sev-high", {}, t("machines.silent"))] : ""),
    m.os || "—",
    m.model || "—",
    size(m.ram_mib),
    diskText(m),
    scoreBadge(m.hygiene_score),
    num(m.open_alerts),
  ]);
  show(t("machines.title"), h("p", {}, t("machines.intro")),
    table(t("machines.count", { n: num(data.total) }),
      [t("col.machine"), t("col.establishment"), t("col.last_seen"), t("col.os"), t("col.model"), t("col.ram"), t("col.disk"), t("col.score"), t("col.open_alerts")], rows),
    pager(data, params, "#/machines"));
}

const RESULTS = ["fail", "error", "warn", "pass", "skip"];

// The fleet per check: how many machines fail each, down to which ones.
async function checksPage(params) {
  if (params.get("check")) return checkMachinesPage(params);
  const data = await api("GET", "/api/v1/checks");
  const count = (c, r) => c[r]
    ? link("#/checks?" + new URLSearchParams({ check: c.check, result: r }), num(c[r]))
    : "0";
  show(t("checks.title"), h("p", {}, t("checks.intro", { n: num(data.machines) })),
    table(t("checks.title"), [t("col.check"), ...RESULTS.map((r) => t("finding." + r)), t("col.in_scope")],
      data.checks.map((c) => [h("span", { title: c.check }, checkName(c.check)), ...RESULTS.map((r) => count(c, r)), num(c.machines - c.skip)])));
}

async function checkMachinesPage(params) {
  const result = RESULTS.includes(params.get("result")) ? params.get("result") : "fail";
  const q = new URLSearchParams({ check: params.get("check"), result, limit: PAGE });
  if (params.get("offset")) q.set("offset", params.get("offset"));
  const data = await api("GET", "/api/v1/checks/machines?" + q);
  show(t("checks.machines", { c: checkName(data.check), r: t("finding." + result) }),
    h("p", {}, link("#/checks", t("checks.back"))),
    table(t("machines.count", { n: num(data.total) }), [t("col.machine"), t("col.establishment"), t("col.severity"), t("col.last_seen")],
      data.machines.map((m) => [link("#/machine/" + m.id, m.hostname), link("#/establishment/" + m.finess, m.establishment), severityBadge(m.severity), when(m.last_seen)])),
    pager(data, params, "#/checks"));
}

// The funders' ranking: by region and département, with its total, the
// need explained, and an export French spreadsheets open as they are.
async function equipmentPage(params) {
  const q = new URLSearchParams();
  for (const k of ["region", "department"]) if (params.get(k)) q.set(k, params.get(k));
  let data;
  const form = (regions) => filterForm("#/equipment",
  field("f-region", t("col.region"), h("select", { id: "f-region", name: "region" },
    [["", t("filter.all")], ...regions.map((r) => [r, r])].map(([v, text]) => h("option", { value: v, selected: (params.get("region") || "") === v }, text)))),
  field("f-department", t("filter.department"), h("input", { id: "f-department", name: "department", value: params.get("department") || "", maxlength: "3", size: "3" })),
  h("button", { type: "submit" }, t("filter.apply")));
  if (!state.regions) {
    const all = await api("GET", "/api/v1/equipment");
    state.regions = [...new Set(all.establishments.map((e) => e.region))].sort((a, b) => a.localeCompare(b, state.lang));
  }
  try {
    data = await api("GET", "/api/v1/equipment?" + q);
  } catch (e) {
    if (e.status === 401 || e instanceof Stale) throw e;
    show(t("equip.title"), form(state.regions), notice(t("error.generic", { m: e.message }), "error"));
    return;
  }
  const list = data.establishments;
  const top = list.slice(0, 10).filter((e) => e.estimated_cost_eur > 0);
  const max = Math.max(1, ...top.map((e) => e.estimated_cost_eur));
  const csv = new URLSearchParams(q);
  csv.set("format", "csv");
  csv.set("lang", state.lang);
  const tot = data.total;
  const rows = list.map((e) => [e.need_rank === null ? "—" : String(e.need_rank), e.name, e.finess, e.department, num(e.machines), num(e.to_replace), num(e.to_upgrade), num(e.estimated_cost_eur), scoreBadge(e.hygiene_score),
    e.need === null ? h("span.label", {}, t("equip.no_data")) : num(e.need)]);
  rows.push([h("strong", {}, t("equip.total")), t("equip.total_of", { n: num(tot.establishments) }), "", "", num(tot.machines), num(tot.to_replace), num(tot.to_upgrade), h("strong", {}, num(tot.estimated_cost_eur)), "", ""]);
  show(t("equip.title"),
    h("p", {}, t("equip.intro", data.costs_eur)),
    h("p", {}, t("equip.need")),
    form(state.regions),
    h("p", {}, h("a.button", { href: "/api/v1/equipment?" + csv, download: "hygie-equipement.csv" }, t("equip.csv"))),
    tot.without_data ? notice(t("equip.without_data", { n: tot.without_data })) : "",
    top.length ? barChart(t("equip.chart"), top.map((e) => ({ label: e.name, value: e.estimated_cost_eur, text: num(e.estimated_cost_eur) + " €" })), max) : "",
    table(t("equip.title"), [t("col.rank"), t("col.establishment"), "FINESS", t("col.department"), t("col.machines"), t("col.to_replace"), t("col.to_upgrade"), t("col.cost"), t("col.score"), t("col.need")], rows));
}

async function progressPage() {
  const p = await api("GET", "/api/v1/progress");
  const rows = [...p.regions.map((r) => [r.region, r]), [t("progress.national"), p.national]];
  show(t("progress.title"),
    h("p", {}, t("progress.intro", { e: p.exercise_months, a: p.awareness_months, t: Math.round(p.target * 100) })),
    barChart(t("progress.chart"), rows.map(([name, r]) => ({ label: name, value: r.exercise_share || 0, text: pct(r.exercise_share) })), 1, p.target),
    table(t("progress.title"), [t("col.region"), t("col.establishments"), t("col.exercise_share"), t("col.awareness_share")],
      rows.map(([name, r]) => [name, num(r.establishments), pct(r.exercise_share), pct(r.awareness_share)])));
}

async function opendataPage() {
  const d = await api("GET", "/api/v1/opendata/departments.json");
  show(t("opendata.title"),
    h("p", {}, t("opendata.intro", { n: d.minimum_establishments })),
    h("p", {}, h("a.button", { href: "/api/v1/opendata/departments.csv?lang=" + state.lang, download: "hygie-departements.csv" }, t("opendata.csv")), " ",
      h("a.button", { href: "/api/v1/opendata/departments.json", download: "hygie-departements.json" }, t("opendata.json"))),
    table(t("opendata.title"), [t("col.department"), t("col.establishments"), t("col.machines"), t("col.median_score"), t("col.supported_os"), t("col.flagged"), t("col.exercise_share")],
      d.departments.map((r) => [r.department, num(r.establishments), num(r.machines), num(r.median_score), pct(r.supported_os_share), pct(r.equipment_flagged_share), pct(r.exercise_share)])));
}

// Routing: #/page/arg?query

async function route() {
  generation++;
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean);
  if (!state.session && parts[0] !== "login") {
    try {
      state.session = await api("GET", "/api/v1/session");
    } catch (e) {
      if (e instanceof Stale) return;
      renderChrome();
      loginPage();
      return;
    }
  }
  renderChrome();
  if (parts[0] === "login") return loginPage();
  if (!parts.length) {
    location.hash = homeOf(state.session);
    return;
  }
  main().replaceChildren(notice(t("loading")));
  try {
    switch (parts[0]) {
      case "alerts": return await alertsPage(params);
      case "establishments": return await establishmentsPage();
      case "establishment": return await establishmentPage(parts[1] || "");
      case "machine": return await machinePage(parts[1] || "");
      case "machines": return await machinesPage(params);
      case "checks": return await checksPage(params);
      case "equipment": return await equipmentPage(params);
      case "progress": return await progressPage();
      case "opendata": return await opendataPage();
      default: location.hash = homeOf(state.session);
    }
  } catch (e) {
    if (e instanceof Stale) return;
    if (e.status === 401) {
      state.session = null;
      renderChrome();
      return loginPage(t("error.expired"));
    }
    show(t("app.title"), notice(t("error.generic", { m: e.message }), "error"));
  }
}

state.lang = pickLang();
window.addEventListener("hashchange", route);
route();
