/* Leadflow website tracking: first-party, no third-party code.
   Embed: <script src="https://LEADFLOW/static/scoring/track.js" data-site="SITE_KEY" async></script>
   Sends one page view per page load, with an anonymous visitor id kept in a first-party
   cookie, and fills hidden "lf_visitor" and utm_* inputs in Leadflow forms on the page so
   that a later form submission stitches these views to the lead. */
(function () {
  var script = document.currentScript;
  if (!script) { return; }
  var site = script.getAttribute("data-site");
  var endpoint = new URL("/t/collect/", script.src).href;
  var cookie = "lf_visitor";

  function readCookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  var visitor = readCookie(cookie);
  if (!visitor) {
    visitor = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
      : String(Date.now()) + Math.random().toString(16).slice(2);
    document.cookie = cookie + "=" + encodeURIComponent(visitor) +
      "; path=/; max-age=" + 60 * 60 * 24 * 365 + "; SameSite=Lax";
  }

  var params = new URLSearchParams(window.location.search);
  var utm = {};
  ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"].forEach(function (key) {
    if (params.get(key)) { utm[key] = params.get(key); }
  });

  var body = JSON.stringify({
    site: site, visitor: visitor, url: window.location.href, title: document.title,
    referrer: document.referrer, utm: utm
  });
  if (navigator.sendBeacon) {
    navigator.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }));
  } else {
    fetch(endpoint, { method: "POST", body: body, keepalive: true, mode: "no-cors" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[action*='/f/']").forEach(function (form) {
      var fields = Object.assign({ lf_visitor: visitor, landing_page: window.location.href,
                                   referrer: document.referrer }, utm);
      Object.keys(fields).forEach(function (name) {
        var input = form.querySelector("input[name='" + name + "']");
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          form.appendChild(input);
        }
        if (!input.value) { input.value = fields[name]; }
      });
    });
  });
})();
