// The live room's clocks and keyboard shortcuts. The server renders deadlines (ISO instants) once per change;
// this counts them down here, so no server work happens per tick.
//
// The browser's work is kept to what a person can see change: a clock is written once a second, a progress bar once
// per whole percent, and nothing else. A tick runs (1) in the same task as a server render, from a MutationObserver,
// so a new or changed clock is filled in before the page is next painted (one frame per render, not two), and
// (2) by a timer set for the next moment a shown value changes, not on a fixed beat. Twelve people in a room on one
// laptop, or a hundred pages in one browser, then cost little more than the renders themselves.
(function () {
    let offset = 0;          // server clock minus this browser's clock, taken from the latest render
    let seenServerNow = null; // the data-server-now the offset was taken from
    let timer = 0;
    // Each page runs its timed ticks up to a fifth of a second after the whole second, at its own random lag: a clock is
    // never more than that late, and a browser (or a laptop) with many room pages open does not do all of their
    // repaints in the same instant.
    const lag = Math.floor(Math.random() * 200);
    const fmt = ms => {
        const sign = ms < 0 ? "−" : "";
        const s = Math.floor(Math.abs(ms) / 1000);
        return sign + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    };
    const spoken = ms => {
        const s = Math.max(0, Math.round(ms / 1000)), m = Math.floor(s / 60);
        return m ? `${m} minutes ${s % 60} seconds` : `${s} seconds`;
    };
    // Every write is guarded, so a tick that changes nothing costs no style recalculation, layout or paint. Text goes
    // into the clock's one text node (a character-data change): replacing the node, as textContent does, makes the
    // browser restyle and rebuild that part of the page, several times the cost.
    const set = (el, text, label) => {
        const node = el.firstChild;
        if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) { if (node.data !== text) node.data = text; }
        else el.textContent = text;
        if (el.getAttribute("aria-label") !== label) el.setAttribute("aria-label", label);
    };
    // Milliseconds until a clock showing whole seconds of |ms| (counting down if ms > 0, up otherwise) shows another value.
    const untilNextSecond = ms => ms > 0 ? (ms % 1000 || 1000) : 1000 - (-ms % 1000);

    function tick() {
        clearTimeout(timer);
        timer = 0;
        const root = document.querySelector("[data-server-now]");
        if (!root) return;
        if (seenServerNow !== root.dataset.serverNow) {
            seenServerNow = root.dataset.serverNow;
            offset = Date.parse(seenServerNow) - Date.now();
        }
        const now = Date.now() + offset;
        let wait = Infinity;
        // Clocks (RoomClock.razor): one element each, whose attributes say what it shows.
        for (const el of root.querySelectorAll("[data-clock]")) {
            const d = el.dataset;
            if (d.deadline) {
                const left = Date.parse(d.deadline) - now;
                set(el, fmt(left), left >= 0 ? `${spoken(left)} left` : `${spoken(-left)} over time`);
                wait = Math.min(wait, untilNextSecond(left));
            } else if (d.since) {
                const gone = now - Date.parse(d.since);
                set(el, fmt(gone), `speaking for ${spoken(gone)}`);
                wait = Math.min(wait, untilNextSecond(-gone));
            } else if (d.remainingMs) {
                const left = Number(d.remainingMs);
                set(el, fmt(left), `${spoken(left)} left, paused`);
            } else {
                set(el, d.text ?? "", d.text ?? "");
            }
            const over = !!d.deadline && Date.parse(d.deadline) < now;
            if (el.classList.contains("mc-over") !== over) el.classList.toggle("mc-over", over);
        }
        for (const el of root.querySelectorAll("[data-progress-from]")) {
            const from = Date.parse(el.dataset.progressFrom), to = Date.parse(el.dataset.progressTo);
            const exact = to > from ? Math.max(0, Math.min(100, (now - from) / (to - from) * 100)) : 100;
            const pct = Math.round(exact);
            const width = pct + "%";
            if (el.style.width !== width) el.style.width = width;
            const bar = el.parentElement;
            if (bar.getAttribute("aria-valuenow") !== String(pct)) bar.setAttribute("aria-valuenow", String(pct));
            if (bar.classList.contains("mc-over") !== now > to) bar.classList.toggle("mc-over", now > to);
            // The shown percent next changes when the exact value passes the next half (Math.round), or at the deadline.
            if (now < to && to > from) wait = Math.min(wait, from + (to - from) * (pct + 0.5) / 100 - now, to - now);
        }
        // Nothing counting: the next render brings any new clock (the observer below runs this again).
        if (wait !== Infinity) timer = setTimeout(tick, Math.max(20, Math.ceil(wait) + 5 + lag));
        observer.takeRecords(); // this tick's own writes need no second tick
    }

    // A server render (Blazor applies it in one task) that adds, removes or re-times a clock runs a tick at once.
    const observer = new MutationObserver(tick);
    const watch = () => observer.observe(document.body, {
        subtree: true, childList: true, attributes: true,
        attributeFilter: ["data-server-now", "data-deadline", "data-since", "data-remaining-ms", "data-text", "data-progress-from", "data-progress-to"],
    });
    if (document.body) watch(); else document.addEventListener("DOMContentLoaded", watch);
    document.addEventListener("DOMContentLoaded", tick);

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
