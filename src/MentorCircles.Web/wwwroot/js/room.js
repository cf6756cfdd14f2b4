// The live room's clocks and keyboard shortcuts. The server renders deadlines (ISO instants) once per change;
// this counts them down here, four times a second, so no server work happens per tick.
(function () {
    let offset = 0; // server clock minus this browser's clock, taken from the latest render
    const fmt = ms => {
        const sign = ms < 0 ? "−" : "";
        const s = Math.floor(Math.abs(ms) / 1000);
        return sign + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    };
    const spoken = ms => {
        const s = Math.max(0, Math.round(ms / 1000)), m = Math.floor(s / 60);
        return m ? `${m} minutes ${s % 60} seconds` : `${s} seconds`;
    };
    // Every write below is guarded: a page only restyles when a shown value changes (once a second for a clock, once per
    // whole percent for a progress bar), so twelve idle rooms on a laptop, or a hundred pages in one browser, stay cheap.
    const set = (el, text, label) => {
        if (el.textContent !== text) el.textContent = text;
        if (el.getAttribute("aria-label") !== label) el.setAttribute("aria-label", label);
    };
    function tick() {
        const root = document.querySelector("[data-server-now]");
        if (!root) return;
        if (root.dataset.seen !== root.dataset.serverNow) {
            offset = Date.parse(root.dataset.serverNow) - Date.now();
            root.dataset.seen = root.dataset.serverNow;
        }
        const now = Date.now() + offset;
        for (const el of root.querySelectorAll("[data-deadline]")) {
            const left = Date.parse(el.dataset.deadline) - now;
            set(el, fmt(left), left >= 0 ? `${spoken(left)} left` : `${spoken(-left)} over time`);
            if (el.classList.contains("mc-over") !== left < 0) el.classList.toggle("mc-over", left < 0);
        }
        for (const el of root.querySelectorAll("[data-since]")) {
            const gone = now - Date.parse(el.dataset.since);
            set(el, fmt(gone), `speaking for ${spoken(gone)}`);
        }
        for (const el of root.querySelectorAll("[data-progress-from]")) {
            const from = Date.parse(el.dataset.progressFrom), to = Date.parse(el.dataset.progressTo);
            const pct = Math.round(to > from ? Math.max(0, Math.min(100, (now - from) / (to - from) * 100)) : 100);
            if (el.dataset.shown === String(pct)) continue;
            el.dataset.shown = String(pct);
            el.style.width = pct + "%";
            const bar = el.parentElement;
            bar.setAttribute("aria-valuenow", String(pct));
            if (bar.classList.contains("mc-over") !== now > to) bar.classList.toggle("mc-over", now > to);
        }
    }
    // Four checks a second keep a new deadline from a render on screen within a quarter second; most checks write nothing.
    setInterval(tick, 250);
    // Single-key shortcuts (h: hand, n: next speaker, p: pass, y: yield...), never while typing.
    document.addEventListener("keydown", e => {
        if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
        if (e.target instanceof Element && e.target.closest("input, textarea, select, [contenteditable]")) return;
        const key = e.key.length === 1 ? e.key.toLowerCase() : "";
        if (!key) return;
        const button = document.querySelector(`.mc-room [data-key="${key}"]:not([disabled])`);
        if (button) { e.preventDefault(); button.click(); }
    });
})();
