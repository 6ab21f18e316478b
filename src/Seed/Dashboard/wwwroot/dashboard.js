// The dashboard page: follows /api/events (Server-Sent Events, one "run" event per change) and renders the run.
// No framework and no build step; the charts are the server's SVG (the report's own renderers).
"use strict";

const token = new URLSearchParams(window.location.search).get("token");
const withToken = (path) => token ? `${path}?token=${encodeURIComponent(token)}` : path;

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function num(x, digits) {
  return x === null || x === undefined ? "–" : Number(x).toFixed(digits);
}

function duration(sec) {
  if (sec === null || sec === undefined) return "–";
  const s = Math.round(sec);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}m`
    : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

function fill(tableId, rows) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren(...rows);
}

function render(run) {
  document.title = `AlgoPerf: ${run.name} (${run.state})`;
  document.getElementById("title").textContent = `AlgoPerf run: ${run.name}`;
  const t = run.trials;
  const ended = (t.finished || 0) + (t.failed || 0);
  const summary = document.getElementById("summary");
  summary.replaceChildren();
  const state = document.createElement("strong");
  state.className = `state-${run.state}`;
  state.textContent = run.state;
  summary.append(state,
    ` · ${ended}/${run.total_trials} trials ended · ${t.running || 0} running · ${t.pending || 0} pending` +
    (t.failed ? ` · ${t.failed} failed` : "") +
    (run.device_busy_fraction !== null ? ` · device time inside trials ${(100 * run.device_busy_fraction).toFixed(1)}%` : "") +
    (run.eta_sec !== null && run.state === "running" ? ` · about ${duration(run.eta_sec)} left` : ""));

  const ruleset = Object.keys(run.score_bounds)[0];
  const bounds = run.score_bounds[ruleset];
  fill("scores", Object.entries(bounds).sort((a, b) => (b[1].score ?? 0) - (a[1].score ?? 0)).map(([name, b]) => {
    const tr = document.createElement("tr");
    tr.append(cell(name), cell(num(b.score, 4), "n"), cell(num(b.worst, 4), "n"), cell(num(b.best, 4), "n"));
    return tr;
  }));
  document.getElementById("profile").innerHTML = run.svg.profile;

  const curves = document.getElementById("curves");
  curves.replaceChildren(...Object.entries(run.svg.curves).map(([workload, svg]) => {
    const div = document.createElement("div");
    div.className = "chart";
    div.dataset.workload = workload;
    div.innerHTML = svg;
    return div;
  }));

  fill("studies", run.studies.map((s) => {
    const tr = document.createElement("tr");
    const decision = !s.decided ? "open" : s.chosen_trial !== null ? `trial ${s.chosen_trial}, target at ${num(s.time_to_target_sec, 1)} s` : "no trial reached the target";
    tr.append(cell(s.submission), cell(s.workload), cell(String(s.study), "n"), cell(`${s.ended}/${s.trials}`, "n"), cell(decision));
    return tr;
  }));

  fill("trials", run.trial_rows.map((r) => {
    const tr = document.createElement("tr");
    tr.className = `${r.state}${r.chosen ? " chosen" : ""}`;
    tr.dataset.trial = r.id;
    const time = document.createElement("td");
    const bar = document.createElement("span");
    bar.className = "bar";
    const inner = document.createElement("span");
    inner.style.width = `${Math.min(100, 100 * r.submission_time_sec / Math.max(r.budget_sec, 1e-9))}%`;
    bar.append(inner);
    time.append(bar, `${num(r.submission_time_sec, 1)} / ${num(r.budget_sec, 0)} s`);
    tr.append(cell(r.id + (r.chosen ? " (chosen)" : "")), cell(r.state), cell(String(r.step), "n"), time,
      cell(r.latest === null ? "–" : `${r.metric} ${Number(r.latest).toPrecision(4)}`), cell(r.target === null ? "–" : Number(r.target).toPrecision(4), "n"),
      cell(r.end ?? ""));
    return tr;
  }));
}

function connect() {
  const events = new EventSource(withToken("api/events"));
  events.addEventListener("run", (e) => render(JSON.parse(e.data)));
  events.onerror = () => { document.getElementById("summary").textContent = "reconnecting…"; };
}

document.getElementById("report").href = withToken("report/report.html");
connect();
