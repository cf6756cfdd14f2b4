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
    function tick() {
        const root = document.querySelector("[data-server-now]");
        if (!root) return;
        if (root.dataset.seen !== root.dataset.serverNow) {
            offset = Date.parse(root.dataset.serverNow) - Date.now();
            root.dataset.seen = root.dataset.serverNow;
        }
        const now = Date.now() + offset;
        for (const el of document.querySelectorAll("[data-deadline]")) {
            const left = Date.parse(el.dataset.deadline) - now;
            el.textContent = fmt(left);
            el.setAttribute("aria-label", left >= 0 ? `${spoken(left)} left` : `${spoken(-left)} over time`);
            el.classList.toggle("mc-over", left < 0);
        }
        for (const el of document.querySelectorAll("[data-since]")) {
            const gone = now - Date.parse(el.dataset.since);
            el.textContent = fmt(gone);
            el.setAttribute("aria-label", `speaking for ${spoken(gone)}`);
        }
        for (const el of document.querySelectorAll("[data-progress-from]")) {
            const from = Date.parse(el.dataset.progressFrom), to = Date.parse(el.dataset.progressTo);
            const pct = to > from ? Math.max(0, Math.min(100, (now - from) / (to - from) * 100)) : 100;
            el.style.width = pct + "%";
            const bar = el.parentElement;
            bar.setAttribute("aria-valuenow", String(Math.round(pct)));
            bar.classList.toggle("mc-over", now > to);
        }
    }
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
