// Faults: injected answers (status, body, delay, dropped connection); add and remove them.
import { call, addApiOptions } from "../api.js";
import { h, render } from "../dom.js";

let box;
let problem;
let actions;

export function mount(root, context) {
  actions = context;
  const input = (name, placeholder, extra = {}) => h("input", { name, placeholder, "aria-label": name, ...extra });
  const form = h(
    "form",
    { class: "filters", id: "fault-form" },
    h("select", { name: "api", "aria-label": "api" }),
    input("operation", "operation (empty: all)"),
    input("status", "status", { type: "number", min: 100, max: 599 }),
    input("body", "body (JSON)", { size: 24 }),
    input("delay_ms", "delay ms", { type: "number", min: 0 }),
    input("times", "times", { type: "number", min: 1 }),
    h("label", {}, h("input", { type: "checkbox", name: "drop_connection" }), " drop connection"),
    h("button", { type: "submit" }, "Add fault"),
  );
  addApiOptions(form.elements.api).catch((error) => (problem.textContent = error.message));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let spec;
    try {
      spec = faultSpec(new FormData(form));
    } catch (error) {
      problem.textContent = error.message;
      return;
    }
    actions.act(async () => {
      try {
        await call("POST", "faults", { body: spec });
        problem.textContent = "";
      } catch (error) {
        problem.textContent = error.message;
      }
    });
  });
  problem = h("p", { class: "problem", id: "fault-problem" });
  box = h("div", { id: "faults" });
  root.append(form, problem, box);
}

function faultSpec(data) {
  const spec = { api: data.get("api") };
  for (const name of ["operation"]) if (data.get(name)) spec[name] = data.get(name).trim();
  for (const name of ["status", "delay_ms", "times"]) if (data.get(name)) spec[name] = Number(data.get(name));
  if (data.get("body")) {
    try {
      spec.body = JSON.parse(data.get("body"));
    } catch {
      throw new Error("the body must be JSON");
    }
  }
  if (data.get("drop_connection")) spec.drop_connection = true;
  return spec;
}

export async function refresh() {
  const { faults } = await call("GET", "faults");
  render(box, faults, () =>
    faults.length
      ? h(
          "table",
          { class: "rows" },
          h("tr", {}, ["#", "api", "operation", "status", "body", "delay", "drop", "hits / times", ""].map((n) => h("th", {}, n))),
          faults.map((f) =>
            h(
              "tr",
              {},
              [f.id, f.api, f.operation || "(all)", f.status ?? "", f.body === null ? "" : JSON.stringify(f.body)].map((v) => h("td", {}, v)),
              h("td", {}, f.delay_ms ? `${f.delay_ms} ms` : ""),
              h("td", {}, f.drop_connection ? "yes" : ""),
              h("td", {}, `${f.hits} / ${f.times ?? "∞"}`),
              h("td", {}, h("button", { type: "button", onclick: () => actions.act(() => call("DELETE", `faults/${f.id}`)) }, "Remove")),
            ),
          ),
        )
      : h("p", { class: "empty" }, "No faults injected."),
  );
}
