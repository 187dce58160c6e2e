// A call's transcript as it grows: GET calls/{id}/events (Server-Sent Events) read with fetch, so the
// admin token goes in a header (EventSource cannot send one). follow(id, handlers) calls
// handlers.entry(entry), .waiting(waiting), .end(data) and .error(error); close() stops it.
import { adminBase, authHeaders } from "../api.js";

export function follow(callId, handlers) {
  const controller = new AbortController();
  let lastId = null;
  let ended = false;

  function dispatch(event, data, id) {
    if (id !== null) lastId = id;
    if (event === "entry") handlers.entry?.(data);
    else if (event === "waiting") handlers.waiting?.(data.waiting);
    else if (event === "end") {
      ended = true;
      handlers.end?.(data);
    }
  }

  async function run() {
    const headers = { Accept: "text/event-stream", ...authHeaders() };
    if (lastId !== null) headers["Last-Event-ID"] = lastId;
    const response = await fetch(new URL(`calls/${encodeURIComponent(callId)}/events`, adminBase), {
      headers,
      signal: controller.signal,
    });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw Object.assign(new Error(body.error || `HTTP ${response.status}`), { status: response.status });
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = "message";
        let id = null;
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) event = line.slice(7);
          else if (line.startsWith("id: ")) id = line.slice(4);
          else if (line.startsWith("data: ")) data.push(line.slice(6));
        }
        if (data.length) dispatch(event, JSON.parse(data.join("\n")), id);
      }
    }
  }

  (async () => {
    for (let attempt = 0; !ended && !controller.signal.aborted && attempt < 5; attempt++) {
      try {
        await run();
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error.status) return handlers.error?.(error); // an answer, not a dropped line: no retry
      }
      if (!ended) await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();

  return { close: () => controller.abort() };
}
