/* Leadflow's own small behaviours (htmx does the rest): live SLA countdowns. */
(function () {
  /* m:ss under an hour, h:mm:ss from an hour on (a 4-hour SLA read "207:22"). */
  function clock(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = String(seconds % 60).padStart(2, "0");
    return hours ? hours + ":" + String(minutes).padStart(2, "0") + ":" + rest : minutes + ":" + rest;
  }
  function tick() {
    document.querySelectorAll("[data-due]").forEach(function (chip) {
      var due = new Date(chip.getAttribute("data-due"));
      var total = Number(chip.getAttribute("data-total-seconds")) || 300;
      var left = Math.round((due - new Date()) / 1000);
      chip.classList.toggle("breached", left <= 0);
      chip.classList.toggle("warning", left > 0 && left < total / 2);
      var text = clock(Math.abs(left));
      chip.textContent = left <= 0 ? chip.getAttribute("data-late") + " " + text : text;
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
})();

document.documentElement.classList.add("js");

/* A select marked data-autosubmit sends its form when a choice is made with the pointer.
   From the keyboard, arrows only move through the options (each would otherwise reload
   the page): Enter sends the form, as does the form's own button. */
(function () {
  var AUTOSUBMIT = "select[data-autosubmit]";
  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches(AUTOSUBMIT)) return;
    if (event.key === "Enter") {
      event.preventDefault();
      select.form.requestSubmit();
    } else {
      select.dataset.keyboard = "1";
    }
  });
  document.addEventListener("pointerdown", function (event) {
    var select = event.target.closest && event.target.closest(AUTOSUBMIT);
    if (select) delete select.dataset.keyboard;
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches(AUTOSUBMIT) && !select.dataset.keyboard) select.form.requestSubmit();
  });
})();
