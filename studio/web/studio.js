// miaopi studio: the page. Plain JavaScript over the studio's JSON API
// (/studio/api/…, docs/studio.md); every request carries X-Miaopi-Studio: 1,
// which the server requires so that no other page can call it. Nothing is
// fetched from anywhere but this server.
"use strict";

const $ = (id) => document.getElementById(id);

const studio = {
  state: null,       // GET state: service pack, scratch folder, files, check
  check: null,       // the last check of the scratch pack
  file: null,        // the file in the editor
  clean: 0,          // the editor's change generation when its text was last saved or loaded
  suspended: false,  // no saves while a reset or a delete is under way
  retry: null,       // the one timer that tries a failed save again
  decided: 0,        // the number of the latest decide asked: older answers are dropped
  editor: null,
  cases: [],
  items: [],         // item versions of the last check without errors
  app: {},           // the application in the try panel
  graphScale: 1, graphX: 0, graphY: 0,
};

// ---------------------------------------------------------------- helpers

async function api(method, path, body, asText) {
  const init = {method, headers: {"X-Miaopi-Studio": "1"}, credentials: "same-origin"};
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers["Content-Type"] = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json";
  }
  const res = await fetch("/studio/api/" + path, init);
  const text = await res.text();
  if (res.ok && asText) return text;
  let json = null;
  try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    if (res.status === 401) location.href = "/studio/login";
    const error = new Error(json && json.message ? json.message : res.status + " " + text.slice(0, 200));
    error.status = res.status;
    error.body = json;
    throw error;
  }
  return json;
}

// An element with attributes and children (strings become text, never HTML).
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function clear(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
}

