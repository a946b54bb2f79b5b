// The SSDA903 upload (interchange/upload.html): show how much of the upload has been sent, then follow the
// server to the job's progress page. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("upload-903");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-progress-bar");
    var text = document.getElementById("upload-progress-text");
    var button = form.querySelector("button[type=submit]");
    box.hidden = false;
    button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        var pct = Math.round(100 * e.loaded / e.total);
        bar.value = pct;
        text.textContent = "Uploaded " + pct + "%";
      }
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      text.textContent = "Uploaded. Starting the checks…";
    });
    xhr.addEventListener("load", function () {
      var to = xhr.responseURL || "";
      if (to.indexOf("/jobs/") !== -1 || to.indexOf("/imports/") !== -1) {
        window.location.assign(to);
      } else {
        document.open(); document.write(xhr.responseText); document.close();
      }
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      text.textContent = "The upload failed (the connection was lost). Nothing was imported. Try again.";
    });
    xhr.send(new FormData(form));
  });
})();
