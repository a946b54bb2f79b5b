// The idle sign-out's warning (permanence/core/idle.py; the dialog is in templates/base.html).
//
// The server signs a person out after data-idle-seconds without a request. Shortly before (data-warning-seconds),
// this opens the dialog as a modal: focus moves to its heading, the rest of the page is inert, Tab stays inside,
// Escape or "Stay signed in" keeps the session. "Stay signed in" POSTs to the keep-alive endpoint with the
// page's CSRF token, without leaving the page, so what has been typed stays. Before warning it asks the server
// how long is really left (another tab may have kept the session alive). When the time is up the page is
// reloaded, and the server sends it to sign in. Without JavaScript nothing here runs: the server's time-out only.

const dialog = document.getElementById("idle-warning");

if (dialog && typeof dialog.showModal === "function") {
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const heading = dialog.querySelector("#idle-warning-heading");
  const stay = dialog.querySelector("[data-idle-stay]");
  const token = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  let warnTimer = null;
  let endTimer = null;
  let returnFocus = null;

  const signedOut = () => window.location.reload();

  const schedule = (leftMs) => {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(check, Math.max(0, leftMs - warningMs));
    endTimer = window.setTimeout(signedOut, leftMs + 1000);
  };

  const open = () => {
    if (dialog.open) return;
    returnFocus = document.activeElement;
    dialog.showModal();
    heading.focus();
  };

  const close = () => {
    if (dialog.open) dialog.close();
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
  };

  // How long is left now, from the server (no activity counted); warn if it is within the warning time.
  async function check() {
    try {
      const response = await fetch(dialog.dataset.timeLeftUrl, {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      const { seconds_left: left } = await response.json();
      if (left <= 0) return signedOut();
      if (left * 1000 > warningMs + 1000) {
        close();
        return schedule(left * 1000);
      }
      open();
    } catch {
      open(); // cannot ask: warn on the page's own count
    }
  }

  async function keepAlive() {
    stay.disabled = true;
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "X-CSRFToken": token, Accept: "application/json" },
      });
      if (!response.ok) return signedOut(); // already signed out: the server says so on the next page
      const { seconds_left: left } = await response.json();
      close();
      schedule(left * 1000);
    } catch {
      signedOut();
    } finally {
      stay.disabled = false;
    }
  }

  stay.addEventListener("click", keepAlive);
  // Escape closes a modal dialog: here it means "Stay signed in", never a silent sign-out.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    keepAlive();
  });
  schedule(idleMs);
}
