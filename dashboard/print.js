// The browser's own print: lay the main column out exactly as on screen and scale it to the A4 paper's
// printable width (210 mm − 2 × 12 mm margin of style.css), so a chart or table drawn for a wide screen
// is shrunk whole instead of cut off at the right edge. Registered once per browser tab.
if (!window.__dashboardPrintFit) {
    window.__dashboardPrintFit = true;
    const PAPER_PX = ((210 - 2 * 12) * 96) / 25.4;
    const main = () => document.querySelector('[data-testid="stMainBlockContainer"]');
    window.addEventListener("beforeprint", () => {
        const block = main();
        if (!block) return;
        const width = block.getBoundingClientRect().width;
        block.style.width = `${width}px`;
        block.style.maxWidth = `${width}px`;
        block.style.zoom = String(Math.min(1, PAPER_PX / width));
    });
    window.addEventListener("afterprint", () => {
        const block = main();
        if (!block) return;
        for (const property of ["width", "maxWidth", "zoom"]) block.style[property] = "";
    });
}
