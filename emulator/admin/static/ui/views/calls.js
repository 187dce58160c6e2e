// Calls: every simulated call, those in progress first; one call opened shows its details and,
// where the control plane has it (GET /calls/{id}), its IVR transcript as it grows.
import { call, ApiError } from "../api.js";
import { h, render, pretty } from "../dom.js";
import { callRow } from "./phones.js";

let list;
let detail;
let onlyLive;
let openId = null;

export function mount(root) {
  onlyLive = h("input", { type: "checkbox", id: "live-only" });
  onlyLive.addEventListener("change", () => refresh());
  list = h("div", { class: "call-list", id: "call-list" });
  detail = h("div", { class: "detail card", id: "call-detail" });
  root.append(h("label", {}, onlyLive, " in progress only"), h("div", { class: "split" }, list, detail));
}

export async function refresh() {
  const { calls } = await call("GET", "calls");
  const shown = calls.filter((c) => !onlyLive.checked || c.phase !== "ended").reverse();
  shown.sort((a, b) => (a.phase === "ended") - (b.phase === "ended"));
  render(list, [shown, openId], () =>
    shown.length
      ? shown.map((c) => {
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
  if (openId) await showDetail(calls.find((c) => c.id === openId));
  else render(detail, "none", () => h("p", { class: "empty" }, "Open a call to see its details and transcript."));
}

async function showDetail(summary) {
  let full = null;
  let missing = "";
  try {
    full = await call("GET", `calls/${encodeURIComponent(openId)}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    missing = "This emulator keeps no transcript for calls.";
  }
  const data = full || summary || {};
  render(detail, [data, missing], () => [
    h("h3", {}, `Call ${openId}`),
    h("pre", {}, pretty({ ...data, transcript: undefined })),
    h("h4", {}, "Transcript"),
    transcript(data.transcript, missing),
  ]);
}

function transcript(lines, missing) {
  if (!Array.isArray(lines) || !lines.length) return h("p", { class: "empty" }, missing || "Nothing said yet.");
  return h(
    "ol",
    { class: "transcript" },
    lines.map((line) => {
      if (typeof line !== "object" || line === null) return h("li", {}, String(line));
      const { at, time, who, from, direction, kind, text, message, ...rest } = line;
      const head = [at || time, who || from || direction || kind].filter(Boolean).join(" · ");
      const body = text || message || (Object.keys(rest).length ? JSON.stringify(rest) : "");
      return h("li", {}, head ? h("span", { class: "meta" }, `${head}: `) : null, body);
    }),
  );
}