function showMessage(text, bad) {
  const m = $("message");
  m.hidden = !text;
  m.textContent = text || "";
  m.className = "message" + (bad ? " bad" : "");
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------- check

function itemCodes() {
  const codes = [];
  for (const v of studio.items) {
    if (!codes.some((c) => c.item === v.item)) codes.push({item: v.item, title: v.title});
  }
  return codes;
}

// The version of `code` in force on `date`, else its latest.
function itemVersion(code, date) {
  const versions = studio.items.filter((v) => v.item === code);
  return versions.find((v) => v.effective <= date && (!v.until || date <= v.until)) || versions[versions.length - 1];
}

function fillSelect(select, options, keepFirst) {
  const old = select.value;
  const first = keepFirst ? [...select.options].slice(0, 1) : [];
  clear(select, first, options.map(([value, label]) => el("option", {value}, label)));
  if ([...select.options].some((o) => o.value === old)) select.value = old;
}

function applyCheck(check) {
  studio.check = check;
  if (check.ok) studio.items = check.items;  // while there are errors, the last good ones
  const status = $("check-status");
  const errors = check.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = check.diagnostics.length - errors;
  status.className = "status" + (check.ok ? "" : " bad");
  status.textContent = check.ok
    ? "compiles 编译通过 · " + check.pack.hash.slice(7, 19) + (warnings ? " · " + warnings + " warnings" : "")
    : errors + " errors 错误";
  status.dataset.ok = check.ok ? "true" : "false";
  renderDiagnostics();
  const items = itemCodes().map((c) => [c.item, c.item + " " + c.title]);
  fillSelect($("try-item"), items);
  fillSelect($("graph-item"), items);
  fillSelect($("prove-item"), items, true);
  fillGraphRules();
  if (check.ok && studio.state) buildForm();  // a field added to the input shows at once
  if (studio.editor) studio.editor.performLint();
}

function diagnosticFile(d) {
  const dir = studio.state && studio.state.scratch;
  return dir && d.file.startsWith(dir + "/") ? d.file.slice(dir.length + 1) : d.file;
}

function renderDiagnostics() {
  const list = (studio.check && studio.check.diagnostics) || [];
  clear($("diagnostics"), list.map((d) => el("div", {
    class: "diag " + d.severity,
    title: "open " + diagnosticFile(d),
    onclick: () => openFile(diagnosticFile(d), d.line, d.column),
  }, el("code", {}, diagnosticFile(d) + ":" + d.line + ":" + d.column + " " + d.code + " "), d.message)));
}

// Whether the editor holds changes not saved yet. Only the author's edits
// count: opening a file never writes it back (CodeMirror would, say, turn
// CRLF into LF).
function dirty() {
  return !studio.suspended && studio.file && studio.editor && !studio.editor.getOption("readOnly") &&
      !studio.editor.isClean(studio.clean);
}

// Saves the editor's text: the pack is checked on the server with it. The
// file must still be there (replace=true): a save never brings back a file
// deleted or reset meanwhile.
async function save() {
  const path = studio.file;
  const generation = studio.editor.changeGeneration();
  const r = await api("POST", "file?replace=true&path=" + enc(path), studio.editor.getValue());
  if (path === studio.file) studio.clean = generation;
  $("save-status").textContent = "saved 已保存 " + new Date().toLocaleTimeString();
  applyCheck(r.check);
}

// CodeMirror's lint addon asks for the current file's annotations after each
// change (debounced); the text is saved and the pack checked on the server.
// A save that fails (the studio busy, the server gone) is tried again.
async function lintFile(text, update) {
  const path = studio.file;
  if (dirty()) {
    $("save-status").textContent = "saving…";
    try {
      await save();
      return;  // applyCheck lints again with the new diagnostics
    } catch (e) {
      // Only a busy studio or a server out of reach is tried again, by one timer.
      const again = e.status === undefined || e.status === 503;
      $("save-status").textContent = "not saved 未保存: " + e.message + (again ? " — trying again" : "");
      if (again && !studio.retry) {
        studio.retry = setTimeout(() => { studio.retry = null; studio.editor.performLint(); }, 3000);
      }
    }
  }
  update(annotations(path));
}

function annotations(path) {
  const cm = studio.editor;
  return ((studio.check && studio.check.diagnostics) || []).filter((d) => diagnosticFile(d) === path).map((d) => {
    const line = Math.max(0, d.line - 1), ch = Math.max(0, d.column - 1);
    const text = cm.getLine(line) || "";
    let end = ch;
    while (end < text.length && /[^\s(),:{}\[\]]/.test(text[end])) end++;
    if (end === ch) end = Math.min(text.length, ch + 1);
    return {
      from: CodeMirror.Pos(line, ch), to: CodeMirror.Pos(line, end),
      message: d.code + " " + d.message, severity: d.severity === "error" ? "error" : "warning",
    };
  });
}

function modeFor(path) {
  if (path.endsWith(".rules")) return "miaopi-rules";
  if (path.endsWith(".json") || path.endsWith(".jsonl")) return {name: "javascript", json: true};
  return null;
}

async function saveNow() {
  if (dirty()) await save();
}

async function openFile(path, line, column) {
  try {
    await showFile(path, line, column);
  } catch (e) {
    showMessage("Cannot open " + path + ": " + e.message, true);
    if (studio.file) $("file-list").value = studio.file;  // the list shows what the editor holds
  }
}

async function showFile(path, line, column) {
  if (path !== studio.file) {
    await saveNow();
    const r = await api("GET", "file?path=" + enc(path));
    studio.file = path;
    const cm = studio.editor;
    cm.setOption("mode", modeFor(path));
    // Lines end as the file has them (a table exported on Windows keeps CRLF).
    cm.setOption("lineSeparator", r.text.includes("\r\n") && !/(^|[^\r])\n/.test(r.text) ? "\r\n" : null);
    cm.setOption("readOnly", !r.editable);
    cm.setValue(r.editable ? r.text : "");
    cm.clearHistory();
    studio.clean = cm.changeGeneration();
    $("file-list").value = path;
    $("save-status").textContent = r.editable ? "" : "not UTF-8: shown read-only (save it as UTF-8 to edit it here) 非UTF-8编码，只读";
  }
  if (line) {
    studio.editor.setCursor(CodeMirror.Pos(line - 1, Math.max(0, (column || 1) - 1)));
    studio.editor.scrollIntoView(null, 100);
    studio.editor.focus();
  }
}

function renderFiles() {
  fillSelect($("file-list"), studio.state.files.map((f) => [f.path, f.path]));
  if (studio.file) $("file-list").value = studio.file;
}

async function loadState() {
  studio.state = await api("GET", "state");
  $("service-pack").textContent = "in service 服务中: " + studio.state.service.name + " " +
      studio.state.service.version + " · " + studio.state.service.hash.slice(7, 19);
  renderFiles();
  applyCheck(studio.state.check);
  fillSelect($("impact-input"), studio.state.impact_inputs.map((i) => [i, {
    cases: "the pack's test cases 用例", samples: "sample applications 样本", journal: "the journal 决策日志"}[i]]));
  for (const id of ["try-date", "impact-date"]) if (!$(id).value) $(id).value = studio.state.today;
}

// ---------------------------------------------------------------- try

function setPath(obj, path, value) {
  const chain = [obj];
  let at = obj;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof at[path[i]] !== "object" || at[path[i]] === null) at[path[i]] = {};
    at = at[path[i]];
    chain.push(at);
  }
  if (value !== undefined) {
    at[path[path.length - 1]] = value;
    return;
  }
  delete at[path[path.length - 1]];
  // A record left empty is absent, as the applicant would leave it.
  for (let i = path.length - 2; i >= 0 && Object.keys(chain[i + 1]).length === 0; i--) delete chain[i][path[i]];
}

