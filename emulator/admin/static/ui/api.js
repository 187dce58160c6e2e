// Control-plane calls from the browser. The admin token (when the emulator has one) is entered
// once, kept in this browser's localStorage and sent as "Authorization: Bearer <token>".
const TOKEN_KEY = "telephony-emulator.admin-token";

export const adminBase = new URL("../", import.meta.url); // .../__emulator__/

export function adminToken() {
  return localStorage.getItem(TOKEN_KEY) || "";
}

export function setAdminToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
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
