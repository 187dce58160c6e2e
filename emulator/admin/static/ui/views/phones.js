// Phones: the simulated handsets - every number that received a call or an SMS, with each call
// (kind, outcome, caller ID, times) and each SMS (text, delivery state and its history).
import { call } from "../api.js";
import { h, render, when, badge } from "../dom.js";
import { seconds } from "./timeline.js";

let box;

export function mount(root) {
  box = h("div", { class: "handsets", id: "handsets" });
  root.append(box);
}

export async function refresh() {
  const [calls, messages] = await Promise.all([call("GET", "calls"), call("GET", "messages")]);
  render(box, [calls, messages], () => handsets(calls.calls, messages.messages));
}

function handsets(calls, messages) {
  const numbers = new Map();
  const slot = (number) => {
    if (!numbers.has(number)) numbers.set(number, { calls: [], messages: [], last: "" });
    return numbers.get(number);
  };
  for (const c of calls) {
    const phone = slot(c.to);
    phone.calls.push(c);
    if (c.created > phone.last) phone.last = c.created;
  }
  for (const m of messages) {
    const phone = slot(m.to);
    phone.messages.push(m);
    if (m.created > phone.last) phone.last = m.created;
  }
  if (!numbers.size) return h("p", { class: "empty" }, "No phone has been called or texted yet.");
  return [...numbers.entries()]
    .sort((a, b) => (a[1].last < b[1].last ? 1 : -1))
    .map(([number, phone]) =>
      h(
        "article",
        { class: "handset card", dataset: { number } },
        h("h3", {}, "Handset ", number),
        phone.messages.map(message),
        phone.calls.map(callRow),
      ),
    );
}

const STATUS_KIND = { DELIVRD: "ok", ESME_ROK: "warn", EXPIRED: "bad", UNDELIV: "bad", REJECTD: "bad" };

function message(m) {
  return h(
    "div",
    { class: "sms", dataset: { id: m.id } },
    h("div", { class: "bubble" }, m.text),
    h(
      "div",
      { class: "meta" },
      `from ${m.sender} · ${m.api}/${m.tenant} · ${when(m.created)} · `,
      badge(m.status, `sms-status ${STATUS_KIND[m.status] || ""}`),
      " ",
      h("span", { class: "history" }, m.history.map((s) => `${s.status} ${when(s.at)}`).join(" → ")),
    ),
  );
}

const OUTCOME_KIND = { answered: "ok", no_answer: "warn", busy: "warn", failed: "bad", blocked: "bad", invalid: "bad" };

export function callRow(c) {
  return h(
    "div",
    { class: "call", dataset: { id: c.id } },
    `☎ ${c.kind} from ${c.caller_id} · ${c.api}/${c.tenant} · `,
    badge(c.phase, c.phase === "ended" ? "" : "warn"),
    " ",
    c.outcome ? badge(c.outcome, OUTCOME_KIND[c.outcome] || "") : null,
    h(
      "span",
      { class: "meta" },
      ` created ${when(c.created)} · answered ${when(c.answered_at)} · ended ${when(c.ended_at)} · talk ${seconds(c.talk_s)}`,
    ),
  );
}
