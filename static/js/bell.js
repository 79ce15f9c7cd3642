/* The notification bell: one refresh every 10 s while the page is visible, none while the
   tab is hidden, and one at once when it is shown again. The wrapper (#bell) is never
   replaced, so nothing re-fires on a swap (a swapped "load" trigger polled in a loop). */
(function () {
  var PERIOD_MS = 10000;
  var timer = null;

  function refresh() {
    var bell = document.getElementById("bell");
    if (bell && window.htmx) {
      window.htmx.trigger(bell, "bell:refresh");
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    if (document.visibilityState !== "visible") {
      return; // hidden: no timer at all until the page is shown again
    }
    timer = window.setTimeout(function () {
      refresh();
      schedule();
    }, PERIOD_MS);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      refresh();
    }
    schedule();
  });
  schedule();
})();
