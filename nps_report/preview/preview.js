// The live preview: the manuscript is swapped in place when the server says it changed
// (server-sent events, no polling); a number's origin is fetched from /provenance.
"use strict";
(function () {
  const main = document.getElementById("manuscript");
  const error = document.getElementById("error");
  const status = document.getElementById("status");
  const panel = document.getElementById("origin");
  let shown = -1;
  let chosen = null;

  function setStatus(text, stale) {
    status.textContent = text;
    status.classList.toggle("stale", !!stale);
  }

  async function load() {
    const reply = await fetch("/content", {cache: "no-store"});
    const page = await reply.json();
    if (page.version === shown) return;
    if (page.html !== null) {
      main.innerHTML = page.html;
      main.dataset.version = String(page.version);
    }
    if (page.error) {
      error.innerHTML = "<b>The last change could not be built (the page below is the last good one)</b>";
      error.appendChild(document.createTextNode(page.error));
      error.hidden = false;
      main.classList.toggle("stale", page.html !== null);
      setStatus("error in the last change", true);
    } else {
      error.hidden = true;
      main.classList.remove("stale");
      setStatus("up to date (" + (page.seconds * 1000).toFixed(0) + " ms)");
    }
    shown = page.version;
    document.body.dataset.version = String(page.version);
    if (chosen) show(chosen);
  }

  function connect() {
    const events = new EventSource("/events");
    events.addEventListener("update", () => load());
    events.addEventListener("written", (e) => {
      document.getElementById("written").textContent = e.data;
      document.getElementById("write").disabled = false;
    });
    events.onerror = () => setStatus("preview stopped or restarting…", true);
    events.onopen = () => load();
  }

  function patientLink(id, line) {
    const a = document.createElement("a");
    a.href = "#patient-" + encodeURIComponent(id);
    a.textContent = id;
    a.title = "line " + line + " of tables/patient_endpoints.csv";
    a.dataset.patient = id;
    return a;
  }

  async function show(key) {
    chosen = key;
    document.querySelectorAll(".chosen").forEach((el) => el.classList.remove("chosen"));
    document.querySelectorAll("[data-key]").forEach((el) => {
      if (el.dataset.key === key) el.classList.add("chosen");
    });
    const reply = await fetch("/provenance?key=" + encodeURIComponent(key));
    const record = await reply.json();
    document.getElementById("o-key").textContent = record.key;
    document.getElementById("o-value").textContent =
      record.value === null ? "none (not reached or not estimable)" : String(record.value);
    document.getElementById("o-label").textContent = record.label || "";
    document.getElementById("o-method").textContent = record.method || record.error || "";
    const list = document.getElementById("o-patients");
    list.textContent = "";
    document.querySelectorAll("tr.counted").forEach((tr) => tr.classList.remove("counted"));
    const patients = record.patients || [];
    if (!patients.length) {
      list.textContent = record.set ? "none" : "not a count of patients";
    } else {
      const note = document.createElement("div");
      note.textContent = patients.length + " patient" + (patients.length === 1 ? "" : "s") +
        " (rows of tables/patient_endpoints.csv):";
      list.appendChild(note);
      patients.slice(0, 500).forEach((id, i) => {
        list.appendChild(patientLink(id, record.rows[i]));
        const row = document.getElementById("patient-" + id);
        if (row) row.classList.add("counted");
      });
      if (patients.length > 500) list.appendChild(document.createTextNode(" …"));
    }
    panel.hidden = false;
  }

  main.addEventListener("mouseover", (e) => {
    const el = e.target.closest("[data-key]");
    if (el && el.dataset.key !== chosen) show(el.dataset.key);
  });
  main.addEventListener("click", (e) => {
    const el = e.target.closest("[data-key]");
    if (el) show(el.dataset.key);
  });
  panel.addEventListener("click", (e) => {
    const a = e.target.closest("a[data-patient]");
    if (!a) return;
    const details = document.querySelector("#patient-endpoints details");
    if (details) details.open = true;
  });
  document.getElementById("close").addEventListener("click", () => {
    panel.hidden = true;
    chosen = null;
    document.querySelectorAll(".chosen").forEach((el) => el.classList.remove("chosen"));
  });
  document.getElementById("write").addEventListener("click", async (e) => {
    e.target.disabled = true;
    document.getElementById("written").textContent = "writing…";
    await fetch("/write", {method: "POST"});
  });
  connect();
})();
