// One call as a conversation: the timeline every view shows a call with (Phone and Calls tabs).
// Each transcript entry becomes a line: what the caller hears (with its sound), keys pressed, each
// request to the user's service with its parameters, the raw reply and parsed directives, moves
// between folders or nodes, and errors in plain words.
import { adminBase, authHeaders } from "../api.js";
import { h } from "../dom.js";

// "8.7 s" for 8.700000047683716; "—" for nothing.
export function seconds(value) {
  if (value === null || value === undefined || value === "" || Number.isNaN(Number(value))) return "—";
  return `${Math.round(Number(value) * 10) / 10} s`;
}

function clock(at) {
  return at ? at.slice(11, 21).replace(/Z$/, "") : "";
}

function partText(part) {
  const data = part.data ?? part.name ?? "";
  switch (part.type) {
    case "text":
      return `“${data}”`;
    case "digits":
    case "alpha":
      return `digits ${data}`;
    case "number":
      return `number ${data}`;
    case "system_message":
      return `${part.code || data}${part.text ? ` “${part.text}”` : ""}`;
    case "file":
    case "tts_file":
      if (part.text) return `${part.path} “${part.text}”`;
      return part.found === false ? `${part.path || data} (missing)` : part.path || data;
    case "music_on_hold":
      return `hold music ${data}`;
    default:
      return `${part.type} ${data}`.trim();
  }
}

function pairs(params) {
  return h(
    "table",
    { class: "kv params" },
    (params || []).map(([name, value]) => h("tr", {}, h("th", {}, name), h("td", { class: "wrap" }, value))),
  );
}

function heard(entry) {
  const parts = (entry.parts || []).map(partText).join(" · ");
  return [`Caller hears ${parts}`, h("span", { class: "meta" }, ` (${seconds(entry.seconds)})`)];
}

function pressed(entry) {
  const to = entry.variable ? ` for ${entry.variable}` : "";
  if (entry.mode === "record") return `Caller records ${entry.keys || 0} s${to}`;
  if (entry.mode === "speech") return entry.keys ? `Caller says “${entry.keys}”${to}` : `Caller says nothing${to}`;
  if (!entry.keys) return `Caller stays silent${to} (the wait ran out)`;
  return `Caller presses ${entry.keys}${to}`;
}

// Errors in plain words: what failed and, for the user's service, where.
function plainError(entry, context) {
  const where = context.lastUrl ? ` at ${context.lastUrl.split("?")[0]}` : "";
  const said = entry.message || "";
  if (entry.code === "M1607") return `No answer from your service${where}: ${said}`;
  if (entry.code === "M1609") return "This API extension has no api_link: nothing to call";
  if (["timeout", "network", "status", "url"].includes(entry.code)) return `Your service${where} failed: ${said}`;
  if (entry.code === "reply" || entry.code === "refused") return `Your service's reply${where}: ${said}`;
  return `Error ${entry.code || ""}: ${said}${entry.text ? ` (${entry.text})` : ""}`;
}

