// Systems: one card per served API that has a dashboard view (ApiSpec.dashboard, e.g.
// views/apis/yemot.js), each showing its tenants from the state.
import { call, apiViews } from "../api.js";
import { h, render } from "../dom.js";

let box;

export function mount(root) {
  box = h("div", { class: "grid" });
  root.append(box);
}

export async function refresh() {
  const [state, views] = await Promise.all([call("GET", "state"), apiViews()]);
  const shown = views.filter(({ view }) => view.card);
  render(box, state, () => shown.map(({ view }) => view.card(state)));
}