function getPath(obj, path) {
  let at = obj;
  for (const p of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = at[p];
  }
  return at;
}

// A form field for each input field of the item: change one and the
// application changes, and is decided again.
function buildForm() {
  const code = $("try-item").value;
  const version = itemVersion(code, $("try-date").value || studio.state.today);
  const form = $("try-form");
  if (!version) return clear(form, el("p", {class: "muted"}, "no item"));
  const changed = debounce(() => { writeApplication(); decide(); }, 300);
  const fields = (type, path) => (type.fields || []).map((f) => {
    const p = path.concat(f.name);
    const name = p.join(".") + (f.optional ? "?" : "");
    if (f.type.kind === "record") return el("fieldset", {}, el("legend", {}, name), fields(f.type, p));
    const value = getPath(studio.app, p);
    let input;
    const kind = f.type.kind;
    if (kind === "bool") {
      input = el("select", {}, el("option", {value: ""}, "(absent)"), el("option", {value: "true"}, "true"),
                 el("option", {value: "false"}, "false"));
      input.value = value === true ? "true" : value === false ? "false" : "";
    } else if (kind === "list") {
      input = el("textarea", {rows: 2, spellcheck: "false"});
      input.value = value === undefined ? "" : JSON.stringify(value);
    } else {
      input = el("input", {type: kind === "date" ? "date" : kind === "number" || kind === "int" ? "number" : "text",
                           step: kind === "number" ? "any" : undefined});
      input.value = value === undefined || value === null ? "" : String(value);
    }
    input.dataset.path = p.join(".");
    input.addEventListener("input", () => {
      let v;
      if (input.value === "") v = undefined;
      else if (kind === "bool") v = input.value === "true";
      else if (kind === "number" || kind === "int") v = Number(input.value);
      else if (kind === "list") { try { v = JSON.parse(input.value); } catch (e) { return; } }
      else v = input.value;
      setPath(studio.app, p, v);
      changed();
    });
    return el("div", {class: "field"}, el("label", {}, name + " : " + kind), input);
  });
  clear(form, fields(version.input, []));
}

function writeApplication() {
  $("try-application").value = JSON.stringify(studio.app, null, 1);
}

// The application typed in the JSON box; false (and a message) when it is
// not a JSON object, keeping the text as typed.
function readApplication() {
  try {
    const app = JSON.parse($("try-application").value || "{}");
    if (app && typeof app === "object" && !Array.isArray(app)) {
      studio.app = app;
      return true;
    }
  } catch (e) { /* below */ }
  showMessage("The application is not a JSON object: fix it in the JSON box 申请不是JSON对象", true);
  return false;
}

function requestBody() {
  const context = $("try-context").value.trim();
  const app = $("try-application").value.trim() || "{}";
  return context ? '{"application":' + app + ',"context":' + context + "}" : app;
}

async function decide() {
  const date = $("try-date").value || studio.state.today;
  const asked = ++studio.decided;
  try {
    const record = await api("POST", "decide?date=" + enc(date) + "&item=" + enc($("try-item").value), requestBody());
    if (asked === studio.decided) renderRecord(record);  // an older answer arriving late is dropped
  } catch (e) {
    if (asked === studio.decided) clear($("try-result"), el("p", {class: "message bad"}, e.message));
  }
}

