// When an htmx swap removes the control that had the focus (a case action that cannot be taken
// twice, a part of the page drawn anew), the browser drops the focus to <body> and the next Tab
// starts again from the top of the page. This puts it back where the learner was: on the same
// control if it is still there (htmx already does that for an element with an id), otherwise on
// the nearest control that followed it, or preceded it, or on the section that held it. And
// the focused control is kept in sight: not scrolled away by the swap, nor hidden under the
// case's sticky commit bar (WCAG 2.4.11); scroll-padding in cases.css leaves room for the bar.
(function () {
  var FOCUSABLE =
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
  var saved = null;

  // A control is in sight when its top (for a whole part of the page, the first lines) is on
  // screen and nothing else is drawn over it.
  var TOP_STRIP = 48;

  function outOfSight(el) {
    var box = el.getBoundingClientRect();
    var bottom = Math.min(box.bottom, box.top + TOP_STRIP);
    if (box.top < 0 || bottom > window.innerHeight) return true;
    var x = Math.min(Math.max(box.left + box.width / 2, 0), window.innerWidth - 1);
    var top = document.elementFromPoint(x, (box.top + bottom) / 2);
    return Boolean(top && top !== el && !el.contains(top) && !top.contains(el));
  }

  // Only for someone moving with the keyboard (the focus ring shows): a click's swap keeps the
  // scroll htmx gives it, which brings the newest finding into view.
  function reveal(el) {
    if (!el || el === document.body || !el.getClientRects().length) return;
    if (!el.matches(":focus-visible") || !outOfSight(el)) return;
    var tall = el.getBoundingClientRect().height > window.innerHeight / 2;
    el.scrollIntoView({ block: tall ? "start" : "nearest" });
  }

  document.addEventListener("focusin", function (event) {
    reveal(event.target);
  });

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
    // Neighbours only within the part of the page that held the control: past it, a swap that
    // redrew the whole part (a new stage of a case) is better met at the part's start.
    var holder = active.parentElement && active.parentElement.closest("[id]");
    var near = function (el) { return !holder || holder.contains(el); };
    saved = {
      id: active.id,
      after: at < 0 ? [] : ids(all.slice(at + 1).filter(near)),
      before: at < 0 ? [] : ids(all.slice(0, at).filter(near)).reverse(),
      holder: holder ? holder.id : "",
    };
  });

  function restore(kept) {
    if (!lost()) {
      reveal(document.activeElement);
      return;
    }
    var candidates = [kept.id].concat(kept.after, kept.before);
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i] && document.getElementById(candidates[i]);
      if (el && el.getClientRects().length) {
        el.focus({ preventScroll: true });
        reveal(el);
        return;
      }
    }
    var holder = kept.holder && document.getElementById(kept.holder);
    if (holder) {
      if (!holder.hasAttribute("tabindex")) holder.setAttribute("tabindex", "-1");
      holder.focus({ preventScroll: true });
      reveal(holder);
    }
  }

  // After settling, htmx scrolls (hx-swap "show:"): restore once that is done.
  document.addEventListener("htmx:afterSettle", function () {
    var kept = saved;
    saved = null;
    if (kept) window.setTimeout(function () { restore(kept); }, 0);
  });
})();
