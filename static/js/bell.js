/* The notification bell: one refresh every 10 s while the page is visible, none while the
   tab is hidden, and one at once when it is shown again. The wrapper (#bell) is never
   replaced, so nothing re-fires on a swap (a swapped "load" trigger polled in a loop). */
(function () {
  var PERIOD_MS = 10000;
  var timer = null;
  var stopped = false;

  function refresh() {
    var bell = document.getElementById("bell");
    if (bell && window.htmx) {
      window.htmx.trigger(bell, "bell:refresh");
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    if (stopped || document.visibilityState !== "visible") {
      return; // hidden: no timer at all until the page is shown again
    }
    timer = window.setTimeout(function () {
      refresh();
      schedule();
    }, PERIOD_MS);
  }

  // Signed out meanwhile (another tab, an expired session): the answer is the login page,
  // which must not land inside the top bar. Keep the bell as it is and stop asking.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var bell = document.getElementById("bell");
    if (event.detail.target !== bell) {
      return;
    }
    var answered = new URL(event.detail.xhr.responseURL, window.location.href).pathname;
    if (answered !== bell.getAttribute("hx-get")) {  // redirected: the login page
      event.detail.shouldSwap = false;
      stopped = true;
      schedule();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (stopped) {
      return;
    }
    if (document.visibilityState === "visible") {
      refresh();
    }
    schedule();
  });
  schedule();
})();
