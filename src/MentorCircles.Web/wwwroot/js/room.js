// The live room's clocks and keyboard shortcuts. The server renders deadlines (ISO instants) once per change;
// this counts them down here, so no server work happens per tick.
//
// The browser's work is kept to what a person can see change. Every clock and progress bar of the page is worked out
// together, in one tick, at most about once a second: in the same task as a server render (from a MutationObserver),
// and otherwise one second after the last tick. Each frame a browser paints costs about the same whatever changed in
// it, so a page whose clocks tick in step with the renders paints once a second, not once per render plus once per
// clock; twelve people in a room on one laptop, or a hundred pages in one browser, then cost little more than the
// renders themselves. A shown value is rounded to the nearest second, so it is never more than half a second plus the
// slack below away from the truth.
(function () {
    let offset = 0;           // server clock minus this browser's clock, taken from the latest render
    let seenServerNow = null; // the data-server-now the offset was taken from
    let timer = 0;
    let anchor = 0;           // the instant (this browser's clock) the shown values were worked out for
    // A timed tick is due one second after the last one but runs this much later, showing the values of the instant it
    // was due: a server render that arrives in between (a room where something happens about once a second) takes its
    // place, and the clocks move in the render's frame instead of a frame of their own.
    const slack = 200;
    const fmt = ms => {
        const s = Math.round(Math.abs(ms) / 1000);
        return (ms < 0 && s > 0 ? "−" : "") + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    };
    // Every write is guarded, so a tick that changes nothing costs no style recalculation, layout or paint. Text goes
    // into the clock's one text node (a character-data change): replacing the node, as textContent does, makes the
    // browser restyle and rebuild that part of the page, several times the cost.
    const set = (el, text) => {
        const node = el.firstChild;
        if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) { if (node.data !== text) node.data = text; }
        else el.textContent = text;
    };

    /** Shows every clock and progress bar as of `at` (this browser's clock); true while any of them is counting. */
    function show(root, at) {
        const now = at + offset;
        let counting = false;
        // Clocks (RoomClock.razor): one element each, whose attributes say what it shows.
        for (const el of root.querySelectorAll("[data-clock]")) {
            const d = el.dataset;
            let over = false;
            if (d.deadline) {
                const left = Date.parse(d.deadline) - now;
                set(el, fmt(left));
                over = left < 0;
                counting = true;
            } else if (d.since) {
                set(el, fmt(now - Date.parse(d.since)));
                counting = true;
            } else if (d.remainingMs) {
                set(el, fmt(Number(d.remainingMs)));
            } else {
                set(el, d.text ?? "");
            }
            if (el.classList.contains("mc-over") !== over) el.classList.toggle("mc-over", over);
        }
        for (const el of root.querySelectorAll("[data-progress-from]")) {
            const from = Date.parse(el.dataset.progressFrom), to = Date.parse(el.dataset.progressTo);
            const pct = to > from ? Math.round(Math.max(0, Math.min(100, (now - from) / (to - from) * 100))) : 100;
            const width = pct + "%";
            if (el.style.width !== width) el.style.width = width;
            const bar = el.parentElement;
            if (bar.getAttribute("aria-valuenow") !== String(pct)) bar.setAttribute("aria-valuenow", String(pct));
            if (bar.classList.contains("mc-over") !== now > to) bar.classList.toggle("mc-over", now > to);
            if (now < to) counting = true;
        }
        return counting;
    }

    /** A tick: after a server render (due omitted: now), or from the timer (due: the instant it stands for). */
    function tick(due) {
        clearTimeout(timer);
        timer = 0;
        const root = document.querySelector("[data-server-now]");
        if (!root) return;
        if (seenServerNow !== root.dataset.serverNow) {
            seenServerNow = root.dataset.serverNow;
            offset = Date.parse(seenServerNow) - Date.now();
        }
        // A timer that fired far too late (a sleeping laptop, a hidden tab) starts again from now.
        anchor = typeof due === "number" && Date.now() - due < 1000 ? due : Date.now();
        const counting = show(root, anchor);
        // Nothing counting: the next render brings any new clock (the observer below runs this again).
        if (counting) {
            const next = anchor + 1000;
            timer = setTimeout(() => tick(next), Math.max(0, next + slack - Date.now()));
        }
        observer.takeRecords(); // this tick's own writes need no second tick
    }

    // A server render (Blazor applies it in one task) that adds, removes or re-times a clock runs a tick at once.
    const observer = new MutationObserver(() => tick());
    const watch = () => observer.observe(document.body, {
        subtree: true, childList: true, attributes: true,
        attributeFilter: ["data-server-now", "data-deadline", "data-since", "data-remaining-ms", "data-text", "data-progress-from", "data-progress-to"],
    });
    if (document.body) watch(); else document.addEventListener("DOMContentLoaded", watch);
    document.addEventListener("DOMContentLoaded", () => tick());

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
