// The import job page updates itself: it asks the job's progress URL every second or two and
// writes the numbers into the page; when the job has ended, it reloads the page, which then
// shows the report. Without JavaScript the page says to reload it (a <noscript> note).
(function () {
  "use strict";
  var section = document.querySelector("[data-import-job]");
  if (!section) {
    return;
  }
  var ended = ["finished", "failed"];
  if (ended.indexOf(section.dataset.status) !== -1) {
    return;
  }
  var url = section.dataset.progressUrl;
  var delay = 1000;

  function field(name) {
    return section.querySelector('[data-field="' + name + '"]');
  }

  function setText(name, value) {
    var element = field(name);
    if (element) {
      element.textContent = value;
    }
  }

  function show(data) {
    setText("status_label", data.status_label);
    setText("stage", data.stage);
    setText("files_done", data.files_done);
    setText("files_total", data.files_total);
    ["created", "updated", "unchanged", "skipped", "failed"].forEach(function (name) {
      setText(name, data[name]);
    });
    setText("message", data.message || "");
    setText(
      "time_left",
      data.seconds_left === null ? "" : "; about " + data.seconds_left + " s left"
    );
    var bar = field("bar");
    if (bar) {
      bar.max = Math.max(data.files_total, 1);
      bar.value = data.files_done;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("progress: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (ended.indexOf(data.status) !== -1) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A lost connection or a restarting server: try again, less often.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