function renderRecord(r) {
  const out = [];
  if (studio.check && !studio.check.ok) {
    out.push(el("p", {class: "muted"}, "The pack has errors: decided with its last version that compiled. " +
                                       "规则包有错误，以上次编译通过的版本判定。"));
  }
  if (r.error) {
    out.push(el("p", {}, el("span", {class: "decision error", id: "decision"}, "error"), " ",
                el("code", {}, r.error.code), " ", r.error.message));
    return clear($("try-result"), out);
  }
  out.push(el("p", {}, el("span", {class: "decision " + r.decision, id: "decision"}, r.decision), " ",
              r.item + " " + ((r.item_version && r.item_version.title) || "") + " · " + r.date));
  if (r.obligation) out.push(el("p", {class: "message", id: "obligation"}, r.obligation.message));
  if ((r.reasons || []).length) {
    out.push(el("h4", {}, "Reasons 理由"), el("table", {id: "reasons"},
      el("tr", {}, ["rule", "outcome", "status", "message 说明", "basis 依据", "missing 缺失"].map((h) => el("th", {}, h))),
      r.reasons.map((x) => el("tr", {class: x.status}, el("td", {}, x.rule), el("td", {}, x.outcome),
                              el("td", {}, x.status), el("td", {}, x.message), el("td", {}, x.basis || ""),
                              el("td", {}, (x.missing || []).concat(x.notes || []).join("; "))))));
  }
  if (r.outputs && Object.keys(r.outputs).length) {
    out.push(el("h4", {}, "Outputs 输出"), el("pre", {}, JSON.stringify(r.outputs, null, 1)));
  }
  if ((r.remedies || []).length) {
    out.push(el("h4", {}, "Remedies 补正"), el("ul", {}, r.remedies.map((m) => el("li", {},
      el("b", {}, m.rule), m.fixable ? " " : " (cannot be fixed by the applicant) ", m.why || "",
      el("ul", {}, (m.changes || []).map((c) => el("li", {},
        c.path ? el("code", {}, c.path) : (c.title || c.licence || ""), " ",
        c.problem ? "(" + c.problem + ") " : "",
        c.have !== undefined ? "have " + JSON.stringify(c.have) + ", " : "", "need " + (c.need || ""),
        c.type ? " a " + c.type : "", c.condition ? " " + c.condition : "",
        c.example !== undefined ? ", e.g. " + JSON.stringify(c.example) : "",
        (c.ways || []).length ? " — " + c.ways.join("; ") : "")))))));
  }
  if (r.notice) out.push(el("h4", {}, "Notice 一次性告知"), el("pre", {}, r.notice));
  if ((r.trace || []).length) {
    // The trace stays folded: it is long, and the reasons say what matters.
    out.push(el("details", {}, el("summary", {}, "Explain trace 判定过程"), el("table", {id: "trace"},
      r.trace.map((t) => el("tr", {class: t.status}, el("td", {}, t.rule), el("td", {}, t.status),
                            el("td", {}, (t.facts || []).join("\n")))))));
  }
  clear($("try-result"), out);
}

async function loadCases() {
  studio.cases = await api("GET", "cases");
  const item = (c) => c.item || (c.application && c.application.item) || "?";
  fillSelect($("try-sample"), studio.cases.map((c, i) => [String(i), item(c) + " · " + (c.name || c.file)]), true);
}

function loadSample(sample) {
  studio.app = structuredClone(sample.application || {});  // edits never change the sample
  if (sample.item || studio.app.item) $("try-item").value = sample.item || studio.app.item;
  if (sample.date) $("try-date").value = sample.date;
  $("try-context").value = sample.context ? JSON.stringify(sample.context) : "";
  writeApplication();
  buildForm();
  decide();
}

async function addCase() {
  if (!readApplication()) return;
  const shown = $("decision") ? $("decision").textContent : "";
  // Named from what is on screen unless the author names it.
  const name = $("case-name").value.trim() ||
      [$("try-item").value, shown, studio.app.id || "", new Date().toISOString().slice(0, 19)].join(" ");
  const context = $("try-context").value.trim();
  try {
    const body = {name, application: studio.app, date: $("try-date").value, item: $("try-item").value};
    if (context) body.context = JSON.parse(context);
    const r = await api("POST", "cases", body);
    showMessage("Added to " + r.file + ": " + name + " → " + (r.case.expect.decision || r.case.expect.error));
    if (studio.file === r.file) {
      // The editor shows the cases file: show it with the new case, unless it
      // holds edits of its own (saving them would drop the case).
      if (dirty()) {
        showMessage("Added to " + r.file + ", which you are editing: reopen it before saving, or your save drops the case", true);
      } else {
        studio.file = null;
        await openFile(r.file);
      }
    }
    await loadCases();
    await loadState();
  } catch (e) {
    showMessage("Not added: " + e.message, true);
  }
}

