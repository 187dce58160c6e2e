// A tiny DOM builder: h("tr", {class: "x", onclick: fn}, child, "text"). Text always goes in as
// text nodes, never as HTML, so journal contents cannot inject markup.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name in node && typeof value !== "string") node[name] = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replace the children of node, unless the data they show did not change (keeps scroll and focus).
export function render(node, key, build) {
  const text = JSON.stringify(key);
  if (node.dataset.rendered === text) return;
  node.dataset.rendered = text;
  node.replaceChildren(...[build()].flat(Infinity).filter(Boolean));
}

export function when(iso) {
  return iso ? iso.replace("T", " ").replace("Z", "") : "—";
}

export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

export function badge(text, kind = "") {
  return h("span", { class: `badge ${kind}` }, text);
}