function lineOf(entry, context) {
  switch (entry.kind) {
    case "play":
      return { icon: "♪", text: heard(entry) };
    case "input":
      return { icon: "⌨", text: [pressed(entry)] };
    case "request":
      context.lastUrl = entry.url;
      return {
        icon: "→",
        text: [`Request to your service: ${entry.method || ""} ${String(entry.url || "").split("?")[0]}`],
        more: pairs(entry.params),
      };
    case "reply": {
      const more = [h("pre", { class: "raw" }, entry.text === "" ? "(empty)" : String(entry.text ?? ""))];
      if (entry.directives && (entry.directives.length || typeof entry.directives === "object")) {
        more.push(h("pre", { class: "directives" }, JSON.stringify(entry.directives, null, 1)));
      }
      const status = entry.status === null || entry.status === undefined ? "no status" : `HTTP ${entry.status}`;
      const said = String(entry.text ?? "");
      const preview = said.length > 90 ? `${said.slice(0, 90)}…` : said;
      const head = `Reply (${status})${entry.error ? `: ${entry.error}` : ""}`;
      return { icon: "←", text: [head, preview ? h("code", { class: "reply-text" }, ` ${preview}`) : null], more };
    }
    case "goto":
      return {
        icon: "↪",
        text: [entry.from === null || entry.from === undefined ? `Answered in ${entry.to}` : `Moves from ${entry.from} to ${entry.to}`,
          entry.reason ? h("span", { class: "meta" }, ` (${entry.reason})`) : null],
      };
    case "error":
      return { icon: "⚠", text: [plainError(entry, context)], problem: true };
    case "hangup":
      return { icon: "☎", text: [`Hung up by the ${entry.by || "system"}${entry.where ? ` in ${entry.where}` : ""}`] };
    case "record":
      return { icon: "⏺", text: [`Recording saved as ${entry.path} (${seconds(entry.seconds)})`] };
    case "queue":
      return { icon: "⏳", text: [`Waits in queue ${entry.queue}${entry.agent ? ` for ${entry.agent}` : ""}`] };
    default: {
      if (entry.message === "command") return { icon: "·", text: [`Runs ${entry.command}`] };
      if (entry.message === "call") return { icon: "☎", text: [`Call from ${entry.src} to ${entry.dst} (dialplan ${entry.dialplan})`] };
      const { at, kind, index, message, ...rest } = entry;
      const extra = Object.entries(rest).filter(([name]) => name !== "node").map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`);
      return { icon: "·", text: [`${message || kind}${extra.length ? ` (${extra.join(", ")})` : ""}`] };
    }
  }
}

// fetch the sound of entry ``index`` (the token goes in a header); an <audio> element, or throws.
async function sound(callId, index) {
  const url = new URL(`calls/${encodeURIComponent(callId)}/audio/${index}`, adminBase);
  const response = await fetch(url, { headers: authHeaders() });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error || `HTTP ${response.status}`);
  }
  const audio = h("audio", { controls: true, preload: "auto", class: "sound" });
  audio.dataset.type = response.headers.get("content-type") || "";
  audio.src = URL.createObjectURL(await response.blob());
  return audio;
}

// A timeline of one call. Options: autoload (fetch each prompt's sound as it comes), muted() (do not
// play it), onSoundProblem(message) (no sound could be made, e.g. espeak-ng is missing).
export class Timeline {
  constructor(callId, { autoload = false, muted = () => true, onSoundProblem = () => {} } = {}) {
    this.callId = callId;
    this.options = { autoload, muted, onSoundProblem };
    this.context = { lastUrl: null };
    this.queue = Promise.resolve();
    this.element = h("ol", { class: "timeline", dataset: { call: callId } });
  }

  add(entry, index = this.element.children.length) {
    const line = lineOf(entry, this.context);
    const item = h(
      "li",
      { class: `entry ${entry.kind}${line.problem ? " problem" : ""}`, dataset: { kind: entry.kind, index } },
      h("span", { class: "at meta" }, clock(entry.at)),
      h("span", { class: "icon" }, line.icon),
      h("span", { class: "what" }, line.text),
    );
    if (line.more) item.append(h("details", {}, h("summary", {}, "details"), line.more));
    if (entry.kind === "play") this.attachSound(item, index);
    this.element.append(item);
    return item;
  }

  attachSound(item, index) {
    const slot = h("span", { class: "sound-slot" });
    const load = async (play) => {
      try {
        const audio = await sound(this.callId, index);
        slot.replaceChildren(audio);
        if (play) this.queue = this.queue.then(() => playOut(audio));
      } catch (error) {
        slot.replaceChildren(h("span", { class: "meta" }, " (no sound)"));
        this.options.onSoundProblem(error.message);
      }
    };
    if (this.options.autoload) load(!this.options.muted());
    else slot.append(h("button", { type: "button", class: "play", onclick: () => load(true) }, "▶"));
    item.append(slot);
  }
}

function playOut(audio) {
  return new Promise((resolve) => {
    audio.addEventListener("ended", resolve, { once: true });
    audio.addEventListener("error", resolve, { once: true });
    audio.play().catch(resolve);
  });
}
