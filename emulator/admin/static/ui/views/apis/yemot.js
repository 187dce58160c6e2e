// Yemot's card on the overview (ApiSpec.dashboard): each system with its units, sessions, tasks,
// counts of everything it holds and its campaigns.
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
