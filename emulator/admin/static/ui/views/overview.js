// Systems: each Yemot system and Simotel account, with counts of everything they hold and the
// progress of their campaigns. Collections are listed generically, so new kinds of data show up.
import { call } from "../api.js";
import { h, render, badge } from "../dom.js";

let box;

export function mount(root) {
  box = h("div", { class: "grid" });
  root.append(box);
}

export async function refresh() {
  const state = await call("GET", "state");
  render(box, state, () => [yemot(state), simotel(state)]);
}

function counts(record, skip = []) {
  const out = [];
  for (const [name, value] of Object.entries(record)) {
    if (skip.includes(name)) continue;
    if (Array.isArray(value)) out.push([name, value.length]);
    else if (value && typeof value === "object") out.push([name, Object.keys(value).length]);
  }
  return out;
}

function table(pairs) {
  return h("table", { class: "kv" }, pairs.map(([name, value]) => h("tr", {}, h("th", {}, name), h("td", {}, value))));
}

function campaigns(state, api, tenant) {
  const list = Object.values((state.telephony && state.telephony.campaigns) || {}).filter(
    (c) => c.api === api && c.tenant === tenant,
  );
  if (!list.length) return null;
  return h(
    "div",
    {},
    h("h4", {}, "Campaigns"),
    list.map((c) =>
      h(
        "div",
        { class: "progress-row" },
        h("span", {}, c.campaign),
        h("progress", { max: Math.max(c.placed, 1), value: c.ended }),
        h("span", {}, `${c.ended}/${c.placed} ended`),
        c.ended_at ? badge("done", "ok") : badge("running", "warn"),
      ),
    ),
  );
}

function yemot(state) {
  const systems = Object.values((state.yemot && state.yemot.systems) || {});
  return h(
    "section",
    { class: "card", id: "yemot-systems" },
    h("h2", {}, `Yemot systems (${systems.length})`),
    systems.map((system) => {
      const sessions = Object.values(system.sessions || {});
      const tasks = system.tasks || [];
      return h(
        "article",
        { class: "tenant" },
        h("h3", {}, system.number, " ", h("small", {}, system.name || "")),
        table([
          ["units", system.units],
          ["SMS units", system.sms_units],
          ["active sessions", sessions.filter((s) => s.active).length],
          ["tasks", tasks.map((t) => `#${t.id} ${t.type} ${t.status}`).join(", ") || "none"],
          ...counts(system, ["sessions", "tasks", "extra"]),
        ]),
        campaigns(state, "yemot", system.number),
      );
    }),
  );
}

function simotel(state) {
  const simotelState = state.simotel || {};
  const accounts = Object.values(simotelState.accounts || {});
  const collections = Object.entries(simotelState.collections || {}).map(([name, rows]) => [name, rows.length]);
  return h(
    "section",
    { class: "card", id: "simotel-accounts" },
    h("h2", {}, `Simotel accounts (${accounts.length})`),
    accounts.map((account) =>
      h(
        "article",
        { class: "tenant" },
        h("h3", {}, account.username, " ", account.enabled ? badge("enabled", "ok") : badge("disabled", "bad")),
        table([
          ["auth mode", account.auth_mode],
          ["permissions", (account.permissions || []).join(", ")],
          ["strict", String(account.strict)],
        ]),
        campaigns(state, "simotel", account.username),
      ),
    ),
    h("h4", {}, "PBX records"),
    table(collections),
  );
}