// ---------------------------------------------------------------- tests

async function runTests() {
  const out = $("tests-result");
  clear(out, el("p", {class: "muted"}, "running…"));
  try {
    const r = await api("POST", "tests");
    const parts = [el("p", {id: "tests-summary"}, el("b", {}, r.passed + " passed 通过, " + r.failed + " failed 失败"),
                      " · rules covered both ways " + r.covered + " / " + r.rules)];
    for (const p of r.problems) parts.push(el("p", {class: "message bad"}, p));
    if (r.failures.length) {
      parts.push(el("h4", {}, "Failures 失败"));
      for (const f of r.failures) {
        parts.push(el("div", {class: "diag"}, el("b", {}, f.file + ": " + f.name), el("pre", {}, f.lines.join("\n"))));
      }
    }
    parts.push(el("h4", {}, "Rule coverage 规则覆盖"), el("table", {id: "coverage"},
      el("tr", {}, ["item", "rule", "seen passing", "seen not passing"].map((h) => el("th", {}, h))),
      r.coverage.map((c) => el("tr", {class: c.passed && c.not_passed ? "" : "uncovered"},
        el("td", {}, c.item + " @" + c.effective), el("td", {}, c.rule),
        el("td", {}, c.passed ? "✓" : "—"), el("td", {}, c.not_passed ? "✓" : "—")))));
    clear(out, parts);
  } catch (e) {
    clear(out, el("p", {class: "message bad"}, e.message));
  }
}

// ---------------------------------------------------------------- graph

function fillGraphRules() {
  const version = itemVersion($("graph-item").value, $("try-date").value || (studio.state && studio.state.today) || "");
  fillSelect($("graph-rule"), ((version && version.rules) || []).map((r) => [r.code, r.code + " " + r.message]), true);
}

function placeGraph() {
  const svg = $("graph-view").querySelector("svg");
  if (svg) svg.style.transform = `translate(${studio.graphX}px, ${studio.graphY}px) scale(${studio.graphScale})`;
}

// Zooms to the highlighted rule's nodes, when a rule is highlighted.
function focusHighlight() {
  const view = $("graph-view");
  const lit = [...view.querySelectorAll('svg [fill="#ffd966"]')];
  if (!lit.length) return;
  const v = view.getBoundingClientRect();
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const node of lit) {
    const r = node.getBoundingClientRect();
    left = Math.min(left, r.left); top = Math.min(top, r.top);
    right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
  }
  const s = studio.graphScale;
  // The box in the drawing's own coordinates, then scaled to fill the view.
  const x0 = (left - v.left - studio.graphX) / s, y0 = (top - v.top - studio.graphY) / s;
  const w = (right - left) / s, h = (bottom - top) / s;
  studio.graphScale = Math.min(v.width / (w + 80), v.height / (h + 80), 1.5);
  studio.graphX = v.width / 2 - (x0 + w / 2) * studio.graphScale;
  studio.graphY = v.height / 2 - (y0 + h / 2) * studio.graphScale;
  placeGraph();
}

function fitGraph() {
  const svg = $("graph-view").querySelector("svg");
  if (!svg) return;
  const view = $("graph-view").getBoundingClientRect();
  // The drawing's size on screen at scale 1 (its width and height are in pt).
  svg.style.transform = "none";
  const box = svg.getBoundingClientRect();
  studio.graphScale = Math.min(view.width / box.width, view.height / box.height, 1);
  studio.graphX = 0;
  studio.graphY = 0;
  placeGraph();
}

async function drawGraph() {
  const view = $("graph-view");
  clear(view, el("p", {class: "muted"}, "drawing…"));
  const date = $("try-date").value || studio.state.today;
  try {
    const text = await api("GET", "graph?item=" + enc($("graph-item").value) + "&date=" + enc(date) + "&rule=" +
                               enc($("graph-rule").value) + "&only=" + $("graph-only").checked, undefined, true);
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = document.importNode(doc.documentElement, true);
    svg.querySelectorAll("script").forEach((s) => s.remove());
    clear(view, svg);
    fitGraph();
    if (!$("graph-only").checked) focusHighlight();
  } catch (e) {
    clear(view, el("p", {class: "message bad"}, e.message));
  }
}

