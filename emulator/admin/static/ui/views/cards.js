// Pieces the API cards of the overview share: a key-value table, counts of a record's collections,
// and the progress of a tenant's campaigns.
import { h, badge } from "../dom.js";

export function counts(record, skip = []) {
  const out = [];
  for (const [name, value] of Object.entries(record)) {
    if (skip.includes(name)) continue;
    if (Array.isArray(value)) out.push([name, value.length]);
    else if (value && typeof value === "object") out.push([name, Object.keys(value).length]);
  }
  return out;
}

export function table(pairs) {
  return h("table", { class: "kv" }, pairs.map(([name, value]) => h("tr", {}, h("th", {}, name), h("td", {}, value))));
}

export function campaigns(state, api, tenant) {
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
