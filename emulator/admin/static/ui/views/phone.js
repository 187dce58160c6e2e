// Phone: dial as a caller into any served API whose dashboard module has a dialer (a Yemot system,
// a Simotel dialled number) and take part in the call - keypad (and the keyboard's digits, * and #),
// silence, a recording, speech, hang up - while the timeline shows it live (GET calls/{id}/events)
// and plays what the caller hears unless muted.
import { call, apiViews } from "../api.js";
import { h } from "../dom.js";
import { follow } from "./follow.js";
import { Timeline } from "./timeline.js";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];
const TYPING_MS = 1200; // digits typed closer together than this go as one input ("1234")
const MUTE_KEY = "telephony-emulator.phone-muted";

let ui = null;
let dialers = {}; // API name -> its dialer: {label, caller, box, load(), place(caller)}
let active = null; // {id, api, stream, timeline}
let typed = "";
let typingTimer = null;

function field(label, input) {
  return h("label", { class: "field" }, h("span", {}, label), input);
}

export function mount(root, { notice }) {
  if (active) active.stream.close(); // (a call left running when the tab was left goes on unseen)
  active = null;
  const api = h("select", { id: "phone-api", onchange: () => showTargets() });
  const targets = h("div", { id: "phone-targets" });
  const caller = h("input", { id: "phone-caller", size: 12 });
  const muted = h("input", { type: "checkbox", id: "phone-mute", checked: localStorage.getItem(MUTE_KEY) === "1" });
  muted.addEventListener("change", () => localStorage.setItem(MUTE_KEY, muted.checked ? "1" : "0"));
  const seconds = h("input", { id: "phone-record-s", type: "number", min: 1, max: 600, value: 5, size: 4 });
  const words = h("input", { id: "phone-speech", placeholder: "recognised speech", size: 18 });
  const status = h("div", { id: "phone-status", class: "meta" }, "Not in a call.");
  const sound = h("div", { id: "phone-sound", class: "problem", hidden: true });
  const typedView = h("span", { id: "phone-typed", class: "typed" });
  const timelineBox = h("div", { id: "phone-timeline", class: "card timeline-box" }, h("p", { class: "empty" }, "Dial to start a call."));
  const keypad = h("div", { class: "keypad", id: "phone-keypad" },
    KEYS.map((key) => h("button", { type: "button", dataset: { key }, onclick: () => press(key) }, key)));
  ui = { api, targets, caller, muted, seconds, words, status, sound, typedView, timelineBox, notice };
  root.append(
    h("div", { class: "phone" },
      h("section", { class: "card dialer" },
        h("h2", {}, "Phone"),
        field("call", api), targets, field("caller number", caller),
        h("div", { class: "row" },
          h("button", { type: "button", id: "phone-dial", class: "primary", onclick: () => dial() }, "Dial"),
          h("button", { type: "button", id: "phone-hangup", onclick: () => hangUp() }, "Hang up"),
          h("label", {}, muted, " mute")),
        status, sound,
        keypad,
        h("div", { class: "row" }, "typed: ", typedView),
        h("div", { class: "row" },
          h("button", { type: "button", id: "phone-silence", onclick: () => give({ silence: true }, "silence") }, "Silence"),
          seconds, h("button", { type: "button", id: "phone-record", onclick: () => give({ record_s: Number(seconds.value) }, `record ${seconds.value} s`) }, "Record (s)")),
        h("div", { class: "row" }, words,
          h("button", { type: "button", id: "phone-say", onclick: () => words.value.trim() && give({ speech: words.value.trim() }, "speech") }, "Say")),
        h("p", { class: "meta" }, "Keys typed within a second of each other go as one input; # sends at once.")),
      timelineBox));
  document.addEventListener("keydown", onKey);
  loadTargets();
}

export function unmount() {
  document.removeEventListener("keydown", onKey);
}

function onKey(event) {
  if (!ui || !document.body.contains(ui.api)) return unmount();
  if (["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (KEYS.includes(event.key)) {
    event.preventDefault();
    press(event.key);
  }
}

async function loadTargets() {
  const views = await apiViews();
  dialers = Object.fromEntries(views.filter(({ view }) => view.dialer).map(({ api, view }) => [api.name, view.dialer()]));
  const names = Object.keys(dialers);
  ui.api.replaceChildren(...names.map((name) => h("option", { value: name }, dialers[name].label)));
  ui.targets.replaceChildren(...names.map((name) => dialers[name].box));
  showTargets();
  await Promise.all(names.map((name) => dialers[name].load()));
}

function showTargets() {
  const shownCallers = Object.values(dialers).map((dialer) => dialer.caller);
  for (const [name, dialer] of Object.entries(dialers)) dialer.box.hidden = name !== ui.api.value;
  const chosen = dialers[ui.api.value];
  if (chosen && (!ui.caller.value || shownCallers.includes(ui.caller.value))) ui.caller.value = chosen.caller;
}

async function dial() {
  hangUp(false);
  ui.sound.hidden = true;
  try {
    const placed = await dialers[ui.api.value].place(ui.caller.value.trim());
    start(placed.id, ui.api.value);
  } catch (error) {
    ui.notice(error.message);
  }
}

function start(id, api) {
  const timeline = new Timeline(id, {
    autoload: true,
    muted: () => ui.muted.checked,
    onSoundProblem: (message) => {
      ui.sound.hidden = false;
      ui.sound.textContent = `No sound: ${message}. The timeline shows the text.`;
    },
  });
  ui.timelineBox.replaceChildren(h("h3", {}, `Call ${id} (${api})`), timeline.element);
  active = { id, api, timeline, ended: false };
  setStatus(`In call ${id}.`);
  active.stream = follow(id, {
    entry: (entry) => {
      timeline.add(entry, entry.index);
      timeline.element.lastElementChild?.scrollIntoView({ block: "nearest" });
    },
    waiting: (waiting) =>
      setStatus(waiting ? `Waiting for your input${waiting.wait_s ? ` (silence after ${waiting.wait_s} s)` : ""}.` : `In call ${id}.`),
    end: () => {
      active.ended = true;
      setStatus(`Call ${id} ended.`);
    },
    error: (error) => ui.notice(error.message),
  });
}

function setStatus(text) {
  ui.status.textContent = text;
  ui.status.dataset.state = active && active.ended ? "ended" : text.startsWith("Waiting") ? "waiting" : "call";
}

function press(key) {
  if (!active) return;
  clearTimeout(typingTimer);
  if (key === "#") {
    const keys = typed || "#";
    typed = "";
    ui.typedView.textContent = "";
    return give({ keys }, keys);
  }
  typed += key;
  ui.typedView.textContent = typed;
  typingTimer = setTimeout(() => {
    const keys = typed;
    typed = "";
    ui.typedView.textContent = "";
    if (keys) give({ keys }, keys);
  }, TYPING_MS);
}

async function give(body, what) {
  if (!active) return ui.notice("Dial first.");
  try {
    await call("POST", `calls/${encodeURIComponent(active.id)}/input`, { body });
  } catch (error) {
    ui.notice(`${what}: ${error.message}`);
  }
}

async function hangUp(say = true) {
  if (!active) return;
  const { id, stream, ended } = active;
  if (!ended) await call("DELETE", `calls/${encodeURIComponent(id)}`).catch((error) => ui.notice(error.message));
  if (!say) {
    stream.close();
    active = null;
  }
}

export async function refresh() {
  // the call shows itself through its event stream: nothing to poll
}
