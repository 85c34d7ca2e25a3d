// "링크 복사": the address of this view (page, filters and the page's own choices, all in the URL) to
// the clipboard. One listener per browser tab for every such button; where the Clipboard API is
// refused, the address is offered in a prompt to copy by hand.
if (!window.__dashboardCopyLink) {
    window.__dashboardCopyLink = true;
    document.addEventListener("click", async (event) => {
        const button = event.target.closest("[data-copy-link]");
        if (!button) return;
        const address = window.location.href;
        try {
            await navigator.clipboard.writeText(address);
            button.textContent = "복사했습니다";
        } catch {
            window.prompt("이 링크를 복사하세요", address);
        }
        setTimeout(() => { button.textContent = "링크 복사"; }, 2000);
    });
}
