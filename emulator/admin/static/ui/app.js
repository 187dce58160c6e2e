// The dashboard shell: clock and state controls, tabs, and a one-second refresh of the open tab.
import { call, setAdminToken, authHeaders, adminBase, sandboxId, rootAdminBase, rootToken } from "./api.js";
import * as overview from "./views/overview.js";
import * as phones from "./views/phones.js";
import * as calls from "./views/calls.js";
import * as journal from "./views/journal.js";
import * as outbox from "./views/outbox.js";
import * as faults from "./views/faults.js";
import * as phone from "./views/phone.js";

const VIEWS = { overview, phones, phone, calls, journal, outbox, faults };
const REFRESH_MS = 1000;
const $ = (id) => document.getElementById(id);

let current = null;
let busy = false;

let noticeTimer = null;

function notice(text, kind = "error") {
  const box = $("notice");
  box.textContent = text || "";
  box.className = text ? kind : "";
  clearTimeout(noticeTimer);
  if (text && kind === "ok") noticeTimer = setTimeout(() => notice(""), 4000);
}

function showError(error) {
  if (error.status === 401 || error.status === 403) {
    notice(`${error.message} — press "Admin token" to enter it.`);
  } else {
    notice(error.message);
  }
}

async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const clock = await call("GET", "clock");
    $("clock-now").textContent = clock.now.replace("T", " ").replace("Z", " UTC");
    $("clock-state").textContent = clock.frozen ? "frozen" : "running";
    $("clock-state").className = `badge ${clock.frozen ? "warn" : "ok"}`;
    $("freeze-button").textContent = clock.frozen ? "Unfreeze" : "Freeze";
    $("freeze-button").dataset.frozen = clock.frozen;
    if (current) await current.refresh();
    if ($("notice").className === "error") notice("");
  } catch (error) {
    showError(error);
  } finally {
    busy = false;
  }
}

async function act(work, done) {
  try {
    const result = await work();
    if (done) notice(typeof done === "function" ? done(result) : done, "ok");
    await refresh();
  } catch (error) {
    showError(error);
  }
}

function route() {
  const name = (location.hash || "#overview").slice(1).split("/")[0];
  const view = VIEWS[name] || overview;
  for (const link of document.querySelectorAll("#tabs a")) {
    link.classList.toggle("active", link.getAttribute("href") === `#${name}`);
  }
  const root = $("view");
  current?.unmount?.();
  root.replaceChildren();
  root.dataset.view = name;
  current = view;
  view.mount(root, { act, notice });
  refresh();
}

function wireControls() {
  $("freeze-button").onclick = () =>
    act(() => call("POST", "clock", { body: { freeze: $("freeze-button").dataset.frozen !== "true" } }));
  $("set-button").onclick = () =>
    act(() => call("POST", "clock", { body: { set: $("set-input").value.trim() } }), (r) => `clock set; ${r.events_run} events ran`);
  $("advance-button").onclick = () =>
    act(
      () => call("POST", "clock", { body: { advance: Number($("advance-input").value) } }),
      (r) => `advanced; ${r.events_run} events ran`,
    );
  $("reset-button").onclick = () => {
    if (confirm("Reset state, journal, faults and outbox to the loaded fixture?")) act(() => call("POST", "reset"), "reset done");
  };
  $("snapshot-button").onclick = () =>
    act(async () => {
      const response = await fetch(new URL("snapshot", adminBase), { headers: authHeaders() });
      if (!response.ok) throw Object.assign(new Error(`snapshot failed: HTTP ${response.status}`), { status: response.status });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = "emulator-snapshot.json";
      link.click();
      URL.revokeObjectURL(link.href);
    }, "snapshot downloaded");
  $("restore-input").onchange = (event) => {
    const file = event.target.files[0];
    if (file) act(async () => call("POST", "restore", { body: await file.text(), raw: true }), "snapshot restored");
    event.target.value = "";
  };
  $("token-button").onclick = () => {
    const token = prompt("Admin token (empty to forget it):", "");
    if (token !== null) {
      setAdminToken(token.trim());
      refresh();
    }
  };
}

// The sandbox picker: the root and every sandbox this server holds (when the root's list may be read).
async function loadSandboxes() {
  const token = rootToken();
  const response = await fetch(new URL("sandboxes", rootAdminBase), {
    headers: { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  }).catch(() => null);
  if (!response || !response.ok) {
    $("sandbox-picker").hidden = !sandboxId;
    if (sandboxId) $("sandbox-select").replaceChildren(new Option(sandboxId, sandboxId, true, true));
    return;
  }
  const listed = (await response.json()).sandboxes || [];
  const options = [new Option("root", "", !sandboxId, !sandboxId)];
  for (const sandbox of listed) {
    options.push(new Option(`${sandbox.id} (${sandbox.requests} req)`, sandbox.id, false, sandbox.id === sandboxId));
  }
  $("sandbox-select").replaceChildren(...options);
  $("sandbox-picker").hidden = listed.length === 0 && !sandboxId;
}

$("sandbox-select").onchange = (event) => {
  const target = event.target.value;
  const root = new URL("../", rootAdminBase); // the server's base
  location.href = new URL(target ? `sb/${target}/__emulator__/ui/${location.hash}` : `__emulator__/ui/${location.hash}`, root);
};

wireControls();
loadSandboxes();
setInterval(() => document.hidden || loadSandboxes(), 5000);
window.addEventListener("hashchange", route);
route();
setInterval(() => document.hidden || refresh(), REFRESH_MS); // a hidden tab asks nothing
