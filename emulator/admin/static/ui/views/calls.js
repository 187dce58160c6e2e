// Calls: every simulated call (the engine's, and those an API keeps itself, such as Simotel's dialplan
// calls: its dashboard module's calls()), those in progress first.
// One call opened shows as a conversation timeline (the Phone tab's renderer), following it live
// while it runs; its raw JSON is one click away.
import { call, apiViews, ApiError } from "../api.js";
import { h, render, pretty } from "../dom.js";
import { callRow } from "./phones.js";
import { follow } from "./follow.js";
import { Timeline } from "./timeline.js";

let list;
let detail;
let onlyLive;
let openId = null;
let shown = null; // {id, stream, timeline} of the open call

export function mount(root) {
  onlyLive = h("input", { type: "checkbox", id: "live-only" });
  onlyLive.addEventListener("change", () => refresh());
  list = h("div", { class: "call-list", id: "call-list" });
  detail = h("div", { class: "detail card", id: "call-detail" });
  root.append(h("label", {}, onlyLive, " in progress only"), h("div", { class: "split" }, list, detail));
  if (shown) shown.stream?.close();
  shown = null;
}

export async function refresh() {
  const [{ calls }, views] = await Promise.all([call("GET", "calls"), apiViews()]);
  const kept = await Promise.all(views.filter(({ view }) => view.calls).map(({ view }) => view.calls()));
  const all = [...calls, ...kept.flat()].filter((c) => !onlyLive.checked || c.phase !== "ended");
  all.sort((a, b) => (a.phase === "ended") - (b.phase === "ended") || String(b.created).localeCompare(String(a.created)));
  render(list, [all, openId], () =>
    all.length
      ? all.map((c) => {
          const row = callRow(c);
          row.classList.toggle("open", c.id === openId);
          row.addEventListener("click", () => {
            openId = c.id;
            refresh();
          });
          return row;
        })
      : h("p", { class: "empty" }, "No calls."),
  );
  if (openId) await showDetail(all.find((c) => c.id === openId));
  else render(detail, "none", () => h("p", { class: "empty" }, "Open a call to see it as a conversation."));
}

async function showDetail(summary) {
  let full = null;
  try {
    full = await call("GET", `calls/${encodeURIComponent(openId)}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
  }
  const data = full || summary || {};
  const raw = h("pre", { class: "raw-json" }, pretty(data));
  if (shown && shown.id === openId) {
    const old = detail.querySelector("pre.raw-json");
    if (old) old.replaceWith(raw);
    return;
  }
  shown?.stream?.close();
  const timeline = new Timeline(openId);
  shown = { id: openId, timeline, stream: null };
  detail.dataset.rendered = "";
  detail.replaceChildren(
    h("h3", {}, `Call ${openId}`),
    h("details", { class: "raw" }, h("summary", {}, "raw JSON"), raw),
    Array.isArray(data.transcript) ? timeline.element : h("p", { class: "empty" }, "This call walked no IVR: there is no conversation to show."),
  );
  if (Array.isArray(data.transcript)) {
    shown.stream = follow(openId, { entry: (entry) => timeline.add(entry, entry.index) });
  }
}
