/* Leadflow's own small behaviours (htmx does the rest): live SLA countdowns. */
(function () {
  function tick() {
    document.querySelectorAll("[data-due]").forEach(function (chip) {
      var due = new Date(chip.getAttribute("data-due"));
      var total = Number(chip.getAttribute("data-total-seconds")) || 300;
      var left = Math.round((due - new Date()) / 1000);
      chip.classList.toggle("breached", left <= 0);
      chip.classList.toggle("warning", left > 0 && left < total / 2);
      var abs = Math.abs(left);
      var text = Math.floor(abs / 60) + ":" + String(abs % 60).padStart(2, "0");
      chip.textContent = left <= 0 ? chip.getAttribute("data-late") + " " + text : text;
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
})();

document.documentElement.classList.add("js");

/* A select marked data-autosubmit sends its form when changed (the button stays for
   keyboards and no-JS). */
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
