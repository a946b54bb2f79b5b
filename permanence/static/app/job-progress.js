// A background job's page (interchange/job.html): poll its progress as JSON and show it; when it ends, go to
// its result (or reload to show why it failed). Without JavaScript the page refreshes itself (<noscript> meta
// refresh) and has a "Refresh" link.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-progress-url");
  var bar = document.getElementById("job-progress-bar");
  var stage = document.getElementById("job-stage");
  var state = document.getElementById("job-state");
  var refresh = document.getElementById("job-refresh");
  if (refresh) refresh.hidden = true;
  var delay = 1000;

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    state.textContent = job.label;
    stage.textContent = job.stage + (job.percent ? " (" + job.percent + "%)" : "");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (job.finished) {
          window.location.assign(window.location.href);
          return;
        }
        delay = Math.min(delay + 500, 3000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        if (refresh) refresh.hidden = false;
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, delay);
})();
