// Parallax: what script adds to pages that work without it. Nothing here writes HTML from strings: untrusted text
// only ever becomes text nodes.
"use strict";

// Tables of a story's outlets scroll sideways in step, so a column stays under its outlet in every table.
function syncScroll() {
  const groups = {};
  document.querySelectorAll("[data-sync-scroll]").forEach((el) => {
    const key = el.getAttribute("data-sync-scroll");
    (groups[key] = groups[key] || []).push(el);
  });
  Object.values(groups).forEach((els) => {
    let driving = null;
    els.forEach((el) => {
      el.addEventListener("scroll", () => {
        if (driving && driving !== el) return;
        driving = el;
        els.forEach((other) => { if (other !== el) other.scrollLeft = el.scrollLeft; });
        window.requestAnimationFrame(() => { driving = null; });
      }, { passive: true });
    });
  });
}

// The snippet's text with its matched byte ranges in <mark>, built as nodes.
function snippetNodes(snippet) {
  const bytes = new TextEncoder().encode(snippet.text);
  const decode = (a, b) => new TextDecoder().decode(bytes.slice(a, b));
  const p = document.createElement("p");
  p.className = "snippet";
  let at = 0;
  for (const [start, end] of snippet.marks) {
    if (start < at || end > bytes.length) continue;
    p.appendChild(document.createTextNode(decode(at, start)));
    const m = document.createElement("mark");
    m.className = "mark hit";
    m.textContent = decode(start, end);
    p.appendChild(m);
    at = end;
  }
  p.appendChild(document.createTextNode(decode(at, bytes.length)));
  return p;
}

// Search as you type: the results list follows the box, through /api/search.
function searchAsYouType() {
  const box = document.getElementById("q");
  const results = document.getElementById("results");
  if (!box || !results) return;
  let timer = null;
  let asked = 0;
  box.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const q = box.value.trim();
      const mine = ++asked;
      const params = new URLSearchParams(window.location.search);
      params.set("q", q);
      params.delete("offset");
      try {
        const answer = await fetch("/api/search?" + params.toString(), { headers: { Accept: "application/json" } });
        if (!answer.ok || mine !== asked) return;
        const found = await answer.json();
        const total = document.createElement("p");
        total.className = "total";
        total.textContent = found.total + " matching articles";
        const list = document.createElement("ol");
        list.className = "hits";
        for (const hit of found.hits) {
          const li = document.createElement("li");
          li.className = "hit";
          const a = document.createElement("a");
          a.className = "headline";
          a.href = "/articles/" + encodeURIComponent(hit.id);
          a.textContent = hit.title;
          const meta = document.createElement("div");
          meta.className = "meta";
          meta.textContent = [hit.source || "", (hit.date || "").slice(0, 10), hit.language || ""].join(" · ");
          li.append(a, meta, snippetNodes(hit.snippet));
          list.appendChild(li);
        }
        results.replaceChildren(total, list);
        window.history.replaceState(null, "", "/search?" + params.toString());
      } catch (e) {
        // The page still works: the form submits as without script.
      }
    }, 200);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  syncScroll();
  searchAsYouType();
});
