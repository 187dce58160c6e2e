// Control-plane calls from the browser. The admin token (when the emulator has one) is entered
// once, kept in this browser's localStorage and sent as "Authorization: Bearer <token>".
// In a sandbox (/sb/<id>/__emulator__/ui/) its own token is kept under a key of its own; the
// server's admin token, kept at the root, is used wherever no sandbox token was entered.
const TOKEN_KEY = "telephony-emulator.admin-token";

export const adminBase = new URL("../", import.meta.url); // .../__emulator__/
export const sandboxId = (adminBase.pathname.match(/\/sb\/([^/]+)\/__emulator__\/$/) || [])[1] || "";
export const rootAdminBase = new URL(sandboxId ? `../../../__emulator__/` : "./", adminBase);
const ownKey = sandboxId ? `${TOKEN_KEY}.sb.${sandboxId}` : TOKEN_KEY;

export function adminToken() {
  return localStorage.getItem(ownKey) || localStorage.getItem(TOKEN_KEY) || "";
}

export function rootToken() {
  return localStorage.getItem(TOKEN_KEY) || "";
}

export function setAdminToken(token) {
  if (token) localStorage.setItem(ownKey, token);
  else localStorage.removeItem(ownKey);
}

export function authHeaders() {
  const token = adminToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export class ApiError extends Error {
  constructor(status, data) {
    super((data && data.error) || `HTTP ${status}`);
    this.status = status;
    this.data = data;
  }
}

// call("GET", "journal", {query: {...}}) or call("POST", "clock", {body: {...}}); answers the JSON.
export async function call(method, path, { query, body, raw } = {}) {
  const url = new URL(path, adminBase);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = { Accept: "application/json", ...authHeaders() };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = raw ? body : JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: text };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

let served = null;

// The APIs this emulator serves (GET apis: name, title, prefix, dashboard view), asked once a page.
const viewModules = {}; // API name -> its dashboard module (ApiSpec.dashboard), imported once

// The served APIs that have a dashboard module, each as {api, view}: the module may export
// card(state) (the overview), dialer() (the Phone tab) and calls() (calls kept outside the engine).
export async function apiViews() {
  const apis = (await servedApis()).filter((api) => api.dashboard);
  for (const api of apis) {
    if (!viewModules[api.name]) viewModules[api.name] = await import(new URL(`./${api.dashboard}`, import.meta.url));
  }
  return apis.map((api) => ({ api, view: viewModules[api.name] }));
}

export function servedApis() {
  if (!served) {
    served = call("GET", "apis").then(
      (data) => data.apis,
      (error) => {
        served = null; // (asked again next time: the admin token may come later)
        throw error;
      },
    );
  }
  return served;
}

// One <option> per served API, appended to ``select``.
export async function addApiOptions(select) {
  for (const api of await servedApis()) select.append(new Option(api.name, api.name));
}
