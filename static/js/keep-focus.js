// When an htmx swap removes the control that had the focus (a case action that cannot be taken
// twice, a part of the page drawn anew), the browser drops the focus to <body> and the next Tab
// starts again from the top of the page. This puts it back where the learner was: on the same
// control if it is still there (htmx already does that for an element with an id), otherwise on
// the nearest control that followed it, or preceded it, or on the section that held it.
(function () {
  var FOCUSABLE =
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
  var saved = null;

  function lost() {
    var active = document.activeElement;
    return !active || active === document.body || !document.body.contains(active);
  }

  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    if (!active || active === document.body) {
      saved = null;
      return;
    }
    var all = Array.prototype.slice.call(document.querySelectorAll(FOCUSABLE));
    var at = all.indexOf(active);
    var ids = function (list) {
      return list.filter(function (el) { return el.id; }).map(function (el) { return el.id; });
    };
    var holder = active.parentElement && active.parentElement.closest("[id]");
    saved = {
      id: active.id,
      after: at < 0 ? [] : ids(all.slice(at + 1)),
      before: at < 0 ? [] : ids(all.slice(0, at)).reverse(),
      holder: holder ? holder.id : "",
    };
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!saved || !lost()) {
      saved = null;
      return;
    }
    var candidates = [saved.id].concat(saved.after, saved.before);
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i] && document.getElementById(candidates[i]);
      if (el && el.getClientRects().length) {
        el.focus();
        saved = null;
        return;
      }
    }
    var holder = saved.holder && document.getElementById(saved.holder);
    if (holder) {
      if (!holder.hasAttribute("tabindex")) holder.setAttribute("tabindex", "-1");
      holder.focus();
    }
    saved = null;
  });
})();