function wireGraphZoom() {
  const view = $("graph-view");
  view.addEventListener("wheel", (e) => {
    e.preventDefault();
    const factor = e.deltaY < 0 ? 1.15 : 1 / 1.15;
    const rect = view.getBoundingClientRect();
    const x = e.clientX - rect.left, y = e.clientY - rect.top;
    studio.graphX = x - (x - studio.graphX) * factor;
    studio.graphY = y - (y - studio.graphY) * factor;
    studio.graphScale *= factor;
    placeGraph();
  }, {passive: false});
  let drag = null;
  view.addEventListener("mousedown", (e) => { drag = {x: e.clientX - studio.graphX, y: e.clientY - studio.graphY}; });
  window.addEventListener("mouseup", () => { drag = null; });
  window.addEventListener("mousemove", (e) => {
    if (!drag) return;
    studio.graphX = e.clientX - drag.x;
    studio.graphY = e.clientY - drag.y;
    placeGraph();
  });
  $("zoom-in").addEventListener("click", () => { studio.graphScale *= 1.25; placeGraph(); });
  $("zoom-out").addEventListener("click", () => { studio.graphScale /= 1.25; placeGraph(); });
  $("zoom-fit").addEventListener("click", fitGraph);
}

// ---------------------------------------------------------------- prove

async function runVerify() {
  const out = $("prove-result");
  clear(out, el("p", {class: "muted"}, "proving… (each question may take up to ten seconds)"));
  try {
    const results = await api("POST", "verify?item=" + enc($("prove-item").value));
    if (!results.length) return clear(out, el("p", {}, "No properties for this item. Write one: property CODE \"…\" for \"ITEM\": …"));
    clear(out, el("table", {id: "properties"},
      el("tr", {}, ["item", "property", "verdict", "why", ""].map((h) => el("th", {}, h))),
      results.map((r) => el("tr", {},
        el("td", {}, r.item + " @" + r.version), el("td", {}, r.property + " " + r.description),
        el("td", {class: "verdict " + r.result}, r.result), el("td", {}, r.why || ""),
        el("td", {}, r.counterexample ? el("button", {class: "load-counterexample", onclick: () => {
          const c = r.counterexample;
          loadSample({application: c.application, context: c.context, date: c.date, item: r.item});
          selectTab("try");
          const library = (c.licences || []).length || (c.library_fails_for || []).length;
          showMessage("Counterexample to " + r.property + " loaded into Try 反例已载入" + (library
              ? ". It also needs the licence library to answer as the solver chose (" +
                JSON.stringify({licences: c.licences, library_fails_for: c.library_fails_for}) +
                "); Try asks this studio's library, which may answer otherwise."
              : ""));
        }}, "Load into Try 载入试算") : "")))));
  } catch (e) {
    clear(out, el("p", {class: "message bad"}, e.message));
  }
}

// ---------------------------------------------------------------- impact

async function runImpact() {
  const summary = $("impact-summary");
  clear(summary, el("p", {class: "muted"}, "deciding with both packs…"));
  try {
    const r = await api("POST", "impact?input=" + enc($("impact-input").value) + "&date=" + enc($("impact-date").value));
    const changed = r.report.changed !== undefined ? r.report.changed : "";
    clear(summary, el("p", {id: "impact-count"}, r.report.applications + " applications compared 已对比" +
                                                  (changed !== "" ? ", " + changed + " changed" : "")));
    const frame = $("impact-report");
    frame.srcdoc = r.html;
    frame.hidden = false;
  } catch (e) {
    clear(summary, el("p", {class: "message bad"}, e.message));
  }
}

// ---------------------------------------------------------------- publish

async function publish(force) {
  try {
    await saveNow();
    const r = await api("POST", "publish" + (force === true ? "?force=true" : ""));
    showMessage("Published 已发布: " + r.name + " " + r.version + " " + r.hash);
    await loadState();
  } catch (e) {
    if (e.body && e.body.check) applyCheck(e.body.check);
    if (e.status === 409 && e.body && e.body.error === "pack_changed" && force !== true &&
        confirm(e.message + "\n\nPublish anyway? 仍要发布？")) {
      return publish(true);
    }
    showMessage("Not published 未发布: " + e.message, true);
  }
}

