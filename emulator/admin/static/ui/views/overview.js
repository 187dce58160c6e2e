// Systems: one card per served API that has a dashboard view (ApiSpec.dashboard, e.g.
// views/apis/yemot.js), each showing its tenants from the state.
import { call, servedApis } from "../api.js";
import { h, render } from "../dom.js";

let box;
const views = {}; // API name -> its card module, imported once

export function mount(root) {
  box = h("div", { class: "grid" });
  root.append(box);
}

export async function refresh() {
  const [state, apis] = await Promise.all([call("GET", "state"), servedApis()]);
  const shown = apis.filter((api) => api.dashboard);
  for (const api of shown) {
    if (!views[api.name]) views[api.name] = await import(new URL(`../${api.dashboard}`, import.meta.url));
  }
  render(box, state, () => shown.map((api) => views[api.name].card(state)));
}
