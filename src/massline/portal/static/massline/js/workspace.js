// The staff workspace's keyboard: "/" searches, j and k move between appeals, Enter opens the one chosen.
// Tab counts arrive after the page (htmx) and are copied into their tabs.
(function () {
  "use strict";

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-keyboard-rows] tbody tr"));
  }

  function current() {
    return rows().findIndex(function (row) { return row.classList.contains("is-current"); });
  }

  function choose(index) {
    var all = rows();
    if (!all.length) { return; }
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row) { row.classList.remove("is-current"); });
    all[index].classList.add("is-current");
    var link = all[index].querySelector("a");
    if (link) { link.focus(); }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
    if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "/") {
      var search = document.getElementById("id_q");
      if (search) { event.preventDefault(); search.focus(); }
    } else if (event.key === "j") {
      choose(current() + 1);
    } else if (event.key === "k") {
      choose(current() - 1);
    }
  });

  // Reply templates: choosing one fills the answer, which the handler then adapts.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select || !select.matches || !select.matches("select[data-fills]") || !select.value) { return; }
    var target = document.querySelector(select.getAttribute("data-fills"));
    if (target && (!target.value.trim() || window.confirm(select.getAttribute("data-confirm") || "↻"))) {
      target.value = select.value;
      target.focus();
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "queue-counts") { return; }
    event.detail.target.querySelectorAll("[data-count]").forEach(function (span) {
      var badge = document.querySelector('[data-count-for="' + span.getAttribute("data-count") + '"]');
      if (badge) { badge.textContent = span.textContent; }
    });
  });
})();
