// Swagger UI for one contract (the page's last path segment: yemot, simotel or admin). "Try it out"
// goes to this emulator; the default credentials of the loaded fixture are filled in.
import { adminBase, adminToken, authHeaders } from "../../ui/api.js";

const name = location.pathname.split("/").filter(Boolean).pop();
document.title = `${name} · telephony-emulator API docs`;

async function defaultCredentials() {
  try {
    const response = await fetch(new URL("/", location.href), { headers: { Accept: "application/json", ...authHeaders() } });
    return response.ok ? (await response.json()).credentials : null;
  } catch {
    return null;
  }
}

function preauthorize(ui, credentials) {
  const token = adminToken();
  if (name === "admin" && token) ui.preauthorizeApiKey("adminToken", token);
  if (!credentials) return;
  const [system] = credentials.yemot;
  const [account] = credentials.simotel;
  if (name === "yemot" && system) ui.preauthorizeApiKey("token", system.token);
  if (name === "simotel" && account) {
    ui.preauthorizeBasic("basicAuth", account.username, account.password);
    if (account.api_key) ui.preauthorizeApiKey("apiKey", account.api_key);
  }
}

const credentials = await defaultCredentials();
const ui = window.SwaggerUIBundle({
  url: new URL(`docs/${name}.json`, adminBase).href,
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: false,
  // Yemot's methods and Simotel's services are grouped by tag (13 and 26 groups): the groups start
  // closed, and the filter box narrows them by tag. The control plane's one list starts open.
  docExpansion: name === "admin" ? "list" : "none",
  filter: true,
  defaultModelsExpandDepth: -1,
  presets: [window.SwaggerUIBundle.presets.apis],
  // The contract itself (and control-plane calls) need the admin token when the emulator has one.
  requestInterceptor: (request) => {
    const token = adminToken();
    if (token && new URL(request.url, location.href).pathname.startsWith(adminBase.pathname)) {
      request.headers.Authorization = `Bearer ${token}`;
    }
    return request;
  },
  onComplete: () => preauthorize(ui, credentials),
});
window.ui = ui;
