// Journal: served requests newest first, filtered and paged on the server (50 a page), so a full
// journal of 10,000 entries stays quick. One entry opens to show parameters, answer and warnings.
// Above it, the verify panel (views/verify.js) checks an expectation and shows the near misses.
import { call, ApiError, addApiOptions } from "../api.js";
import { h, render, when, pretty, badge } from "../dom.js";
import * as verifyPanel from "./verify.js";

const PAGE = 50;
let form;
let box;
let pager;
let problem;
let filters = {};
let page = 0;
let openId = null;

export function mount(root) {
  const field = (name, placeholder, size = 14) => h("input", { name, placeholder, size, "aria-label": name });
  form = h(
    "form",
    { class: "filters", id: "journal-filters" },
    h("select", { name: "api", "aria-label": "api" }, h("option", { value: "" }, "any API")),
    field("operation", "operation"),
    field("tenant", "tenant"),
    field("params", '{"phones": "050…"}', 24),
    field("since", "since (ISO-8601)", 20),
    h("button", { type: "submit" }, "Filter"),
    h("button", { type: "reset" }, "Clear"),
  );
  addApiOptions(form.elements.api).catch(() => {}); // (without the admin token: any API only)
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    filters = Object.fromEntries([...new FormData(form).entries()].filter(([, value]) => value.trim()));
    page = 0;
    refresh();
  });
  form.addEventListener("reset", () => {
    filters = {};
    page = 0;
    setTimeout(refresh);
  });
  problem = h("p", { class: "problem", id: "journal-problem" });
  pager = h("div", { class: "pager", id: "journal-pager" });
  box = h("div", { id: "journal" });
  verifyPanel.mount(root);
  root.append(form, problem, pager, box);
}

export async function refresh() {
  let data;
  try {
    data = await call("GET", "journal", { query: { ...filters, order: "desc", limit: PAGE, offset: page * PAGE } });
    problem.textContent = "";
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    problem.textContent = error.message;
    return;
  }
  const pages = Math.max(1, Math.ceil(data.count / PAGE));
  if (page >= pages) page = pages - 1;
  render(pager, [data.count, page], () => [
    h("button", { type: "button", disabled: page === 0, onclick: () => go(page - 1) }, "← newer"),
    h("span", { id: "journal-count" }, ` page ${page + 1} of ${pages} · ${data.count} entries `),
    h("button", { type: "button", disabled: page + 1 >= pages, onclick: () => go(page + 1) }, "older →"),
  ]);
  render(box, [data.entries, openId], () => table(data.entries));
}

function go(target) {
  page = target;
  refresh();
}

function table(entries) {
  if (!entries.length) return h("p", { class: "empty" }, "No journal entries match.");
  return h(
    "table",
    { class: "rows journal" },
    h("tr", {}, ["#", "time", "api", "operation", "tenant", "status", ""].map((name) => h("th", {}, name))),
    entries.map((entry) => [row(entry), entry.id === openId ? expanded(entry) : null]),
  );
}

function row(entry) {
  const failed = entry.status >= 400 || entry.status === 0;
  return h(
    "tr",
    {
      class: `entry${entry.id === openId ? " open" : ""}`,
      dataset: { id: entry.id },
      onclick: () => {
        openId = openId === entry.id ? null : entry.id;
        refresh();
      },
    },
    h("td", {}, entry.id),
    h("td", {}, when(entry.time)),
    h("td", {}, entry.api),
    h("td", {}, entry.operation || "—"),
    h("td", {}, entry.tenant || ""),
    h("td", {}, badge(entry.status, failed ? "bad" : "ok")),
    h("td", {}, entry.warnings.length ? badge(`⚠ ${entry.warnings.length}`, "warn") : ""),
  );
}

function expanded(entry) {
  return h(
    "tr",
    { class: "expanded" },
    h(
      "td",
      { colspan: 7 },
      h("div", {}, `${entry.method} ${entry.path} from ${entry.client || "?"}`),
      entry.warnings.length ? h("ul", { class: "warnings" }, entry.warnings.map((w) => h("li", {}, w))) : null,
      h("div", { class: "split" }, h("div", {}, h("h4", {}, "Parameters"), h("pre", { class: "params" }, pretty(entry.params))),
        h("div", {}, h("h4", {}, "Response"), h("pre", { class: "response" }, pretty(entry.response)))),
    ),
  );
}
