// Simotel's card on the overview (ApiSpec.dashboard): each API account, its campaigns, and the PBX
// record collections (listed generically, so new kinds of records show up).
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
