// The public form's small helpers. Everything works without them: the place picker then has its own button,
// and the map point can be typed.
// - With htmx loaded, the place picker refreshes by itself, so its "show the places" button is removed: left
//   in place, it would be the form's default button and Enter in a text field would press it.
// - "Use my current position" fills latitude and longitude from the browser's geolocation; nothing else is
//   sent anywhere and no map tiles are loaded.
(function () {
  "use strict";

  function hideFallbacks(root) {
    if (!window.htmx) { return; }
    root.querySelectorAll("[data-no-js]").forEach(function (element) { element.remove(); });
  }

  function setUpGeolocation() {
    var button = document.querySelector("[data-geolocate]");
    var status = document.querySelector("[data-geolocate-status]");
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    if (!button || !latitude || !longitude || !("geolocation" in navigator)) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (status) { status.textContent = status.getAttribute("data-waiting"); }
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        button.disabled = false;
        if (status) { status.textContent = status.getAttribute("data-done"); }
      }, function () {
        button.disabled = false;
        if (status) { status.textContent = status.getAttribute("data-failed"); }
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  function start() {
    hideFallbacks(document);
    setUpGeolocation();
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail && event.detail.target) { hideFallbacks(event.detail.target.parentNode || document); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
