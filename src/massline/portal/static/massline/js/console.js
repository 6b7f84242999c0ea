// The hotline console's keyboard: Alt+S records and sends, Alt+A answers and closes, Alt+N starts a new call.
// Shortcuts are read from data-shortcut attributes, so the keys on screen and the keys that work are the same.
// "Use this answer" copies an earlier public answer into the answer field.
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || !/^Key[A-Z]$/.test(event.code)) { return; }
    var letter = event.code.slice(3).toLowerCase();
    var target = document.querySelector('[data-shortcut="' + letter + '"]');
    if (!target) { return; }
    event.preventDefault();
    if (target.tagName === "BUTTON" && target.form) {
      if (target.form.getAttribute("data-submitting")) { return; }  // one press, one request
      target.form.setAttribute("data-submitting", "true");
      target.form.requestSubmit(target);
    } else {
      target.click();
    }
  });

  document.addEventListener("submit", function (event) {
    event.target.setAttribute("data-submitting", "true");
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-use-answer]") : null;
    if (!button) { return; }
    var field = document.getElementById("id_answer");
    if (!field) { return; }
    field.value = button.getAttribute("data-use-answer");
    field.focus();
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-console-form]").forEach(function (form) { form.removeAttribute("data-submitting"); });
  });
})();
