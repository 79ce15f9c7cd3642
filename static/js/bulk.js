/* The queue's bulk bar: says how many leads are selected, names the count on the button
   ("Move 3 to nurture"), and asks before disqualifying, naming the count. The texts come
   translated from the form's data-* attributes; "{n}" is the count. */
(function () {
  var form = document.getElementById("bulk");
  if (!form) return;
  var action = form.querySelector("#bulk-action");
  var button = form.querySelector("#bulk-apply");
  var count = form.querySelector("#bulk-count");

  function boxes() {
    return document.querySelectorAll('input[type=checkbox][name=lead][form=bulk]:checked');
  }
  function text(name, n) {
    return (form.getAttribute("data-" + name) || "").replace("{n}", n);
  }
  function update() {
    var n = boxes().length;
    count.textContent = text(n === 1 ? "count-one" : "count-many", n);
    button.disabled = n === 0;
    button.textContent = n === 0 ? text("label-none", n) : text("label-" + action.value, n);
  }

  document.addEventListener("change", function (event) {
    if (event.target === action || event.target.matches("input[name=lead][form=bulk]")) update();
  });
  form.addEventListener("submit", function (event) {
    var n = boxes().length;
    if (action.value === "disqualify" &&
        !window.confirm(text(n === 1 ? "confirm-one" : "confirm-many", n))) {
      event.preventDefault();
    }
  });
  update();
})();
