// 一图一表一指数: the month slider of the map opens the chosen closed month.
(function () {
  "use strict";
  function bind(root) {
    var sliders = (root || document).querySelectorAll("[data-eco-months]");
    Array.prototype.forEach.call(sliders, function (input) {
      if (input.getAttribute("data-eco-bound")) return;
      input.setAttribute("data-eco-bound", "1");
      var months = JSON.parse(document.getElementById(input.getAttribute("data-eco-months")).textContent);
      var label = document.getElementById(input.getAttribute("data-eco-label"));
      input.addEventListener("input", function () {
        if (label) label.textContent = months[Number(input.value)].label;
      });
      input.addEventListener("change", function () {
        var url = new URL(window.location.href);
        url.searchParams.set("month", months[Number(input.value)].value);
        window.location.assign(url.toString());
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bind(document); });
  } else {
    bind(document);
  }
})();
