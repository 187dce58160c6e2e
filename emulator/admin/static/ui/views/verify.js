// Verify panel of the journal tab: an operation, parameters and a count, checked by
// POST journal/verify. It lists the entries that matched (GET journal with the same filter) and,
// when the expectation fails, the near misses with every field that differed highlighted.
import { call, addApiOptions, ApiError } from "../api.js";
import { h, when, badge } from "../dom.js";

const SHOWN_MATCHES = 20;
const FILTER_FIELDS = ["api", "operation", "tenant", "since"];
const COUNT_FIELDS = ["count", "at_least", "at_most"];

let form;
let result;

export function mount(root) {
  const apis = h("select", { name: "api", "aria-label": "verify api" }, h("option", { value: "" }, "any API"));
  addApiOptions(apis);
  const field = (name, placeholder, size = 12, extra = {}) =>
    h("input", { name, placeholder, size, "aria-label": `verify ${name}`, ...extra });
  const number = (name, placeholder) => field(name, placeholder, 6, { type: "number", min: 0 });
  form = h(
    "form",
    { class: "filters", id: "verify-form" },
    h("strong", {}, "Verify"),
    apis,
    field("operation", "operation", 14),
    field("params", 'phones=0501234567 or {"phones": "…"}', 30),
    field("tenant", "tenant"),
    field("since", "since (ISO-8601)", 18),
    number("count", "exactly"),
    number("at_least", "at least"),
    number("at_most", "at most"),
    h("button", { type: "submit" }, "Verify"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check();
  });
  result = h("div", { id: "verify-result", class: "verify" });
  root.append(h("section", { class: "card", id: "verify" }, form, result));
}

// Parameters as a JSON object, or name=value pairs joined by "&" (values are compared as text).
export function parseParams(text) {
  const source = text.trim();
  if (!source) return undefined;
  if (source.startsWith("{")) {
    const value = JSON.parse(source);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new SyntaxError("not an object");
    return value;
  }
  const pairs = [...new URLSearchParams(source.replace(/\s*\n\s*/g, "&"))];
  if (pairs.some(([name, value]) => !name || value === "")) throw new SyntaxError("not name=value pairs");
  return Object.fromEntries(pairs);
}

function expectation() {
  const values = Object.fromEntries(new FormData(form).entries());
  const body = {};
  for (const name of FILTER_FIELDS) if (values[name].trim()) body[name] = values[name].trim();
  for (const name of COUNT_FIELDS) if (values[name] !== "") body[name] = Number(values[name]);
  try {
    const params = parseParams(values.params);
    if (params) body.params = params;
  } catch {
    throw new ApiError(400, { error: "parameters must be a JSON object or name=value pairs joined by &" });
  }
  return body;
}

async function check() {
  let body;
  let verdict;
  let holds = true;
  try {
    body = expectation();
    verdict = await call("POST", "journal/verify", { body });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status !== 409) return problem(error);
    verdict = error.data;
    holds = false;
  }
  const filter = { ...body };
  for (const name of COUNT_FIELDS) delete filter[name];
  if (filter.params) filter.params = JSON.stringify(filter.params);
  const matches = verdict.matched ? await call("GET", "journal", { query: { ...filter, order: "desc", limit: SHOWN_MATCHES } }) : null;
  showResult(
    h(
      "p",
      { class: `verdict ${holds ? "ok" : "bad"}`, id: "verify-verdict" },
      badge(holds ? "✓ holds" : "✗ fails", holds ? "ok" : "bad"),
      ` matched ${verdict.matched}, expected ${verdict.expected}`,
    ),
    matches ? matchList(matches) : null,
    holds ? null : nearMisses(verdict.near_misses || []),
  );
}

function problem(error) {
  const suggestions = (error.data && error.data.suggestions) || [];
  showResult(
    h("p", { class: "problem", id: "verify-problem" }, error.message),
    suggestions.length ? h("p", {}, "Try: ", suggestions.map((name) => h("code", {}, name, " "))) : null,
  );
}

function showResult(...parts) {
  result.replaceChildren(...parts.filter(Boolean));
}

function matchList(page) {
  return h(
    "div",
    { id: "verify-matches" },
    h("h4", {}, `Matches (${page.count}${page.count > page.entries.length ? `, newest ${page.entries.length} shown` : ""})`),
    h("ul", { class: "matches" }, page.entries.map((entry) => h("li", { dataset: { id: entry.id } }, headline(entry)))),
  );
}

function nearMisses(misses) {
  if (!misses.length) return h("p", { class: "empty", id: "verify-near-misses" }, "No near misses: nothing similar was served.");
  return h(
    "div",
    { id: "verify-near-misses" },
    h("h4", {}, "Near misses (closest first)"),
    misses.map((miss) => h("article", { class: "near-miss", dataset: { id: miss.id } }, headline(miss), differenceTable(miss))),
  );
}

function headline(entry) {
  const failed = entry.status >= 400 || entry.status === 0;
  return h(
    "div",
    { class: "headline" },
    `#${entry.id} ${when(entry.time)} · ${entry.api} `,
    h("strong", {}, entry.operation || "—"),
    entry.tenant ? ` · ${entry.tenant} ` : " ",
    badge(entry.status, failed ? "bad" : "ok"),
  );
}

// Every field the expectation named that the entry had otherwise, then the entry's other parameters.
function differenceTable(miss) {
  const differing = new Set(miss.differences.map((difference) => difference.field));
  const others = Object.entries(miss.params || {}).filter(([name]) => !differing.has(`params.${name}`));
  return h(
    "table",
    { class: "rows differences" },
    h("tr", {}, ["field", "expected", "actual"].map((name) => h("th", {}, name))),
    miss.differences.map((difference) =>
      h(
        "tr",
        { class: "differs", dataset: { field: difference.field } },
        h("td", {}, difference.field),
        h("td", {}, h("span", { class: "expected" }, show(difference.expected))),
        h("td", {}, difference.missing ? h("em", { class: "actual missing" }, "missing") : h("span", { class: "actual" }, show(difference.actual))),
      ),
    ),
    others.map(([name, value]) => h("tr", { class: "same" }, h("td", {}, `params.${name}`), h("td", {}, ""), h("td", {}, show(value)))),
  );
}

function show(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}