// Stops saves while `work` runs (a save queued behind a reset or a delete
// must not bring back what they threw away); the editor shows nothing meanwhile.
async function withoutSaves(work) {
  studio.suspended = true;
  const file = studio.file;
  studio.file = null;
  studio.editor.setOption("readOnly", true);
  try {
    return await work(file);
  } finally {
    studio.suspended = false;
  }
}

async function reset() {
  if (!confirm("Throw away every edit and start again from the pack in service? 放弃所有修改？")) return;
  try {
    await withoutSaves(async (file) => {
      const r = await api("POST", "reset");
      await loadState();
      applyCheck(r.check);
      const next = studio.state.files.some((f) => f.path === file) ? file : (studio.state.files[0] || {}).path;
      if (next) await openFile(next);
    });
    showMessage("The scratch folder is a fresh copy of the pack in service 已重置");
  } catch (e) {
    showMessage("Not reset 未重置: " + e.message, true);
  }
}

async function deleteFile() {
  const path = studio.file;
  if (!path || !confirm("Delete " + path + " from the edited pack? 删除该文件？")) return;
  try {
    await withoutSaves(async () => {
      const r = await api("POST", "delete?path=" + enc(path));
      studio.editor.setValue("");
      studio.clean = studio.editor.changeGeneration();
      await loadState();
      applyCheck(r.check);
      const next = studio.state.files.find((f) => f.path.endsWith(".rules")) || studio.state.files[0];
      if (next) await openFile(next.path);
    });
    showMessage("Deleted 已删除: " + path + " (publish to remove it from the pack in service)");
  } catch (e) {
    showMessage("Not deleted: " + e.message, true);
    if (!studio.file) await openFile(path);
  }
}

function selectTab(name) {
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const t of document.querySelectorAll(".tab")) t.hidden = t.id !== "tab-" + name;
}

// ---------------------------------------------------------------- start

async function start() {
  studio.editor = CodeMirror.fromTextArea($("editor"), {
    lineNumbers: true, gutters: ["CodeMirror-lint-markers"], indentUnit: 2,
    lint: {getAnnotations: lintFile, async: true, delay: 500},
  });
  await loadState();
  const first = studio.state.files.find((f) => f.path.endsWith(".rules")) || studio.state.files[0];
  if (first) await openFile(first.path);
  await loadCases();

  $("file-list").addEventListener("change", (e) => openFile(e.target.value));
  $("add-file").addEventListener("click", async () => {
    const path = $("new-file").value.trim();
    if (!path) return;
    try {
      await saveNow();
      const r = await api("POST", "file?path=" + enc(path) + "&create=true", "");
      applyCheck(r.check);
      await loadState();
      await openFile(path);
      $("new-file").value = "";
    } catch (e) { showMessage(e.message, true); }
  });
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => selectTab(b.dataset.tab));
  $("try-item").addEventListener("change", () => {
    studio.app.item = $("try-item").value;
    writeApplication();
    buildForm();
    decide();
  });
  $("try-date").addEventListener("change", () => { buildForm(); fillGraphRules(); decide(); });
  $("try-sample").addEventListener("change", (e) => { if (e.target.value !== "") loadSample(studio.cases[Number(e.target.value)]); });
  $("try-application").addEventListener("change", () => { if (readApplication()) buildForm(); });
  $("try-decide").addEventListener("click", () => { if (readApplication()) decide(); });
  $("add-case").addEventListener("click", addCase);
  $("delete-file").addEventListener("click", deleteFile);
  $("run-tests").addEventListener("click", runTests);
  $("graph-item").addEventListener("change", fillGraphRules);
  $("draw-graph").addEventListener("click", drawGraph);
  $("run-verify").addEventListener("click", runVerify);
  $("run-impact").addEventListener("click", runImpact);
  $("publish").addEventListener("click", publish);
  $("reset").addEventListener("click", reset);
  wireGraphZoom();
  window.addEventListener("beforeunload", (e) => {
    if (dirty()) e.preventDefault();
  });
  if (studio.cases.length) loadSample(studio.cases[0]); else buildForm();
  document.body.dataset.ready = "true";
}

start().catch((e) => showMessage("The studio could not start: " + e.message, true));
