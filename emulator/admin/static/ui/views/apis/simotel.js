// Simotel's card on the overview (ApiSpec.dashboard): each API account, its campaigns, and the PBX
// record collections (listed generically, so new kinds of records show up); its dialer on the Phone
// tab and its dialplan calls on the Calls tab.
import { call } from "../../api.js";
import { h, badge } from "../../dom.js";
import { table, campaigns } from "../cards.js";

export function card(state) {
  const simotelState = state.simotel || {};
  const accounts = Object.values(simotelState.accounts || {});
  const collections = Object.entries(simotelState.collections || {}).map(([name, rows]) => [name, rows.length]);
  return h(
    "section",
    { class: "card", id: "simotel-accounts" },
    h("h2", {}, `Simotel accounts (${accounts.length})`),
    accounts.map((account) =>
      h(
        "article",
        { class: "tenant" },
        h("h3", {}, account.username, " ", account.enabled ? badge("enabled", "ok") : badge("disabled", "bad")),
        table([
          ["auth mode", account.auth_mode],
          ["permissions", (account.permissions || []).join(", ")],
          ["strict", String(account.strict)],
        ]),
        campaigns(state, "simotel", account.username),
      ),
    ),
    h("h4", {}, "PBX records"),
    table(collections),
  );
}

const field = (label, input) => h("label", { class: "field" }, h("span", {}, label), input);

// The Phone tab's dialer: a caller dials a number a dialplan answers.
export function dialer() {
  const dialled = h("input", { id: "phone-dialled", list: "phone-numbers", placeholder: "dialled number", size: 12 });
  const numbers = h("datalist", { id: "phone-numbers" });
  const plans = h("small", { id: "phone-dialplans", class: "meta" });
  return {
    label: "Simotel dialplan",
    caller: "09121234567",
    box: h("div", { id: "phone-simotel" }, field("dialled number", dialled), numbers, plans),
    async load() {
      const listed = (await call("GET", "simotel/dialplans")).dialplans || [];
      numbers.replaceChildren(...listed.flatMap((p) => (p.numbers || []).map((n) => h("option", { value: n }, p.name))));
      if (!dialled.value && listed.length && listed[0].numbers?.length) dialled.value = listed[0].numbers[0];
      plans.textContent = listed.length
        ? `dialplans: ${listed.map((p) => `${p.name} (${(p.numbers || []).join(", ")})`).join("; ")}`
        : "No dialplan is defined: PUT __emulator__/simotel/dialplans/{name} (docs/simotel.md).";
    },
    place(caller) {
      return call("POST", "simotel/calls", { body: { src: caller, dst: dialled.value.trim() } });
    },
  };
}

// Dialplan calls, which the PBX keeps itself (listed on the Calls tab with the engine's calls).
export async function calls() {
  return (await call("GET", "simotel/calls")).calls;
}
