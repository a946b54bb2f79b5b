// Start GOV.UK Frontend and MoJ Frontend components on every page.
// Loaded from base.html as <script type="module">; browsers without ES modules get the
// server-rendered page, which works without JavaScript.
import { initAll as initGovuk } from "../vendor/govuk/govuk-frontend.min.js";

initGovuk();

// MoJ components (sortable tables, button menus, multi-select …) only load when a page uses one.
if (document.querySelector('[data-module^="moj-"]')) {
  import("../vendor/moj/moj-frontend.min.js")
    .then(({ initAll }) => initAll())
    .catch((error) => console.error("MoJ Frontend did not start", error));
}
