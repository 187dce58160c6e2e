// Outbox: every callback and webhook the emulator sent, with each attempt.
import { call } from "../api.js";
import { h, render, badge } from "../dom.js";

let box;

export function mount(root) {
  box = h("div", { id: "outbox" });
  root.append(box);
}

const STATE_KIND = { delivered: "ok", pending: "warn", failed: "bad" };

export async function refresh() {
  const { deliveries } = await call("GET", "outbox");
  render(box, deliveries, () =>
    deliveries.length
      ? h(
          "table",
          { class: "rows" },
          h("tr", {}, ["#", "state", "method", "url", "source", "attempts"].map((name) => h("th", {}, name))),
          [...deliveries].reverse().map((d) =>
            h(
              "tr",
              {},
              h("td", {}, d.id),
              h("td", {}, badge(d.state, STATE_KIND[d.state] || "")),
              h("td", {}, d.method),
              h("td", { class: "wrap" }, d.url),
              h("td", {}, d.source || ""),
              h(
                "td",
                {},
                h(
                  "ol",
                  {},
                  d.attempts.map((a) =>
                    h("li", {}, `${a.status ?? "no answer"}${a.error ? ` (${a.error})` : ""} in ${Math.round(a.duration_ms || 0)} ms`),
                  ),
                ),
              ),
            ),
          ),
        )
      : h("p", { class: "empty" }, "Nothing sent yet."),
  );
}
