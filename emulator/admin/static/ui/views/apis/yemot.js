// Yemot's card on the overview (ApiSpec.dashboard): each system with its units, sessions, tasks,
// counts of everything it holds and its campaigns; and its dialer on the Phone tab.
import { call } from "../../api.js";
import { h } from "../../dom.js";
import { table, counts, campaigns } from "../cards.js";

export function card(state) {
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

const field = (label, input) => h("label", { class: "field" }, h("span", {}, label), input);

// The Phone tab's dialer: a caller dials a system (its main number or a DID) and starts in an extension.
export function dialer() {
  const system = h("select", { id: "phone-system" });
  const did = h("input", { id: "phone-did", placeholder: "main number", size: 12, list: "phone-dids" });
  const path = h("input", { id: "phone-path", value: "/", size: 8 });
  const dids = h("datalist", { id: "phone-dids" });
  return {
    label: "Yemot system",
    caller: "0501234567",
    box: h("div", { id: "phone-yemot" }, field("system", system), field("DID", did), dids, field("start at", path)),
    async load() {
      const state = await call("GET", "state");
      const systems = Object.values(state.yemot?.systems || {});
      system.replaceChildren(...systems.map((s) => h("option", { value: s.number }, `${s.number} ${s.name || ""}`.trim())));
      const numbers = systems.flatMap((s) => [s.number, ...(s.secondary_dids || []).map((d) => d.did)]);
      dids.replaceChildren(...numbers.map((d) => h("option", { value: d })));
    },
    place(caller) {
      const body = { from: caller, path: path.value.trim() || "/" };
      if (did.value.trim()) body.did = did.value.trim();
      return call("POST", `yemot/systems/${encodeURIComponent(system.value)}/calls`, { body });
    },
  };
}
